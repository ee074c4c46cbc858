import SwablineCore

/// What a site's round comes to, as the coordinator's reports show it:
/// coverage counts, who is missing, each resident's outcome, and who must
/// be sampled again. Built from a simulated day's ground truth
/// (`DayScript.expectedState`) or from a server's answers, and compared
/// exactly: counts, and the sets of resident codes.
public struct RoundState: Sendable, Hashable {
    public var counts: CoverageCounts
    /// Residents not sampled this round (the coverage report's missing list).
    public var missing: Set<String>
    /// Residents with an outcome this round (sampled), by code.
    public var outcomes: [String: Outcome]
    /// Residents who must be sampled again (pool-positive or invalid; in a
    /// campaign also whoever is not cleared and not yet sampled this round).
    public var retests: Set<String>
    /// Standings across rounds of the residents not cleared, by code; nil:
    /// not compared (a single day's replay). Absent means cleared.
    public var standings: [String: Standing]?

    public init(
        counts: CoverageCounts, missing: Set<String> = [], outcomes: [String: Outcome] = [:], retests: Set<String> = [],
        standings: [String: Standing]? = nil
    ) {
        self.counts = counts
        self.missing = missing
        self.outcomes = outcomes
        self.retests = retests
        self.standings = standings
    }

    /// People per outcome, every outcome listed.
    public var outcomeCounts: [(outcome: Outcome, people: Int)] {
        Outcome.allCases.map { outcome in (outcome, outcomes.values.filter { $0 == outcome }.count) }
    }
}

/// One way two `RoundState`s differ, in words a person can act on.
public struct RoundDifference: Sendable, Hashable, CustomStringConvertible {
    /// What differs: `sampled`, `missing`, `outcome of FFY000012`, …
    public var what: String
    public var expected: String
    public var actual: String

    public init(what: String, expected: String, actual: String) {
        self.what = what
        self.expected = expected
        self.actual = actual
    }

    public var description: String { "\(what): simulation \(expected), server \(actual)" }
}

extension RoundState {
    /// Every way `actual` (the server) differs from `self` (the ground
    /// truth): each count, each resident on one missing or retest list and
    /// not the other, each resident whose outcome differs (or who has one
    /// on one side only). Empty when they are equal. Codes in order.
    public func differences(from actual: RoundState) -> [RoundDifference] {
        var found: [RoundDifference] = []
        let counts: [(String, KeyPath<CoverageCounts, Int>)] = [
            ("expected", \.expected), ("checked in", \.checkedIn), ("sampled", \.sampled), ("resulted", \.resulted),
        ]
        for (name, path) in counts where self.counts[keyPath: path] != actual.counts[keyPath: path] {
            found.append(RoundDifference(what: name, expected: "\(self.counts[keyPath: path])", actual: "\(actual.counts[keyPath: path])"))
        }
        func compare(_ name: String, _ expected: Set<String>, _ actual: Set<String>) {
            for code in expected.subtracting(actual).sorted() {
                found.append(RoundDifference(what: "\(name) \(code)", expected: "listed", actual: "not listed"))
            }
            for code in actual.subtracting(expected).sorted() {
                found.append(RoundDifference(what: "\(name) \(code)", expected: "not listed", actual: "listed"))
            }
        }
        compare("missing", missing, actual.missing)
        compare("retest", retests, actual.retests)
        for code in Set(outcomes.keys).union(actual.outcomes.keys).sorted() where outcomes[code] != actual.outcomes[code] {
            found.append(
                RoundDifference(
                    what: "outcome of \(code)", expected: outcomes[code]?.rawValue ?? "none",
                    actual: actual.outcomes[code]?.rawValue ?? "none"))
        }
        if let mine = standings, let theirs = actual.standings {
            for code in Set(mine.keys).union(theirs.keys).sorted() where (mine[code] ?? .cleared) != (theirs[code] ?? .cleared) {
                found.append(
                    RoundDifference(
                        what: "standing of \(code)", expected: (mine[code] ?? .cleared).rawValue,
                        actual: (theirs[code] ?? .cleared).rawValue))
            }
        }
        return found
    }
}
