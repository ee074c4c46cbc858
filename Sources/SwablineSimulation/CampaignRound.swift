import SwablineCore

/// One round of a campaign and its ground truth: the day as a script to
/// replay, the standings it began and ended with, who was isolated, and
/// why each missing person was missing. People are the roster's residents,
/// numbered in roster order (a campaign has no walk-ins).
public struct CampaignRound: Sendable, Hashable {
    /// 1, 2, …
    public var number: Int
    /// The day, its results posted once sampling is over (`resultsAfterSampling`).
    public var script: DayScript
    /// Standings as the round opened: anyone not cleared was single-tube all day.
    public var standingsBefore: [Standing]
    /// Standings once every result of the round is in.
    public var standingsAfter: [Standing]
    /// Whose household was isolated during the round (sampled whatever the draw).
    public var isolated: [Bool]
    /// Who carried the virus on the day (ground truth no server knows).
    public var carriers: [Bool]
    /// The reason recorded for each missing person the team reached; every
    /// other missing person is an open task.
    public var reasons: [Int32: MissingReason]
    /// People scanned into a pooled tube while not cleared (rule 9: none).
    public var pooledWhileNotCleared: [Int32]

    /// People not sampled this round, ascending.
    public var missing: [Int32] { (0..<script.people).filter { !script.truth.sampled[$0] }.map { Int32($0) } }
    /// Missing people with no reason: still a task for the team.
    public var openTasks: [Int32] { missing.filter { reasons[$0] == nil } }

    /// People whose first outcome this round was `outcome`.
    public func count(_ outcome: Outcome) -> Int { script.truth.outcomes.filter { $0 == outcome }.count }

    /// What the server must show at the round's end, naming person `i`
    /// `codes[i]`: the day's coverage and outcomes; the retest list with
    /// whoever is not cleared and was not sampled this round (rule 9); and
    /// every standing that is not cleared.
    public func expectedState(codes: [String]) -> RoundState {
        var state = script.expectedState(codes: codes)
        var standings: [String: Standing] = [:]
        for (person, standing) in standingsAfter.enumerated() where standing != .cleared {
            standings[codes[person]] = standing
            if !script.truth.sampled[person] { state.retests.insert(codes[person]) }
        }
        state.standings = standings
        return state
    }

    /// The follow-up side of the coverage report once every reason is recorded.
    public func expectedFollowUps(codes: [String]) -> FollowUpState {
        FollowUpState(
            closed: reasons.count, open: openTasks.count,
            reasons: Dictionary(uniqueKeysWithValues: reasons.map { (codes[Int($0.key)], $0.value) }))
    }
}

/// How a round's missing list is closed: reasons recorded, tasks still open.
public struct FollowUpState: Sendable, Hashable {
    public var closed: Int
    public var open: Int
    /// Reasons by resident code; a missing person absent here is an open task.
    public var reasons: [String: MissingReason]

    public init(closed: Int, open: Int, reasons: [String: MissingReason]) {
        self.closed = closed
        self.open = open
        self.reasons = reasons
    }

    /// Every way `actual` (the server) differs from `self`, codes in order.
    public func differences(from actual: FollowUpState) -> [RoundDifference] {
        var found: [RoundDifference] = []
        if closed != actual.closed { found.append(RoundDifference(what: "closed", expected: "\(closed)", actual: "\(actual.closed)")) }
        if open != actual.open { found.append(RoundDifference(what: "open", expected: "\(open)", actual: "\(actual.open)")) }
        for code in Set(reasons.keys).union(actual.reasons.keys).sorted() where reasons[code] != actual.reasons[code] {
            found.append(
                RoundDifference(
                    what: "reason of \(code)", expected: reasons[code]?.rawValue ?? "open", actual: actual.reasons[code]?.rawValue ?? "open"
                ))
        }
        return found
    }
}
