import Foundation
import SwablineCore
@testable import SwablineStore
import Testing

@Suite("Turnaround from the chain of custody; anomalies resolved by a coordinator")
struct AnomalyAndTurnaroundTests {
    static let start = Date(timeIntervalSince1970: 1_649_145_600)  // 2022-04-05 08:00 UTC

    /// Checks a household in, swabs it into a new tube at s1 and seals the tube.
    func sample(_ f: Fixture, tube: String, household: String) async throws -> [String] {
        let people = try await f.household(household)
        try await f.fill(tube, residents: people)
        _ = try await f.store.sealTube(tube, by: f.staff)
        return people
    }

    /// Boxes a sealed tube and carries it to the lab's door (not yet received).
    func carry(_ f: Fixture, tube: String, box: String) async throws {
        _ = try await f.store.createBox(site: Fixture.site, code: box, by: f.staff)
        _ = try await f.store.addTubeToBox(box: box, tube: tube, by: f.staff)
        _ = try await f.store.sealBox(box, by: f.staff)
        _ = try await f.store.pickUpBox(box, tubeCount: 1, temperature: 4, by: f.courier)
        _ = try await f.store.handOverBox(box, by: f.courier)
    }

    func receive(_ f: Fixture, box: String) async throws {
        _ = try await f.store.receiveLabDelivery(lab: Fixture.lab, webhookID: "recv-\(box)", event: .boxReceived(box: box, tubeCount: 1))
    }

    @Test("sampling → receipt per sample and receipt → result per tube, in the server's own times; what is still on its way is counted")
    func turnaround() async throws {
        let clock = MovableClock(Self.start)
        let f = try await Fixture.make(clock: { clock.now })
        // 08:00 two people into T1; 10:00 two into T2; 11:00 two into T3.
        let first = try await sample(f, tube: "TA-1", household: "1-1-101")
        clock.advance(hours: 2)
        let second = try await sample(f, tube: "TA-2", household: "1-1-102")
        clock.advance(hours: 1)
        let third = try await sample(f, tube: "TA-3", household: "1-1-301")
        try await carry(f, tube: "TA-1", box: "BA-1")
        try await carry(f, tube: "TA-2", box: "BA-2")
        // 12:30: both boxes received; T1's swabs are 4.5 h old, T2's 2.5 h.
        clock.advance(hours: 1.5)
        try await receive(f, box: "BA-1")
        try await receive(f, box: "BA-2")
        // 14:00: T1 resulted (the lab's own tested_at says 10:00 and is not used).
        clock.advance(hours: 1.5)
        _ = try await f.results("res-1", [("TA-1", .negative)])

        let report = try await f.store.turnaround(site: Fixture.site, by: f.coordinator)
        let expected: [Double] = Array(repeating: 9_000, count: second.count) + Array(repeating: 16_200, count: first.count)
        #expect(report.sampleToReceipt.durations == expected)
        #expect(report.sampleToReceipt.share(atLeast: Turnaround.receiptLimit) == Double(first.count) / Double(first.count + second.count))
        #expect(report.receiptToResult.durations == [5_400])
        #expect(report.awaitingReceipt == third.count)
        #expect(report.awaitingResult == 1)
        #expect(try await f.store.turnaround(site: Fixture.site, by: f.staff) == report)
        await #expect(throws: StoreError.forbidden("Your token is for site huaxiali, not fangfeiyuan.")) {
            try await f.store.turnaround(site: Fixture.site, by: f.otherStaff)
        }
        await #expect(throws: StoreError.self) { try await f.store.turnaround(site: Fixture.site, by: f.courier) }
        // Another site's samples are not this site's.
        #expect(try await f.store.turnaround(site: "huaxiali", by: f.coordinator).sampleToReceipt.count == 0)
    }

    @Test("a conflicting result is listed until a coordinator resolves it with a note; a second resolve changes nothing")
    func anomalies() async throws {
        let clock = MovableClock(Self.start)
        let f = try await Fixture.make(clock: { clock.now })
        try await f.shipTube("TB-1", residents: try await f.household("1-1-101"), box: "BB-1")
        _ = try await f.results("r-1", [("TB-1", .positive)])
        #expect(try await f.results("r-2", [("TB-1", .negative)]).counts == ["anomaly": 1])

        let open = try await f.store.anomalies(by: f.coordinator)
        #expect(open.count == 1)
        let anomaly = try #require(open.first)
        #expect(anomaly.tube == "TB-1" && anomaly.site == Fixture.site && anomaly.lab == Fixture.lab)
        #expect(anomaly.recordedResult == .positive && anomaly.postedResult == .negative && anomaly.webhookId == "r-2")
        #expect(anomaly.resolvedAt == nil && anomaly.resolvedBy == nil && anomaly.note == nil)
        // Staff see their own site's; another site's staff none of them, and not by asking.
        #expect(try await f.store.anomalies(by: f.staff) == open)
        #expect(try await f.store.anomalies(by: f.otherStaff).isEmpty)
        await #expect(throws: StoreError.forbidden("Your token is for site huaxiali, not fangfeiyuan.")) {
            try await f.store.anomalies(site: Fixture.site, by: f.otherStaff)
        }
        await #expect(throws: StoreError.self) { try await f.store.anomalies(by: f.courier) }
        await #expect(throws: StoreError.notFound(kind: .site, code: "nowhere")) {
            try await f.store.anomalies(site: "nowhere", by: f.coordinator)
        }

        // Refusals change nothing.
        let before = try await f.fingerprint()
        await #expect(throws: StoreError.forbidden("This needs a coordinator token.")) {
            try await f.store.resolveAnomaly(id: anomaly.id, note: "checked", by: f.staff)
        }
        for note in ["", "   ", String(repeating: "长", count: 501)] {
            await #expect(throws: StoreError.invalid(field: "note", why: "must be 1 to 500 characters: what was checked and what was done")) {
                try await f.store.resolveAnomaly(id: anomaly.id, note: note, by: f.coordinator)
            }
        }
        await #expect(throws: StoreError.notFound(kind: .anomaly, code: "#999")) {
            try await f.store.resolveAnomaly(id: 999, note: "checked", by: f.coordinator)
        }
        #expect(try await f.fingerprint() == before)

        clock.advance(hours: 1)
        let resolved = try await f.store.resolveAnomaly(id: anomaly.id, note: "  实验室复核：原结果无误，已安排单管复检。 ", by: f.coordinator)
        guard case let .coordinator(token) = f.coordinator else { Issue.record("not a coordinator"); return }
        #expect(resolved.resolvedBy == "coordinator#\(token)")
        #expect(resolved.note == "实验室复核：原结果无误，已安排单管复检。")
        #expect(resolved.resolvedAt == Timestamp.string(clock.now))
        #expect(try await f.store.anomalies(by: f.coordinator).isEmpty)
        #expect(try await f.store.anomalies(filter: .resolved, by: f.coordinator) == [resolved])
        #expect(try await f.store.anomalies(filter: .all, by: f.coordinator) == [resolved])

        // A resent resolve answers the first resolution and changes nothing.
        clock.advance(hours: 1)
        let settled = try await f.fingerprint()
        #expect(try await f.store.resolveAnomaly(id: anomaly.id, note: "another note", by: f.coordinator) == resolved)
        #expect(try await f.fingerprint() == settled)
        // The recorded result stands (rule 4).
        #expect(try await f.store.outcome(resident: "FFY000001", by: f.coordinator).samples.first?.result == .positive)
    }
}
