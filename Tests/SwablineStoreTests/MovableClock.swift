import Foundation

/// A clock a test moves by hand, read by the store from its own tasks.
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { value = start }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
    func advance(hours: Double) { lock.withLock { value += hours * 3600 } }
}
