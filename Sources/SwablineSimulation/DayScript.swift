import SwablineCore

/// A simulated day as the steps people take at the API, in the order they
/// happen, with what the day came to: the script `swabline simulate
/// --against` plays through a real server, and the ground truth the
/// server's reports must then equal.
///
/// People are numbered as the simulation numbers them: `0..<rosterCount`
/// are the roster's residents in roster order, the rest walk-ins. Tubes
/// are numbered by desk serial (1, 2, …), boxes from 1. The script names
/// no codes: the command line gives residents, tubes and boxes theirs.
///
/// Only the steps that change something or that the server must refuse
/// are in it: a desk's call that finds nobody is not, so a desk takes up
/// its tube with its first call that calls someone (an empty tube would
/// have to be given up as lost, see `DaySimulation`).
public struct DayScript: Sendable, Hashable {
    public enum Step: Sendable, Hashable {
        /// The resident is scanned at the gate (a walk-in registers).
        case checkIn(person: Int32)
        /// `station` calls for its tube `tube` of `mode`, and exactly
        /// `called` step up, in this order. A tube not seen before is
        /// opened at the station first.
        case call(station: Int, tube: Int, mode: TubeMode, called: [Int32])
        /// The call is refused with `code` (`seal_tube_first`).
        case callRefused(station: Int, tube: Int, code: String)
        /// The person is scanned into the tube; `refused` is the stable
        /// code the scan is refused with, nil when it is admitted.
        case sample(tube: Int, person: Int32, refused: String?)
        case sealTube(tube: Int)
        /// A box is packed with these sealed tubes and sealed.
        case packBox(box: Int, tubes: [Int])
        case pickUp(box: Int, tubes: Int)
        case handOver(box: Int)
        /// The lab confirms receipt.
        case receive(box: Int, tubes: Int)
        /// The lab posts one tube's result.
        case result(tube: Int, TubeResult)
    }

    public struct Timed: Sendable, Hashable {
        /// Seconds since the day's start.
        public var time: Double
        public var step: Step
    }

    /// What the day came to once every first result is in: per person,
    /// whether they checked in and were sampled and their outcome, and who
    /// must be sampled again. The retest pass itself is not in the script.
    public struct Truth: Sendable, Hashable {
        public var checkedIn: [Bool]
        public var sampled: [Bool]
        /// nil for a person never sampled (the server has no outcome for them).
        public var outcomes: [Outcome?]
        /// Pool-positive and invalid people, ascending.
        public var retests: [Int32]
    }

    public var site: String
    public var lab: String
    /// Station ids, indexed as the steps' `station`.
    public var stations: [String]
    public var rosterCount: Int
    public var people: Int
    public var steps: [Timed]
    public var truth: Truth

    public var walkIns: Int { people - rosterCount }

    /// The ground truth as the server's reports show it, naming person `i`
    /// `codes[i]` (`codes.count == people`).
    public func expectedState(codes: [String]) -> RoundState {
        precondition(codes.count == people, "one code per person")
        var state = RoundState(counts: CoverageCounts(expected: people))
        for person in 0..<people {
            if truth.checkedIn[person] { state.counts.checkedIn += 1 }
            if truth.sampled[person] {
                state.counts.sampled += 1
            } else {
                state.missing.insert(codes[person])
            }
            if let outcome = truth.outcomes[person] {
                state.outcomes[codes[person]] = outcome
                if outcome != .pending { state.counts.resulted += 1 }
            }
        }
        state.retests = Set(truth.retests.map { codes[Int($0)] })
        return state
    }
}

extension DayScript {
    /// The script of a traced day: the desks' steps as recorded, the boxes
    /// packed and carried at each courier visit, receipt on arrival, and
    /// each result when the lab has it, merged by time (on a tie the desks
    /// come first, then custody, then results).
    init(_ trace: DayTrace, desks: [Timed]) {
        let sampled = trace.sampled, day = sampled.day
        var transport: [Timed] = []
        var boxNumber: [Int: Int] = [:]
        for pickup in trace.transport.pickups {
            for box in pickup.boxes {
                let number = boxNumber.count + 1
                boxNumber[box] = number
                transport.append(
                    Timed(
                        time: pickup.time,
                        step: .packBox(box: number, tubes: trace.transport.boxes[box].tubes.map { day.tubes[Int($0)].serial })))
            }
            for box in pickup.boxes {
                transport.append(
                    Timed(time: pickup.time, step: .pickUp(box: boxNumber[box]!, tubes: trace.transport.boxes[box].tubes.count)))
            }
            for box in pickup.boxes {
                transport.append(Timed(time: pickup.receivedAt, step: .handOver(box: boxNumber[box]!)))
                transport.append(
                    Timed(time: pickup.receivedAt, step: .receive(box: boxNumber[box]!, tubes: trace.transport.boxes[box].tubes.count)))
            }
        }
        let results = day.tubes.indices.filter { trace.lab.resultAt[$0] != nil }
            .sorted { (trace.lab.resultAt[$0]!, $0) < (trace.lab.resultAt[$1]!, $1) }
            .map { Timed(time: trace.lab.resultAt[$0]!, step: .result(tube: day.tubes[$0].serial, trace.lab.results[$0]!)) }
        let phases = [
            desks, transport.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element), results,
        ]
        let merged = phases.enumerated()
            .flatMap { phase, steps in steps.enumerated().map { (time: $1.time, phase: phase, order: $0, timed: $1) } }
            .sorted { ($0.time, $0.phase, $0.order) < ($1.time, $1.phase, $1.order) }

        let people = sampled.attendance.people.count
        var checkedIn = [Bool](repeating: false, count: people)
        for arrival in sampled.attendance.arrivals { for person in arrival.people { checkedIn[Int(person)] = true } }
        let wasSampled = day.sampledAt.map { $0 != nil }
        self.init(
            site: sampled.site.definition.id, lab: sampled.site.definition.lab,
            stations: sampled.site.definition.stations.prefix(sampled.stations).map(\.id),
            rosterCount: sampled.site.residents.count, people: people, steps: merged.map(\.timed),
            truth: Truth(
                checkedIn: checkedIn, sampled: wasSampled,
                outcomes: (0..<people).map { wasSampled[$0] ? trace.lab.firstOutcomes[$0] : nil },
                retests: trace.lab.retests.sorted()))
    }
}
