import Foundation
import Synchronization

/// How many failures a client may have: `burst` at once, then `perMinute`
/// as the bucket refills (a token bucket).
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    /// Failures allowed back to back before the first refusal.
    public var burst: Int
    /// Failures a minute allowed after the burst.
    public var perMinute: Double

    public init(burst: Int, perMinute: Double) {
        precondition(burst >= 1 && perMinute > 0 && perMinute.isFinite, "a rate limit needs burst ≥ 1 and a positive rate")
        self.burst = burst
        self.perMinute = perMinute
    }

    /// `count` failures a minute, and as many at once.
    public init(perMinute count: Int) { self.init(burst: count, perMinute: Double(count)) }

    public var description: String { "\(burst) at once, then \(perMinute.formatted()) a minute" }
}

/// Counts failures per key (a client address, a lab) in a token bucket
/// each, and says when a key has had too many. Only failures are recorded:
/// a key that never fails is never tracked.
///
/// Memory is bounded: at `capacity` keys, buckets that have refilled (the
/// same as no bucket) are dropped, and if that is not enough the least
/// recently failed quarter is forgotten. A flood from more addresses than
/// `capacity` therefore forgets some of them early; it never grows the table.
final class FailureLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: Date
    }

    let limit: RateLimit
    let capacity: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(_ limit: RateLimit, capacity: Int) {
        precondition(capacity >= 1, "a limiter tracks at least one key")
        self.limit = limit
        self.capacity = capacity
    }

    var perSecond: Double { limit.perMinute / 60 }

    /// Records one failure for `key` at `now`. Nil when the key had room for
    /// it; otherwise the seconds until it has room again, and the failure
    /// is not recorded (a refused attempt does not push the wait further out).
    func recordFailure(_ key: String, now: Date) -> TimeInterval? {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: Double(limit.burst), updated: now)
            bucket.tokens = refilled(bucket, now: now)
            bucket.updated = max(bucket.updated, now)
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return (1 - bucket.tokens) / perSecond
            }
            bucket.tokens -= 1
            if buckets[key] == nil, buckets.count >= capacity { evict(&buckets, now: now) }
            buckets[key] = bucket
            return nil
        }
    }

    /// How many keys are tracked now (for tests of the bound).
    var count: Int { buckets.withLock { $0.count } }

    private func refilled(_ bucket: Bucket, now: Date) -> Double {
        min(Double(limit.burst), bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * perSecond)
    }

    private func evict(_ buckets: inout [String: Bucket], now: Date) {
        buckets = buckets.filter { refilled($0.value, now: now) < Double(limit.burst) }
        guard buckets.count >= capacity else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(max(1, capacity / 4))
        for (key, _) in oldest { buckets[key] = nil }
    }
}
