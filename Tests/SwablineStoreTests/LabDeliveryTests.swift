import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

/// What a lab sends is applied only when it can be true: one message per
/// `webhook-id`, the box's own tube count, times that can have happened.
@Suite("A lab's deliveries are taken only when they can be true")
struct LabDeliveryTests {
    @Test("a webhook-id reused for a different message is refused and its results stay to be sent; the same message is a redelivery")
    func reusedWebhookID() async throws {
        let f = try await Fixture.make()
        try await f.shipTube("PT0", residents: ["FFY000005"], box: "B0")
        try await f.shipTube("PT1", residents: ["FFY000001", "FFY000002"], box: "B1", station: "s2")
        let first = try await f.results("mX", [("PT0", .negative)])
        #expect(first.results?.map(\.fate) == [.applied])
        let before = try await f.fingerprint()
        let refusal = await #expect(throws: StoreError.self) { _ = try await f.results("mX", [("PT1", .positive)]) }
        #expect(refusal?.code == "webhook_id_reused")
        #expect(try await f.fingerprint() == before, "nothing of the second message is applied or stored")
        // The same message again is a redelivery: the stored answer, nothing changed.
        let stored = try await f.store.read { try String.fetchOne($0, sql: "SELECT tested_at FROM tube WHERE code = 'PT0'")! }
        let again = try await f.store.receiveLabDelivery(
            lab: Fixture.lab, webhookID: "mX",
            event: .tubeResults([PostedResult(tube: "PT0", result: .negative, testedAt: stored, ct: nil)]))
        let firstAnswer = try await f.store.read {
            try Data.fetchOne($0, sql: "SELECT response FROM webhook_delivery WHERE webhook_id = 'mX'")!
        }
        #expect(again.replayed && again.body == firstAnswer)
        // Sent again under a new id, PT1's residents get their result.
        let retry = try await f.results("mY", [("PT1", .positive)])
        #expect(retry.results?.map(\.fate) == [.applied])
        let outcome = try await f.store.outcome(resident: "FFY000001", by: f.coordinator)
        #expect(outcome.outcome == .poolPositive)
    }

    @Test("a delivery's later results see what its earlier ones wrote, as if each had come in a delivery of its own")
    func deliverySeesItsOwnWrites() async throws {
        // One resident in a Round 1 pool and, swabbed later, a Round 2 single tube: the single's negative, first in
        // the delivery, answers the older pool's positive for them (their household is still raised), and the single
        // tube listed again is a duplicate. A delivery that read every tube and member up front and kept those reads
        // would raise them anyway.
        let results: [(String, TubeResult)] = [("S1", .negative), ("P1", .positive), ("S1", .negative)]
        func ship(_ f: Fixture, _ people: [String]) async throws {
            try await f.shipTube("P1", residents: people, box: "B1")
            _ = try await f.store.openRound(name: "Round 2", for: .sites([Fixture.site]))
            try await f.shipTube("S1", residents: [people[0]], box: "B2", mode: .single)
        }
        let together = try await delivered([results], ship: ship)
        let apart = try await delivered(results.map { [$0] }, ship: ship)
        #expect(together.fates == [.applied, .applied, .duplicate])
        #expect(together.fates == apart.fates)
        #expect(together.rows == apart.rows)
        #expect(together.rows.count == 7, "three Round 1 outcomes, one of Round 2, three standings")
        #expect(together.standings == [.cleared, .poolPositive, .poolPositive])
    }

    @Test("a household contact raised by a single tube's positive stays a contact when a later pool of the same delivery is positive")
    func contactsSeenByLaterTubes() async throws {
        // The contacts' standings are written by the single tube's positive, after the delivery read its members:
        // the pool must take them as written (a contact outranks a pool-positive), not as read before.
        let results: [(String, TubeResult)] = [("S1", .positive), ("P2", .positive)]
        func ship(_ f: Fixture, _ people: [String]) async throws {
            try await f.shipTube("S1", residents: [people[0]], box: "B1", mode: .single)
            try await f.shipTube("P2", residents: Array(people.dropFirst()), box: "B2")
        }
        let together = try await delivered([results], ship: ship)
        let apart = try await delivered(results.map { [$0] }, ship: ship)
        #expect(together.fates == [.applied, .applied])
        #expect(together.rows == apart.rows)
        #expect(together.standings == [.positive, .householdContact, .householdContact])
    }

    @Test("a delivery of more tubes than one read takes: the tubes on both sides of the 512th are found")
    func deliveryPastOneRead() async throws {
        let f = try await Fixture.make()
        try await f.shipTube("B1", residents: ["FFY000001"], box: "X1")
        try await f.shipTube("B2", residents: ["FFY000002"], box: "X2", station: "s2")
        // In code order 511 unknown codes, then B1 (the 512th), B2 (the 513th), then 100 more unknown.
        let unknown = (0..<511).map { String(format: "A%03d", $0) } + (0..<100).map { String(format: "C%03d", $0) }
        let answer = try await f.results("w1", (unknown + ["B1", "B2"]).map { ($0, .negative) })
        let fates = Dictionary(uniqueKeysWithValues: (answer.results ?? []).map { ($0.tube, $0.fate) })
        #expect(fates["B1"] == .applied && fates["B2"] == .applied)
        #expect(fates.count == 613 && fates.values.filter { $0 == .unknownTube }.count == 611)
        #expect(try await f.store.outcome(resident: "FFY000002", by: f.coordinator).outcome == .negative)
    }

    /// The fates, the outcome and standing rows, and the household's
    /// standings after `batches` of results on a new store, whose tubes
    /// `ship` makes for the household 1-2-401.
    private func delivered(
        _ batches: [[(String, TubeResult)]], ship: (Fixture, [String]) async throws -> Void
    ) async throws -> (fates: [ResultFate], rows: [String], standings: [Standing]) {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        try await ship(f, people)
        var fates: [ResultFate] = []
        for (index, batch) in batches.enumerated() {
            fates += try await f.results("w\(index)", batch).results?.map(\.fate) ?? []
        }
        let rows = try await f.store.read { db in
            try String.fetchAll(db, sql: """
                SELECT r.code || ' round ' || o.round_id || ' ' || o.status || ' by ' || coalesce(o.decided_by_sample, 0)
                FROM outcome o JOIN resident r ON r.id = o.resident_id
                UNION ALL
                SELECT r.code || ' standing ' || st.status || ' by ' || coalesce(st.decided_by_sample, 0)
                FROM standing st JOIN resident r ON r.id = st.resident_id ORDER BY 1
                """)
        }
        var standings: [Standing] = []
        for code in people { standings.append(try await f.store.outcome(resident: code, by: f.coordinator).standing) }
        return (fates, rows, standings)
    }

    @Test("a resent receipt or pickup with another tube count is refused, not answered as the first")
    func resentCountMustMatch() async throws {
        let f = try await Fixture.make()
        try await f.shipTube("T1", residents: ["FFY000005"], box: "B1")
        let before = try await f.fingerprint()
        await #expect(throws: StoreError.rule(.tubeCountMismatch(expected: 1, reported: 7))) {
            try await f.store.receiveLabDelivery(lab: Fixture.lab, webhookID: "recv-again", event: .boxReceived(box: "B1", tubeCount: 7))
        }
        await #expect(throws: StoreError.rule(.tubeCountMismatch(expected: 1, reported: 2))) {
            try await f.store.pickUpBox("B1", tubeCount: 2, temperature: 4, by: f.courier)
        }
        #expect(try await f.fingerprint() == before)
        let same = try await f.store.receiveLabDelivery(lab: Fixture.lab, webhookID: "recv-same", event: .boxReceived(box: "B1", tubeCount: 1))
        #expect(!same.replayed && String(decoding: same.body, as: UTF8.self).contains(#""state":"received""#))
    }

    @Test("a tested_at in the future or before the swab, past the clock-skew allowance, refuses the delivery")
    func impossibleTimes() async throws {
        let f = try await Fixture.make()
        try await f.shipTube("T1", residents: ["FFY000005"], box: "B1")
        let now = f.store.clock()
        func post(_ id: String, at testedAt: Date) async throws -> Data {
            try await f.store.receiveLabDelivery(
                lab: Fixture.lab, webhookID: id,
                event: .tubeResults([PostedResult(tube: "T1", result: .negative, testedAt: Timestamp.string(testedAt), ct: nil)])
            ).body
        }
        let before = try await f.fingerprint()
        let skew = ResultMatching.clockSkewAllowance
        await #expect(throws: StoreError.rule(.testedAtOutOfRange(tube: "T1", why: "is in the future"))) {
            try await post("far", at: Timestamp.date("2099-01-01T00:00:00Z")!)
        }
        await #expect(throws: StoreError.rule(.testedAtOutOfRange(tube: "T1", why: "is in the future"))) {
            try await post("soon", at: now.addingTimeInterval(skew + 120))
        }
        await #expect(throws: StoreError.rule(.testedAtOutOfRange(tube: "T1", why: "is before the tube was sampled"))) {
            try await post("early", at: now.addingTimeInterval(-skew - 120))
        }
        #expect(try await f.fingerprint() == before)
        // A lab clock a few minutes fast is within the allowance.
        let body = try await post("ok", at: now.addingTimeInterval(skew / 2))
        #expect(String(decoding: body, as: UTF8.self).contains(#""fate":"applied""#))
    }
}
