import SwablineCore

/// Tube results matched back to people at city scale, in memory: the same
/// rules as the store applies one delivery at a time (`ResultMatching`,
/// `Outcome.after`), over flat arrays.
public enum BatchMatching {
    /// Tubes and their members, flat: the members of tube `t` are
    /// `members[memberStart[t]..<memberStart[t + 1]]`.
    public struct Tubes: Sendable {
        public var memberStart: [Int32]
        public var members: [Int32]
        public var mode: [TubeMode]
        public var state: [TubeState]
        public var recorded: [TubeResult?]

        public init(memberStart: [Int32], members: [Int32], mode: [TubeMode], state: [TubeState], recorded: [TubeResult?]) {
            self.memberStart = memberStart
            self.members = members
            self.mode = mode
            self.state = state
            self.recorded = recorded
        }
    }

    /// One posted result; `tube` is -1 when the barcode is unknown.
    public struct Posted: Sendable {
        public var tube: Int32
        public var result: TubeResult
        public init(tube: Int32, result: TubeResult) {
            self.tube = tube
            self.result = result
        }
    }

    public struct Report: Sendable {
        public var fates: [ResultFate]
        /// Residents who must be sampled again (pool-positive or invalid).
        public var retests: [Int32]
        /// Indices into the posted results that conflicted with a recorded one.
        public var anomalies: [Int32]
    }

    /// Applies posted results in order, each at most once (rule 4), setting
    /// every member's outcome from the one they had (`Outcome.after`, as the
    /// store does). Each resident is in one of these tubes (a
    /// round's first samples); retests go through `ResultMatching.outcomes`,
    /// which also weighs which sample came later.
    public static func apply(_ posted: [Posted], to tubes: inout Tubes, outcomes: inout [Outcome]) -> Report {
        var report = Report(fates: [], retests: [], anomalies: [])
        report.fates.reserveCapacity(posted.count)
        for (index, item) in posted.enumerated() {
            let t = Int(item.tube)
            let known = t >= 0 && t < tubes.mode.count
            let fate = ResultMatching.fate(
                of: item.result, state: known ? tubes.state[t] : nil, recorded: known ? tubes.recorded[t] : nil)
            report.fates.append(fate)
            switch fate {
            case .applied:
                tubes.recorded[t] = item.result
                tubes.state[t] = .resulted
                let range = Int(tubes.memberStart[t])..<Int(tubes.memberStart[t + 1])
                for m in range {
                    let member = Int(tubes.members[m])
                    let outcome = Outcome.after(item.result, in: tubes.mode[t], was: outcomes[member])
                    outcomes[member] = outcome
                    if outcome.needsRetest { report.retests.append(tubes.members[m]) }
                }
            case .anomaly:
                report.anomalies.append(Int32(index))
            case .duplicate, .unknownTube, .notReceived, .rejected, .alreadyResulted, .testedAtOutOfRange:
                break
            }
        }
        return report
    }
}
