/// What one resident must do after a round, derived from the results of the
/// tubes they were sampled into.
public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable {
    /// Sampled, no result yet (or not sampled at all).
    case pending
    case negative
    /// Their pooled tube was positive: isolate at home and wait for a
    /// single-tube retest (the door-to-door team comes).
    case poolPositive = "pool_positive"
    /// Their tube could not be read: sample again, any tube mode.
    case invalid
    /// A single tube (usually the retest) was positive.
    case positive

    /// Whether the resident must be sampled again in this round.
    public var needsRetest: Bool { self == .poolPositive || self == .invalid }

    /// The tube mode a retest may use: a pool-positive person is never pooled
    /// again until cleared; an invalid sample may go into any tube.
    public var retestNeedsSingleTube: Bool { self == .poolPositive }

    /// The outcome a tube result gives a person whose outcome was `current`
    /// (nil or `pending` for a first sample).
    ///
    /// A positive pool cannot say who is positive, so every member becomes
    /// `poolPositive`; only a single tube can make a person `positive`.
    ///
    /// An unreadable retest clears nobody: a pool-positive person whose
    /// single-tube retest comes back invalid (or whose retest tube is lost)
    /// stays pool-positive, so the next retest is a single tube again. Read
    /// alone, `invalid` would let them be pooled with their neighbours.
    public static func after(_ result: TubeResult, in mode: TubeMode, was current: Outcome?) -> Outcome {
        switch result {
        case .negative: .negative
        case .invalid: current == .poolPositive ? .poolPositive : .invalid
        case .positive: mode.isPooled ? .poolPositive : .positive
        }
    }
}
