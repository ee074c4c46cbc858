/// When to try an outcome callback again after a failed delivery, and when
/// to stop: exponential backoff with jitter, bounded in attempts.
///
/// The delay doubles from `base` per failed attempt up to `cap`; the actual
/// wait is drawn from the upper half of that ("equal jitter"), so a thousand
/// messages that failed together when a receiver went down do not all come
/// back in the same second, yet none waits less than half its step. The
/// defaults keep trying for 1.9 to 3.7 hours before a message is
/// dead-lettered, so a receiver that is down for an hour gets everything
/// once it is back.
public struct RetrySchedule: Sendable, Equatable {
    /// The delay after the first failure, in seconds.
    public var base: Double
    /// The longest delay between two attempts, in seconds.
    public var cap: Double
    /// Attempts after which a message goes to the dead-letter list.
    public var maxAttempts: Int

    public init(base: Double = 10, cap: Double = 30 * 60, maxAttempts: Int = 15) {
        precondition(base > 0 && cap >= base && maxAttempts >= 1, "a retry schedule needs 0 < base <= cap and at least one attempt")
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    /// What to do after the `attempts`-th attempt (1-based) failed.
    public enum Next: Sendable, Equatable {
        /// Try again after this many seconds.
        case retry(after: Double)
        /// Stop: the message goes to the dead-letter list.
        case deadLetter
    }

    /// The step before jitter after `attempts` failures: `base · 2^(attempts-1)`, at most `cap`.
    public func step(after attempts: Int) -> Double {
        let doublings = min(max(attempts - 1, 0), 62)
        return min(cap, base * Double(UInt64(1) << UInt64(doublings)))
    }

    /// The decision after the `attempts`-th failure, with jitter drawn from `random`.
    public func next(after attempts: Int, using random: inout some RandomNumberGenerator) -> Next {
        guard attempts < maxAttempts else { return .deadLetter }
        let step = step(after: attempts)
        return .retry(after: step / 2 + Double.random(in: 0...(step / 2), using: &random))
    }

    /// The longest a message can wait from its first attempt until it is dead-lettered.
    public var longestSpan: Double {
        (1..<maxAttempts).reduce(0) { $0 + step(after: $1) }
    }
}
