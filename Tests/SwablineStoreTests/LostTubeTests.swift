import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

@Suite("A tube reported lost")
struct LostTubeTests {
    @Test("an empty tube opened by a wrong scan is given up, frees its station, and leaves its step and reason on record")
    func emptyTubeFreesStation() async throws {
        let f = try await Fixture.make()
        _ = try await f.store.openTube(site: Fixture.site, code: "WRONG-1", station: "s1", mode: nil, by: f.staff)
        let empty = await #expect(throws: StoreError.self) {
            try await f.store.sealTube("WRONG-1", by: f.staff)
        }
        #expect(empty?.code == "empty_tube")
        #expect(empty?.message == "Tube WRONG-1 holds nobody yet: there is nothing to seal.")
        let lost = try await f.store.reportTubeLost("WRONG-1", reason: "  opened by a wrong scan ", by: f.staff)
        #expect(lost.state == .lost && lost.filled == 0)
        _ = try await f.store.openTube(site: Fixture.site, code: "T-NEXT", station: "s1", mode: nil, by: f.staff)

        let trail = try await f.store.auditTrail(.tube("WRONG-1"), by: f.coordinator)
        #expect(trail.map(\.action) == ["opened", "lost", "tube_lost"])
        #expect(trail.last?.detail == "opened by a wrong scan")
        // A resent report answers the tube as it is and records nothing more.
        let before = try await f.fingerprint()
        #expect(try await f.store.reportTubeLost("WRONG-1", reason: "again", by: f.staff) == lost)
        #expect(try await f.fingerprint() == before)
    }

    @Test("the members of a lost tube are due to be sampled again, and are requeued when they come back to the gate")
    func membersSampledAgain() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        try await f.fill("DROPPED", residents: people)
        _ = try await f.store.sealTube("DROPPED", by: f.staff)
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/x", events: [.residentOutcome, .tubeLost], label: nil)

        #expect(try await f.store.reportTubeLost("DROPPED", reason: "fell off the packing table", by: f.coordinator).state == .lost)
        for code in people { #expect(try await f.store.outcome(resident: code, by: f.staff).outcome == .invalid) }
        #expect(try await f.store.retests(site: Fixture.site, by: f.staff).total == people.count)
        let again = try await f.store.checkIn(site: Fixture.site, code: people[0], walkIn: nil, priority: false, by: f.staff)
        #expect(again.repeated && again.ticket.status == .waiting, "back in the queue for the resample")
        _ = try await f.store.openTube(site: Fixture.site, code: "AGAIN", station: "s1", mode: nil, by: f.staff)
        #expect(try await f.store.addSample(tube: "AGAIN", resident: people[0], by: f.staff).retest)

        let messages = try await f.store.read { db in try Data.fetchAll(db, sql: "SELECT body FROM outbox ORDER BY id") }
            .map { try JSONSerialization.jsonObject(with: $0) as! [String: Any] }
        #expect(messages.map { $0["type"] as! String } == people.map { _ in "resident.outcome" } + ["tube.lost"])
        let data = messages[0]["data"] as! [String: Any]
        #expect(data["outcome"] as? String == "invalid" && data["tube_lost"] as? Bool == true && data["tube_result"] == nil)
    }

    @Test("a pool-positive person whose single retest tube is lost still needs a single tube")
    func lostRetestStaysSingle() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        _ = try await f.results("w1", [("P1", .positive)])
        try await f.fill("S-LOST", residents: [people[0]], mode: .single)
        _ = try await f.store.reportTubeLost("S-LOST", reason: "cracked", by: f.staff)
        #expect(try await f.store.outcome(resident: people[0], by: f.staff).outcome == .poolPositive)
        _ = try await f.store.openTube(site: Fixture.site, code: "POOL", station: "s2", mode: nil, by: f.staff)
        await #expect(throws: StoreError.rule(.retestNeedsSingleTube(resident: people[0]))) {
            try await f.store.addSample(tube: "POOL", resident: people[0], by: f.staff)
        }
        _ = try await f.store.openTube(site: Fixture.site, code: "S-NEXT", station: "s1", mode: .single, by: f.staff)
        #expect(try await f.store.addSample(tube: "S-NEXT", resident: people[0], by: f.staff).retest)
    }

    @Test("a lost tube is not awaited at the lab, takes no more samples, cannot be sealed, and a number in its reason is masked")
    func afterTheLoss() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        try await f.fill("BROKEN", residents: [people[0]])
        #expect(try await f.store.turnaround(site: Fixture.site, by: f.staff).awaitingReceipt == 1)
        _ = try await f.store.reportTubeLost("BROKEN", reason: "cracked; resident 13812345678 told", by: f.staff)
        #expect(try await f.store.turnaround(site: Fixture.site, by: f.staff).awaitingReceipt == 0)
        await #expect(throws: StoreError.rule(.tubeNotOpen(tube: "BROKEN", state: .lost))) {
            try await f.store.addSample(tube: "BROKEN", resident: people[0], by: f.staff)
        }
        await #expect(throws: StoreError.rule(.tubeStepSkipped(from: .lost, event: .sealed))) {
            try await f.store.sealTube("BROKEN", by: f.staff)
        }
        let detail = try await f.store.auditTrail(.tube("BROKEN"), by: f.coordinator).last?.detail ?? ""
        #expect(detail == "cracked; resident 138****5678 told")
    }

    @Test("a boxed tube, an empty reason, a courier and another site's staff are refused, and nothing changes")
    func refusals() async throws {
        let f = try await Fixture.make()
        try await f.shipTube("BOXED", residents: try await f.household("1-2-401"), box: "B1")
        _ = try await f.store.openTube(site: Fixture.site, code: "OPEN", station: "s1", mode: nil, by: f.staff)
        let before = try await f.fingerprint()
        let refusals: [(String, String, Actor, String)] = [
            ("BOXED", "lost", f.staff, "tube_already_boxed"),
            ("OPEN", "  ", f.staff, "invalid_field"),
            ("OPEN", String(repeating: "x", count: 501), f.staff, "invalid_field"),
            ("OPEN", "lost", f.courier, "forbidden"),
            ("OPEN", "lost", f.otherStaff, "tube_not_found"),
            ("NOPE", "lost", f.coordinator, "tube_not_found"),
        ]
        for (tube, reason, actor, code) in refusals {
            do {
                _ = try await f.store.reportTubeLost(tube, reason: reason, by: actor)
                Issue.record("\(tube) as \(actor) was not refused")
            } catch let error as StoreError {
                #expect(error.code == code, "\(tube) as \(actor): \(error)")
            }
        }
        #expect(try await f.fingerprint() == before)
    }
}
