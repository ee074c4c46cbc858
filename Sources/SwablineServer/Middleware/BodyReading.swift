import Hummingbird
import NIOCore

/// Reads a request's body whole, within a size and a time. A client that
/// starts a body and drips it a byte at a time (which the idle timeout
/// alone does not stop) holds memory and a connection; past the deadline
/// it gets 408 `body_too_slow` and the connection is closed.
///
/// The deadline is checked as each piece of the body arrives, not by a
/// timer raced against the read: a body that stops arriving altogether is
/// the server's idle timeout's to close (`ServerConfiguration.idleTimeout`,
/// 30 s), so no piece can wait long past the deadline, and a request does
/// not pay for a task group and a sleeping task (7 % of a check-in's CPU
/// in issue #18's profile).
public enum BodyReading {
    /// Long enough for a lab's 8 MB delivery over a slow mobile link
    /// (about 2 Mbit/s), short enough that stalled uploads cannot pile up.
    public static let deadline: Duration = .seconds(45)

    static func collect(_ request: Request, upTo maxSize: Int, within deadline: Duration = deadline) async throws -> ByteBuffer {
        let clock = ContinuousClock()
        let late = clock.now.advanced(by: deadline)
        var pieces = request.body.makeAsyncIterator()
        // The first piece is the buffer the rest are added to: a body that came whole is not copied.
        guard var body = try await pieces.next() else { return ByteBuffer() }
        while true {
            guard body.readableBytes <= maxSize else { throw NIOTooManyBytesError(maxBytes: maxSize) }
            guard clock.now <= late else { throw tooSlow(deadline) }
            guard var piece = try await pieces.next() else { return body }
            body.writeBuffer(&piece)
        }
    }

    private static func tooSlow(_ deadline: Duration) -> Problem {
        var problem = Problem(
            .requestTimeout, code: "body_too_slow",
            detail: "The request body did not arrive within \(deadline.components.seconds) seconds; send it again.")
        problem.headers[.connection] = "close"
        return problem
    }
}
