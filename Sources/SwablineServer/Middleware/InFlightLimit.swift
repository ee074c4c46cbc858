import Synchronization

/// At most `limit` of something at once, counted without waiting: a
/// caller past the limit is told so at once and answers 503, rather than
/// queueing work (and memory) an attacker could pile up.
final class InFlightLimit: Sendable {
    let limit: Int
    private let count = Mutex(0)

    init(_ limit: Int) { self.limit = limit }

    /// Takes a place, or returns false when all are taken.
    func enter() -> Bool {
        count.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() { count.withLock { $0 -= 1 } }
}
