import Foundation
import SwablineCore
@testable import SwablineStore
import Testing

@Suite("Remembered answers")
struct IdempotencyStoreTests {
    @Test("an answer is kept 48 hours; one asked for within a window is replayed only that long, then replaced")
    func windows() async throws {
        let clock = MovableClock(AnomalyAndTurnaroundTests.start)
        let f = try await Fixture.make(clock: { clock.now })
        let first = RememberedAnswer(fingerprint: "a", status: 200, contentType: "text/html", body: Data("first".utf8))
        try await f.store.rememberAnswer(scope: "staff#1", key: "k", first)
        clock.advance(hours: 0.1)
        #expect(try await f.store.rememberedAnswer(scope: "staff#1", key: "k", within: 600) == first)
        #expect(try await f.store.rememberedAnswer(scope: "staff#2", key: "k") == nil, "keys are the caller's own")
        clock.advance(hours: 0.1)
        #expect(try await f.store.rememberedAnswer(scope: "staff#1", key: "k", within: 600) == nil, "too old for a double tap")
        #expect(try await f.store.rememberedAnswer(scope: "staff#1", key: "k") == first, "still kept for an API retry")

        let second = RememberedAnswer(fingerprint: "a", status: 200, contentType: "text/html", body: Data("second".utf8))
        try await f.store.rememberAnswer(scope: "staff#1", key: "k", second)
        #expect(try await f.store.rememberedAnswer(scope: "staff#1", key: "k") == first, "a key keeps its first answer")
        try await f.store.rememberAnswer(scope: "staff#1", key: "k", second, replacing: true)
        #expect(try await f.store.rememberedAnswer(scope: "staff#1", key: "k", within: 600) == second)

        clock.advance(hours: 49)
        try await f.store.rememberAnswer(scope: "staff#1", key: "other", first)
        #expect(try await f.store.rememberedAnswer(scope: "staff#1", key: "k") == nil, "forgotten after the retention")
    }
}
