import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
@testable import SwablineServer
import Synchronization
import Testing

@Suite("Reading a request body: within a size and a time")
struct BodyReadingTests {
    /// A body that arrives as `pieces`, each after `gap`, produced by the
    /// reader's own task (no second task to be scheduled on a busy machine),
    /// counting the pieces it has handed out.
    struct Pieces: AsyncSequence, Sendable {
        let pieces: [String]
        let gap: Duration
        let handedOut = Counter()

        final class Counter: Sendable {
            let value = Mutex(0)
        }

        struct AsyncIterator: AsyncIteratorProtocol {
            let source: Pieces
            var next = 0

            mutating func next() async throws -> ByteBuffer? {
                guard next < source.pieces.count else { return nil }
                if source.gap > .zero { try await Task.sleep(for: source.gap) }
                defer { next += 1 }
                source.handedOut.value.withLock { $0 += 1 }
                return ByteBuffer(string: source.pieces[next])
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: self) }
    }

    func request(_ body: Pieces) -> Request {
        Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1", path: "/v1/checkins"),
            body: RequestBody(asyncSequence: body))
    }

    func request(_ pieces: [String]) -> Request { request(Pieces(pieces: pieces, gap: .zero)) }

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

    @Test("a body dripped past the deadline is 408 body_too_slow, closes the connection, and is refused before it ends")
    func drip() async throws {
        // 40 pieces 50 ms apart take at least 2 s; the deadline is 300 ms. On a busy machine the
        // gaps only grow, so the drip is refused earlier, never after its last piece.
        let drip = Pieces(pieces: Array(repeating: "x", count: 40), gap: .milliseconds(50))
        do {
            _ = try await BodyReading.collect(request(drip), upTo: 1_000, within: .milliseconds(300))
            Issue.record("a dripped body was read whole")
        } catch let problem as Problem {
            #expect(problem.status == .requestTimeout)
            #expect(problem.code == "body_too_slow")
            #expect(problem.headers[.connection] == "close")
        }
        #expect(drip.handedOut.value.withLock { $0 } < 40)
    }
}
