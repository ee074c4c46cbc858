import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

/// A lab that receives a box tube by tube, rejects tubes it cannot test,
/// and reads what a box carries before it opens it.
@Suite("Receipt tube by tube, rejected tubes, the manifest")
struct LabReceiptTests {
    /// Two tubes of two households sealed into one box and handed over (not yet received).
    static func handedOverBox(_ f: Fixture) async throws -> (first: [String], second: [String]) {
        let first = try await f.household("1-2-401"), second = try await f.household("1-1-101")
        try await f.fill("RT-1", residents: first)
        _ = try await f.store.sealTube("RT-1", by: f.staff)
        try await f.fill("RT-2", residents: second, station: "s2")
        _ = try await f.store.sealTube("RT-2", by: f.staff)
        _ = try await f.store.createBox(site: Fixture.site, code: "RB-1", by: f.staff)
        _ = try await f.store.addTubeToBox(box: "RB-1", tube: "RT-1", by: f.staff)
        _ = try await f.store.addTubeToBox(box: "RB-1", tube: "RT-2", by: f.staff)
        _ = try await f.store.sealBox("RB-1", by: f.staff)
        _ = try await f.store.pickUpBox("RB-1", tubeCount: 2, temperature: 4, by: f.courier)
        _ = try await f.store.handOverBox("RB-1", by: f.courier)
        return (first, second)
    }

    func answer(_ f: Fixture, _ id: String, _ event: LabEvent) async throws -> LabDeliveryAnswer {
        let (body, _) = try await f.store.receiveLabDelivery(lab: Fixture.lab, webhookID: id, event: event)
        return try JSONDecoder().decode(LabDeliveryAnswer.self, from: body, snakeCase: true)
    }

    @Test("a tube missing from the box at receipt is lost, its people sampled again; the rest of the box gets its results")
    func missingTubeDoesNotBlockTheBox() async throws {
        let f = try await Fixture.make()
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/x", events: [.tubeLost], label: nil)
        let (first, second) = try await Self.handedOverBox(f)
        let received = try await answer(f, "recv", .boxReceivedTubes(box: "RB-1", tubes: ["RT-2"]))
        #expect(received.box?.state == .received && received.box?.missing == ["RT-1"])
        for code in first { #expect(try await f.store.outcome(resident: code, by: f.staff).outcome == .invalid) }
        #expect(try await f.store.retests(site: Fixture.site, by: f.staff).total == first.count)
        let fates = try await f.results("w1", [("RT-2", .negative), ("RT-1", .negative)])
        #expect(fates.results?.map(\.fate) == [.applied, .notReceived])
        for code in second { #expect(try await f.store.outcome(resident: code, by: f.staff).outcome == .negative) }
        let trail = try await f.store.auditTrail(.tube("RT-1"), by: f.coordinator)
        #expect(trail.map(\.action).suffix(2) == ["lost", "tube_lost"])
        #expect(trail.last?.detail == "not in box RB-1 when the lab lab-dian received it")
        let lostMessages = try await f.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE event = 'tube.lost'") }
        #expect(lostMessages == 1)

        // The same receipt again is answered as it stands; another list is refused and changes nothing.
        let before = try await f.fingerprint()
        #expect(try await answer(f, "recv-again", .boxReceivedTubes(box: "RB-1", tubes: ["RT-2"])).box?.missing == ["RT-1"])
        let differs = await #expect(throws: StoreError.self) {
            try await f.store.receiveLabDelivery(lab: Fixture.lab, webhookID: "recv-3", event: .boxReceivedTubes(box: "RB-1", tubes: ["RT-1", "RT-2"]))
        }
        #expect(differs?.code == "receipt_differs")
        #expect(try await f.store.receiveLabDelivery(lab: Fixture.lab, webhookID: "recv-4", event: .boxReceived(box: "RB-1", tubeCount: 1)).replayed == false)
        #expect(try await f.fingerprint().filter { $0.key != "webhook_delivery" } == before.filter { $0.key != "webhook_delivery" })
    }

    @Test("a receipt listing a tube never packed into the box is refused and changes nothing")
    func strangerTubeRefused() async throws {
        let f = try await Fixture.make()
        _ = try await Self.handedOverBox(f)
        let before = try await f.fingerprint()
        let refused = await #expect(throws: StoreError.self) {
            try await f.store.receiveLabDelivery(lab: Fixture.lab, webhookID: "r", event: .boxReceivedTubes(box: "RB-1", tubes: ["RT-1", "XX-9"]))
        }
        #expect(refused?.code == "tube_not_in_box")
        #expect(refused?.message == "Tube XX-9 was not packed into box RB-1: scan the box's tubes again. Nothing was changed.")
        #expect(try await f.fingerprint() == before)
    }

    @Test("a rejected tube's people are sampled again with callbacks; no result can stand for it; a second rejection changes nothing")
    func rejectedTube() async throws {
        let f = try await Fixture.make()
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/x", events: [.residentOutcome, .tubeRejected], label: nil)
        let (first, second) = try await Self.handedOverBox(f)
        _ = try await answer(f, "recv", .boxReceivedTubes(box: "RB-1", tubes: ["RT-1", "RT-2"]))
        _ = try await f.results("w1", [("RT-2", .negative)])

        let rejected = try await answer(f, "rej", .tubesRejected([
            PostedRejection(tube: "RT-1", reason: .leaked, note: "cap loose, wet bag"),
            PostedRejection(tube: "RT-2", reason: .tooOld), PostedRejection(tube: "NOPE", reason: .broken),
        ]))
        #expect(rejected.type == "tube.rejected")
        #expect(rejected.results?.map(\.fate) == [.applied, .alreadyResulted, .unknownTube])
        for code in first { #expect(try await f.store.outcome(resident: code, by: f.staff).outcome == .invalid) }
        for code in second { #expect(try await f.store.outcome(resident: code, by: f.staff).outcome == .negative) }
        #expect(try await f.results("w2", [("RT-1", .positive)]).results?.map(\.fate) == [.rejected])
        let again = try await answer(f, "rej-2", .tubesRejected([PostedRejection(tube: "RT-1", reason: .unlabelled)]))
        #expect(again.results?.map(\.fate) == [.duplicate])

        let trail = try await f.store.auditTrail(.tube("RT-1"), by: f.coordinator)
        #expect(trail.map(\.action).suffix(2) == ["rejected", "tube_rejected"])
        #expect(trail.last?.detail == "leaked: cap loose, wet bag")
        let messages = try await f.store.read { db in try Data.fetchAll(db, sql: "SELECT body FROM outbox ORDER BY id") }
            .map { try JSONSerialization.jsonObject(with: $0) as! [String: Any] }
        let outcome = messages.first { ($0["data"] as? [String: Any])?["tube_rejected"] != nil }?["data"] as? [String: Any]
        #expect(outcome?["tube_rejected"] as? String == "leaked" && outcome?["outcome"] as? String == "invalid")
        let tubeMessage = messages.first { $0["type"] as? String == "tube.rejected" }?["data"] as? [String: Any]
        #expect(tubeMessage?["state"] as? String == "rejected" && tubeMessage?["rejected"] as? String == "leaked")
    }

    @Test("the manifest: the site reads it any time, the lab only once the box is handed over, a courier never")
    func manifestAccess() async throws {
        let f = try await Fixture.make()
        let first = try await f.household("1-2-401")
        try await f.fill("MT-1", residents: first)
        _ = try await f.store.sealTube("MT-1", by: f.staff)
        _ = try await f.store.createBox(site: Fixture.site, code: "MB-1", by: f.staff)
        _ = try await f.store.addTubeToBox(box: "MB-1", tube: "MT-1", by: f.staff)
        let lab = Actor.lab(id: Fixture.lab)
        let early = await #expect(throws: StoreError.self) { try await f.store.boxManifest("MB-1", by: lab) }
        #expect(early?.code == "box_not_handed_over")
        _ = try await f.store.sealBox("MB-1", by: f.staff)
        _ = try await f.store.pickUpBox("MB-1", tubeCount: 1, temperature: 4, by: f.courier)
        let courier = await #expect(throws: StoreError.self) { try await f.store.boxManifest("MB-1", by: f.courier) }
        #expect(courier?.code == "forbidden")
        _ = try await f.store.handOverBox("MB-1", by: f.courier)
        let manifest = try await f.store.boxManifest("MB-1", by: lab)
        #expect(manifest.site == Fixture.site && manifest.lab == Fixture.lab && manifest.handedOverAt != nil)
        #expect(manifest.tubes.map(\.tube) == ["MT-1"] && manifest.tubes[0].members == first.count)
        #expect(manifest.tubes[0].firstSampledAt != nil && manifest.tubes[0].firstSampledAt! <= manifest.tubes[0].lastSampledAt!)
        #expect(try await f.store.boxManifest("MB-1", by: f.staff) == manifest)
        #expect(try await f.store.boxManifest("MB-1", by: f.coordinator) == manifest)
        let otherLab = await #expect(throws: StoreError.self) { try await f.store.boxManifest("MB-1", by: .lab(id: "lab-jinyu")) }
        #expect(otherLab?.code == "box_not_found")
    }

    @Test("a lab's own subscriber hears about the boxes handed to that lab, not another lab's")
    func manifestPushedToTheLab() async throws {
        let f = try await Fixture.make()
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/dian", events: [.boxHandedOver], label: nil, lab: Fixture.lab)
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/other", events: [.boxHandedOver], label: nil, lab: "lab-jinyu")
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/all", events: [.boxHandedOver], label: nil)
        _ = try await Self.handedOverBox(f)
        _ = try await f.store.handOverBox("RB-1", by: f.courier)  // resent: no second message
        let sent = try await f.store.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT s.url, o.body FROM outbox o JOIN subscriber s ON s.id = o.subscriber_id ORDER BY o.id")
        }
        #expect(sent.map { $0["url"] as String } == ["http://127.0.0.1:9/dian", "http://127.0.0.1:9/all"])
        let body = try JSONSerialization.jsonObject(with: sent[0]["body"] as Data) as! [String: Any]
        let data = body["data"] as! [String: Any]
        #expect(body["type"] as? String == "box.handed_over" && data["box"] as? String == "RB-1")
        #expect((data["tubes"] as! [[String: Any]]).map { $0["tube"] as! String } == ["RT-1", "RT-2"])
        let unknown = await #expect(throws: StoreError.self) {
            try await f.store.addSubscriber(url: "http://127.0.0.1:9/x", events: [.boxHandedOver], label: nil, lab: "lab-nowhere")
        }
        #expect(unknown?.code == "lab_not_found")
        // Rule 7: a lab's own receiver hears of its boxes only, never of other labs' tubes or of residents.
        let wider = await #expect(throws: StoreError.self) {
            try await f.store.addSubscriber(url: "http://127.0.0.1:9/x", events: [.boxHandedOver, .residentOutcome], label: nil, lab: Fixture.lab)
        }
        #expect(wider?.code == "invalid_field")
    }

    @Test("a lab token stands for its lab; it needs a lab, and only a lab token takes one")
    func labToken() async throws {
        let f = try await Fixture.make()
        let (_, token) = try await f.store.createToken(role: .lab, site: nil, label: "bench", lab: Fixture.lab)
        #expect(try await f.store.actor(forToken: token) == .lab(id: Fixture.lab))
        let noLab = await #expect(throws: StoreError.self) { try await f.store.createToken(role: .lab, site: nil, label: nil) }
        #expect(noLab?.code == "invalid_field")
        let staffWithLab = await #expect(throws: StoreError.self) {
            try await f.store.createToken(role: .staff, site: Fixture.site, label: nil, lab: Fixture.lab)
        }
        #expect(staffWithLab?.code == "invalid_field")
        let unknown = await #expect(throws: StoreError.self) { try await f.store.createToken(role: .lab, site: nil, label: nil, lab: "lab-x") }
        #expect(unknown?.code == "lab_not_found")
    }
}
