import SwablineCore

/// Every roster resident's standing across a campaign, moved only by the
/// core's `StandingState.after` (rule 9), event by event in the order the
/// server meets them: a round's scans in script order, which numbers the
/// samples as the server's ids grow, and each tube's result as it comes.
public struct StandingLedger: Sendable, Equatable {
    public private(set) var states: [StandingState]
    /// Each resident's events in the order applied, so a test can fold them again.
    public private(set) var events: [[StandingEvent]]
    /// Members of each household, by person.
    let households: [[Int32]]
    let householdOf: [Int32]
    private var lastSample: Int64 = 0

    init(site: SimulatedSite) {
        var members = [[Int32]](repeating: [], count: site.householdCount)
        for (person, resident) in site.residents.enumerated() { members[Int(resident.household)].append(Int32(person)) }
        households = members
        householdOf = site.residents.map(\.household)
        states = [StandingState](repeating: .cleared, count: site.residents.count)
        events = [[StandingEvent]](repeating: [], count: site.residents.count)
    }

    public var standings: [Standing] { states.map(\.standing) }

    /// Plays one round's script into the standings.
    /// - Returns: who was scanned into a pooled tube while not cleared,
    ///   in scan order (rule 9 says nobody; the campaign asserts it).
    mutating func apply(_ script: DayScript) -> [Int32] {
        var mode: [Int: TubeMode] = [:]
        var members: [Int: [(person: Int32, sample: Int64)]] = [:]
        var pooledWhileNotCleared: [Int32] = []
        for timed in script.steps {
            switch timed.step {
            case let .call(_, tube, tubeMode, _):
                mode[tube] = tubeMode
            case let .sample(tube, person, nil):
                lastSample += 1
                members[tube, default: []].append((person, lastSample))
                if mode[tube]!.isPooled, states[Int(person)].standing.needsSingleTube { pooledWhileNotCleared.append(person) }
            case let .result(tube, result):
                apply(result, mode: mode[tube]!, members: members[tube] ?? [])
            default:
                break
            }
        }
        return pooledWhileNotCleared
    }

    /// A tube's result for its members, and for their households when a
    /// single tube is positive (household contacts), as the store applies it.
    private mutating func apply(_ result: TubeResult, mode: TubeMode, members: [(person: Int32, sample: Int64)]) {
        for member in members {
            record(.result(result, mode: mode, sample: member.sample), for: member.person)
            guard result == .positive, !mode.isPooled else { continue }
            for contact in households[Int(householdOf[Int(member.person)])] where contact != member.person {
                record(.householdPositive(sample: member.sample), for: contact)
            }
        }
    }

    private mutating func record(_ event: StandingEvent, for person: Int32) {
        states[Int(person)] = states[Int(person)].after(event)
        events[Int(person)].append(event)
    }
}
