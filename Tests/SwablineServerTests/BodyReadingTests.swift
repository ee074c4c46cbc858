import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
@testable import SwablineServer
import Testing

@Suite("Reading a request body: within a size and a time")
struct BodyReadingTests {
    /// A request whose body arrives as `pieces`, each after `gap`.
    func request(_ pieces: [String], gap: Duration = .zero) -> Request {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        Task {
            for piece in pieces {
                if gap > .zero { try? await Task.sleep(for: gap) }
                continuation.yield(ByteBuffer(string: piece))
            }
            continuation.finish()
        }
        return Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1", path: "/v1/checkins"),
            body: RequestBody(asyncSequence: stream))
    }

    @Test("a body in pieces is read whole; an empty body is empty")
    func whole() async throws {
        let body = try await BodyReading.collect(request(["{\"resident\":", "\"R1\"", "}"]), upTo: 1_000)
        #expect(String(buffer: body) == "{\"resident\":\"R1\"}")
        #expect(try await BodyReading.collect(request([]), upTo: 1_000).readableBytes == 0)
    }

    @Test("a body past the size is refused (413), whether its first piece or a later one crosses it")
    func tooLarge() async throws {
        await #expect(throws: NIOTooManyBytesError.self) { try await BodyReading.collect(request(["12345678901"]), upTo: 10) }
        await #expect(throws: NIOTooManyBytesError.self) { try await BodyReading.collect(request(["123456", "78901"]), upTo: 10) }
        #expect(try await BodyReading.collect(request(["12345", "67890"]), upTo: 10).readableBytes == 10)
    }

    @Test("a body dripped past the deadline is 408 body_too_slow and closes the connection")
    func drip() async throws {
        let started = ContinuousClock.now
        do {
            _ = try await BodyReading.collect(request(Array(repeating: "x", count: 40), gap: .milliseconds(50)), upTo: 1_000, within: .milliseconds(300))
            Issue.record("a dripped body was read whole")
        } catch let problem as Problem {
            #expect(problem.status == .requestTimeout)
            #expect(problem.code == "body_too_slow")
            #expect(problem.headers[.connection] == "close")
        }
        // Refused at the first piece after the deadline, not once the whole drip has arrived (2 s).
        #expect(ContinuousClock.now - started < .milliseconds(1_500))
    }
}
