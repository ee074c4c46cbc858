/// A resident's standing across rounds (rule 9): what their whole history
/// says about whether they may be pooled with neighbours again. An
/// `Outcome` belongs to one round; a standing outlives it, so a
/// pool-positive resident whose retest is still due is not taken for a new
/// face when the next round opens.
public enum Standing: String, Sendable, Hashable, CaseIterable, Codable {
    /// Nothing against them: pooled as usual.
    case cleared
    /// A pooled tube of theirs was positive; a single-tube retest is due.
    case poolPositive = "pool_positive"
    /// Lives with someone whose single tube was positive.
    case householdContact = "household_contact"
    /// A single tube of theirs was positive.
    case positive

    /// Whether they are sampled single-tube only, and called to single tubes.
    public var needsSingleTube: Bool { self != .cleared }

    /// How grave it is: a new fact raises a standing, never lowers it.
    var rank: Int {
        switch self {
        case .cleared: 0
        case .poolPositive: 1
        case .householdContact: 2
        case .positive: 3
        }
    }
}

/// Something that may change a standing.
public enum StandingEvent: Sendable, Equatable {
    /// A result for one of the resident's own samples (sample ids grow with time).
    case result(TubeResult, mode: TubeMode, sample: Int64)
    /// A household member's single tube (their sample `sample`) was positive.
    case householdPositive(sample: Int64)
    /// A coordinator cleared them, with a reason, knowing their samples up to `latestSample`.
    case clearance(latestSample: Int64?)
}

/// A standing and the sample that set it.
public struct StandingState: Sendable, Equatable {
    public var standing: Standing
    /// The newest sample the standing was decided on; a result for an older
    /// sample cannot clear it, and a pooled positive older than a clearing
    /// result does not raise it again.
    public var decidedBySample: Int64?

    public init(standing: Standing, decidedBySample: Int64?) {
        self.standing = standing
        self.decidedBySample = decidedBySample
    }

    public static let cleared = StandingState(standing: .cleared, decidedBySample: nil)

    /// The standing after `event`.
    ///
    /// Raising and clearing are not symmetric, on purpose: a single-tube
    /// positive raises whenever it arrives (a confirmed case is never undone
    /// by a result that happened to arrive first), while only a single-tube
    /// negative newer than what raised it, or a coordinator, clears. Pooled
    /// negatives and unreadable results change nothing: a pool says nothing
    /// about one person, and `invalid` says nothing at all.
    public func after(_ event: StandingEvent) -> StandingState {
        switch event {
        case let .result(.positive, mode, sample):
            if !mode.isPooled { return raised(to: .positive, by: sample) }
            // A newer single-tube negative (or a clearance that knew this sample) already answered this pool.
            if standing == .cleared, let decided = decidedBySample, decided > sample { return self }
            return raised(to: .poolPositive, by: sample)
        case let .result(.negative, mode, sample):
            guard !mode.isPooled, sample > (decidedBySample ?? 0) else { return self }
            return StandingState(standing: .cleared, decidedBySample: sample)
        case .result(.invalid, _, _):
            return self
        case let .householdPositive(sample):
            // As for a pool: their own single-tube negative taken after the index case's swab answered it,
            // whichever result arrived first.
            if standing == .cleared, let decided = decidedBySample, decided > sample { return self }
            return raised(to: .householdContact, by: sample)
        case let .clearance(latestSample):
            return StandingState(standing: .cleared, decidedBySample: max(latestSample ?? 0, decidedBySample ?? 0))
        }
    }

    /// Whether a single-tube sample is due because of the standing: it is
    /// not cleared and no single tube was taken after what raised it
    /// (`latestSingleTube`: the resident's newest single-tube sample, if any;
    /// a pooled one cannot clear them, so it does not count).
    public func retestDue(latestSingleTube: Int64?) -> Bool {
        standing.needsSingleTube && (latestSingleTube ?? 0) <= (decidedBySample ?? 0)
    }

    /// The standing after each event in turn, from cleared.
    public static func fold(_ events: [StandingEvent]) -> StandingState {
        events.reduce(.cleared) { $0.after($1) }
    }

    private func raised(to new: Standing, by sample: Int64) -> StandingState {
        StandingState(
            standing: new.rank > standing.rank ? new : standing, decidedBySample: max(sample, decidedBySample ?? 0))
    }
}
