import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

@Suite("Outcome callbacks: the outbox")
struct OutboxTests {
    /// A schedule that retries at once, so tests need no clock.
    let immediate = RetrySchedule(base: 0.000_001, cap: 0.000_001, maxAttempts: 3)

    func bodies(_ f: Fixture) async throws -> [[String: Any]] {
        try await f.store.read { db in try Data.fetchAll(db, sql: "SELECT body FROM outbox ORDER BY id") }
            .map { try JSONSerialization.jsonObject(with: $0) as! [String: Any] }
    }

    @Test("an outcome and its callback are written in the same transaction, one per subscriber of the event")
    func enqueuedWithTheChange() async throws {
        let f = try await Fixture.make()
        let (outcomes, _) = try await f.store.addSubscriber(url: "http://127.0.0.1:9/outcomes", events: [.residentOutcome], label: "health code")
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/tubes", events: [.tubeSealed, .tubeResulted], label: nil)
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        #expect(try await f.store.outboxStatus().pending == 1)  // tube.sealed
        _ = try await f.results("w1", [("P1", .positive)])
        let messages = try await bodies(f)
        #expect(messages.map { $0["type"] as! String } == ["tube.sealed"] + people.map { _ in "resident.outcome" } + ["tube.resulted"])
        let first = messages[1]["data"] as! [String: Any]
        #expect(first["resident"] as? String == people[0])
        #expect(first["outcome"] as? String == "pool_positive")
        #expect(first["tube"] as? String == "P1")
        #expect(first["site"] as? String == Fixture.site)
        // Rule 8: no name, ID number or phone in a callback.
        let text = String(decoding: try JSONSerialization.data(withJSONObject: messages), as: UTF8.self)
        #expect(!text.contains("id_number") && !text.contains("phone") && !text.contains("name"))
        #expect(try await f.store.subscriber(id: outcomes).pending == people.count)

        // A repeated delivery changes nothing, so it writes no callback either.
        let before = try await f.store.outboxStatus()
        _ = try await f.results("w1-again", [("P1", .positive)])
        #expect(try await f.store.outboxStatus() == before)
    }

    @Test("a change that is rolled back takes its callback with it")
    func rolledBackTogether() async throws {
        let f = try await Fixture.make()
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/x", events: CallbackEvent.allCases, label: nil)
        let before = try await f.fingerprint()
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await f.store.write { db, now in
                try Store.enqueueCallback(db, event: .tubeSealed, orderingKey: "tube:X", now: now) { ["code": "X"] }
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") == 1)
                throw Refused()
            }
        }
        #expect(try await f.fingerprint() == before)
    }

    @Test("one resident's callbacks go in order: a later one waits until the earlier one is delivered or dead")
    func orderPerResident() async throws {
        let f = try await Fixture.make()
        let (subscriber, _) = try await f.store.addSubscriber(url: "http://127.0.0.1:9/x", events: [.residentOutcome], label: nil)
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        _ = try await f.results("w1", [("P1", .positive)])
        try await f.shipTube("S1", residents: [people[0]], box: "B2", mode: .single)
        _ = try await f.results("w2", [("S1", .negative)])
        // people[0] has two messages (pool positive, then negative); only the first is due.
        var due = try await f.store.dueCallbacks(limit: 100)
        #expect(due.count == people.count)
        let key = "resident:\(try await residentID(f, people[0]))"
        let first = try #require(due.first { $0.orderingKey == key })
        #expect(String(decoding: first.body, as: UTF8.self).contains("pool_positive"))
        #expect(due.allSatisfy { $0.subscriber == subscriber && $0.attempts == 0 && $0.secrets.count == 1 })
        // It fails: it is still the head of its key, and the negative stays behind it.
        try await f.store.recordCallbackAttempts([(first.id, .failed(reason: "HTTP 500", receiverDown: false))], schedule: immediate)
        due = try await f.store.dueCallbacks(limit: 100)
        let again = try #require(due.first { $0.orderingKey == first.orderingKey })
        #expect(again.id == first.id && again.attempts == 1 && again.messageID == first.messageID)
        // Delivered: now the negative is next for that resident.
        try await f.store.recordCallbackAttempts(due.map { ($0.id, .delivered) }, schedule: immediate)
        due = try await f.store.dueCallbacks(limit: 100)
        #expect(due.count == 1)
        #expect(String(decoding: due[0].body, as: UTF8.self).contains("\"negative\""))
    }

    @Test("a message handed to one poller is not handed to another until its lease runs out; then it goes again with the same webhook-id")
    func claimLease() async throws {
        // A whole second: `immediate`'s microsecond retry must not cross a millisecond the
        // store's times round to, or the retry would be due a millisecond after this clock.
        let clock = MovableClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded()))
        let f = try await Fixture.make(clock: { clock.now })
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/x", events: [.tubeSealed], label: nil)
        try await f.shipTube("P1", residents: try await f.household("1-2-401"), box: "B1")
        // Two nodes poll the same outbox: only the first gets the message.
        let first = try await f.store.dueCallbacks(limit: 10)
        #expect(first.count == 1)
        #expect(try await f.store.dueCallbacks(limit: 10).isEmpty, "claimed by the first poller")
        // The first node dies without reporting: after the lease, the message goes again, unchanged.
        clock.advance(hours: (Store.callbackLease + 1) / 3600)
        let again = try await f.store.dueCallbacks(limit: 10)
        #expect(again.map(\.messageID) == first.map(\.messageID))
        // A reported attempt ends the claim at once.
        try await f.store.recordCallbackAttempts([(again[0].id, .failed(reason: "HTTP 500", receiverDown: false))], schedule: immediate)
        #expect(try await f.store.dueCallbacks(limit: 10).map(\.messageID) == first.map(\.messageID))
    }

    @Test("a message that keeps failing is dead-lettered with its reason, and a replay puts it back")
    func deadLetterAndReplay() async throws {
        let f = try await Fixture.make()
        let (subscriber, _) = try await f.store.addSubscriber(url: "http://127.0.0.1:9/x", events: [.tubeSealed], label: nil)
        try await f.shipTube("P1", residents: try await f.household("1-2-401"), box: "B1")
        for attempt in 1...3 {
            let due = try await f.store.dueCallbacks(limit: 10)
            #expect(due.count == 1, "attempt \(attempt)")
            try await f.store.recordCallbackAttempts([(due[0].id, .failed(reason: "HTTP 500", receiverDown: false))], schedule: immediate)
        }
        #expect(try await f.store.dueCallbacks(limit: 10).isEmpty)
        let dead = try await f.store.deadCallbacks()
        #expect(dead.count == 1)
        #expect(dead[0].attempts == 3 && dead[0].event == .tubeSealed)
        #expect(dead[0].lastError == "HTTP 500 (gave up after 3 attempts)")
        #expect(try await f.store.outboxStatus() == OutboxStatus(pending: 0, dead: 1, oldestPendingAt: nil))

        await #expect(throws: StoreError.notFound(kind: .subscriber, code: "99")) { try await f.store.replayCallbacks(subscriber: 99) }
        #expect(try await f.store.replayCallbacks(ids: [dead[0].id + 1]) == 0)
        #expect(try await f.store.replayCallbacks(subscriber: subscriber) == 1)
        let due = try await f.store.dueCallbacks(limit: 10)
        #expect(due.map(\.id) == [dead[0].id] && due[0].attempts == 0 && due[0].messageID == dead[0].messageId)
    }

    @Test("a receiver that does not answer pauses its subscriber until the retry; other subscribers go on")
    func receiverDownPauses() async throws {
        let f = try await Fixture.make()
        let (down, _) = try await f.store.addSubscriber(url: "http://127.0.0.1:9/down", events: [.tubeSealed], label: nil)
        let (up, _) = try await f.store.addSubscriber(url: "http://127.0.0.1:9/up", events: [.tubeSealed], label: nil)
        try await f.shipTube("P1", residents: try await f.household("1-2-401"), box: "B1")
        let due = try await f.store.dueCallbacks(limit: 10)
        let slow = RetrySchedule(base: 3600, cap: 3600, maxAttempts: 5)
        try await f.store.recordCallbackAttempts(
            due.map { ($0.id, $0.subscriber == down ? .failed(reason: "connection refused", receiverDown: true) : .failed(reason: "HTTP 500", receiverDown: false)) },
            schedule: slow)
        #expect(try await f.store.subscriber(id: down).pausedUntil != nil)
        #expect(try await f.store.subscriber(id: up).pausedUntil == nil)
        // Both wait between half and all of the hour.
        let next = try await f.store.read { db in try String.fetchAll(db, sql: "SELECT next_attempt_at FROM outbox") }
        for time in next {
            let wait = try #require(Timestamp.date(time)).timeIntervalSinceNow
            #expect(wait > 1_700 && wait <= 3_600)
        }
    }

    @Test("subscribers: only http(s) URLs, at least one event; rotation keeps the old secret for the overlap; removal stops sending")
    func subscribers() async throws {
        let f = try await Fixture.make()
        for url in ["ftp://x/y", "not a url", "http://", "/relative"] {
            await #expect(throws: StoreError.invalid(field: "url", why: "must be an http:// or https:// address with a host")) {
                _ = try await f.store.addSubscriber(url: url, events: [.tubeSealed], label: nil)
            }
        }
        await #expect(throws: StoreError.self) { _ = try await f.store.addSubscriber(url: "https://a.example/x", events: [], label: nil) }
        let (id, secret) = try await f.store.addSubscriber(url: "https://a.example/x", events: [.tubeSealed, .residentOutcome], label: "a")
        #expect(secret.hasPrefix("whsec_"))
        #expect(try await f.store.subscriber(id: id).events == [.residentOutcome, .tubeSealed])
        let newSecret = try await f.store.rotateSubscriberSecret(id: id, overlap: 3600)
        try await f.shipTube("P1", residents: try await f.household("1-2-401"), box: "B1")
        #expect(try await f.store.dueCallbacks(limit: 10).first?.secrets == [newSecret, secret])
        #expect(try await f.store.outboxStatus().pending == 1)
        _ = try await f.store.removeSubscriber(id: id)
        #expect(try await f.store.dueCallbacks(limit: 10).isEmpty)
        // Kept, but no longer waiting for anything: not counted as behind.
        #expect(try await f.store.outboxStatus() == OutboxStatus(pending: 0, dead: 0, oldestPendingAt: nil))
        #expect(try await f.store.subscriber(id: id).pending == 1)
        let removed = await #expect(throws: StoreError.self) {
            _ = try await f.store.rotateSubscriberSecret(id: id, overlap: 0)
        }
        #expect(removed?.code == "subscriber_removed")
        #expect(removed?.message == "Subscriber \(id) was removed; add it again instead.")
        await #expect(throws: StoreError.notFound(kind: .subscriber, code: "42")) { _ = try await f.store.removeSubscriber(id: 42) }
    }

    @Test("delivered messages are pruned after the retention; pending and dead ones never")
    func prune() async throws {
        let f = try await Fixture.make()
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/x", events: [.tubeSealed], label: nil)
        try await f.shipTube("P1", residents: try await f.household("1-2-401"), box: "B1")
        try await f.shipTube("P2", residents: try await f.household("1-2-402"), box: "B2")
        let due = try await f.store.dueCallbacks(limit: 10)
        try await f.store.recordCallbackAttempts([(due[0].id, .delivered)], schedule: immediate)
        #expect(try await f.store.pruneDeliveredCallbacks(olderThan: 3600) == 0)
        #expect(try await f.store.pruneDeliveredCallbacks(olderThan: -1) == 1)
        #expect(try await f.store.outboxStatus().pending == 1)
    }

    func residentID(_ f: Fixture, _ code: String) async throws -> Int64 {
        try await f.store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM resident WHERE code = ?", arguments: [code])! }
    }
}
