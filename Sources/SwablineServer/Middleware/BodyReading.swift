import Hummingbird

/// Reads a request's body whole, within a size and a time. A client that
/// starts a body and stalls, or drips it a byte at a time (which the idle
/// timeout alone does not stop), holds memory and a connection; past the
/// deadline it gets 408 `body_too_slow` and the connection is closed.
enum BodyReading {
    /// Long enough for a lab's 8 MB delivery over a slow mobile link
    /// (about 2 Mbit/s), short enough that stalled uploads cannot pile up.
    static let deadline: Duration = .seconds(45)

    static func collect(_ request: Request, upTo maxSize: Int, within deadline: Duration = deadline) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await request.body.collect(upTo: maxSize) }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else {
                var problem = Problem(
                    .requestTimeout, code: "body_too_slow",
                    detail: "The request body did not arrive within \(deadline.components.seconds) seconds; send it again.")
                problem.headers[.connection] = "close"
                throw problem
            }
            return buffer
        }
    }
}
