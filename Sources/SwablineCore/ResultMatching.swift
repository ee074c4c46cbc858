import Foundation

/// What happened to one tube's result in a lab's delivery.
public enum ResultFate: String, Sendable, Hashable, CaseIterable, Codable {
    /// Recorded; its members' outcomes follow from it.
    case applied
    /// The same result was already recorded: nothing changes (rule 4).
    case duplicate
    /// A different result for an already resulted tube: kept for a person to
    /// resolve, nothing overwritten (rule 4).
    case anomaly
    /// No such tube was shipped to this lab.
    case unknownTube = "unknown_tube"
    /// The tube exists but the lab has not confirmed receiving its box: a
    /// result for it would skip a step of custody (rule 6).
    case notReceived = "not_received"
    /// The lab itself rejected the tube: its members are already due to be
    /// sampled again, and no result can stand for it.
    case rejected
    /// Only for a rejection: the tube already has a result, which stands.
    case alreadyResulted = "already_resulted"
    /// The `tested_at` cannot be true (`testedAtProblem`): this result was
    /// not applied, the others of its delivery were.
    case testedAtOutOfRange = "tested_at_out_of_range"
}

/// Matches tube results back to people.
public enum ResultMatching {
    /// How far a lab's clock may run from Swabline's: ten minutes, for
    /// clocks set by hand. A `tested_at` later than now by more than this,
    /// or earlier than the tube's first swab by more, cannot be true.
    public static let clockSkewAllowance: TimeInterval = 600

    /// Why a posted `tested_at` cannot be true, or nil when it can: a test
    /// happens after the swab and before the result reaches us.
    public static func testedAtProblem(tube: String, testedAt: Date, firstSampledAt: Date?, now: Date) -> RuleViolation? {
        if testedAt > now.addingTimeInterval(clockSkewAllowance) {
            return .testedAtOutOfRange(tube: tube, why: "is in the future")
        }
        if let firstSampledAt, testedAt < firstSampledAt.addingTimeInterval(-clockSkewAllowance) {
            return .testedAtOutOfRange(tube: tube, why: "is before the tube was sampled")
        }
        return nil
    }

    /// The fate of one posted result, given what is known of the tube.
    ///
    /// - Parameters:
    ///   - state: the tube's custody state, or nil when this lab has no such tube.
    ///   - recorded: the result already recorded for the tube, if any.
    public static func fate(of posted: TubeResult, state: TubeState?, recorded: TubeResult?) -> ResultFate {
        guard let state else { return .unknownTube }
        if state == .rejected { return .rejected }
        if let recorded { return recorded == posted ? .duplicate : .anomaly }
        return state == .received ? .applied : .notReceived
    }

    /// One member of a resulted tube and where their outcome stands.
    public struct Member: Sendable, Hashable {
        public var resident: Int64
        /// Order of this sample among all the resident's samples: a later
        /// sample's result always wins over an earlier one's.
        public var sampleSequence: Int64
        /// The sequence of the sample that decided the current outcome, if any.
        public var decidedBySequence: Int64?
        /// The current outcome, if any (see `Outcome.after`).
        public var current: Outcome?

        public init(resident: Int64, sampleSequence: Int64, decidedBySequence: Int64?, current: Outcome? = nil) {
            self.resident = resident
            self.sampleSequence = sampleSequence
            self.decidedBySequence = decidedBySequence
            self.current = current
        }
    }

    /// The fate of a lab's rejection of a tube it has (`TubeRejection`):
    /// only a received tube without a result can be rejected; a second
    /// rejection changes nothing.
    public static func rejectionFate(state: TubeState?) -> ResultFate {
        switch state {
        case nil: .unknownTube
        case .received?: .applied
        case .rejected?: .duplicate
        case .resulted?: .alreadyResulted
        case _?: .notReceived
        }
    }

    /// The outcome each member of a tube gets from its result. A member whose
    /// outcome was already decided by a later sample (a retest that came back
    /// first) keeps it; an unreadable retest leaves a pool-positive member
    /// pool-positive (`Outcome.after`).
    public static func outcomes(
        for result: TubeResult, mode: TubeMode, members: [Member]
    ) -> [(resident: Int64, outcome: Outcome)] {
        members.compactMap { member in
            if let decided = member.decidedBySequence, decided > member.sampleSequence { return nil }
            return (member.resident, Outcome.after(result, in: mode, was: member.current))
        }
    }
}
