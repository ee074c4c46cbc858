import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

@Suite("The audit log")
struct AuditTests {
    @Test("a resident's trail: check-in, sample, retest; a tube's and a box's trail include their custody chain")
    func trails() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        let trail = try await f.store.auditTrail(.resident(people[0]), by: f.coordinator)
        #expect(trail.map(\.action) == ["checked_in", "sampled"])
        #expect(trail.allSatisfy { $0.actor == f.staff.label && $0.resident == people[0] })
        #expect(trail[1].tube == "P1" && trail[1].detail == "slot 1")
        let tube = try await f.store.auditTrail(.tube("P1"), by: f.coordinator)
        #expect(tube.map(\.action) == ["opened", "sampled", "sampled", "sampled", "sealed", "boxed", "picked_up", "handed_over", "received"])
        let box = try await f.store.auditTrail(.box("B1"), by: f.coordinator)
        #expect(box.first?.action == "packing" || box.first?.action == "created" || !box.isEmpty)
        #expect(box.contains { $0.action == "picked_up" && $0.actor == f.courier.label })
    }

    @Test("only a coordinator reads trails or reveals numbers; a reveal needs a reason and is itself recorded")
    func reveal() async throws {
        let f = try await Fixture.make()
        let person = try await f.household("1-2-401")[0]
        for actor in [f.staff, f.courier] {
            let before = try await f.fingerprint()
            await #expect(throws: StoreError.forbidden("This needs a coordinator token.")) {
                _ = try await f.store.revealResident(code: person, reason: "door-to-door", by: actor)
            }
            await #expect(throws: StoreError.forbidden("This needs a coordinator token.")) {
                _ = try await f.store.auditTrail(.resident(person), by: actor)
            }
            #expect(try await f.fingerprint() == before)
        }
        await #expect(throws: StoreError.invalid(field: "reason", why: "must be 1 to 200 characters: why the unmasked number is needed")) {
            _ = try await f.store.revealResident(code: person, reason: "  ", by: f.coordinator)
        }
        await #expect(throws: StoreError.notFound(kind: .resident, code: "NOBODY")) {
            _ = try await f.store.revealResident(code: "NOBODY", reason: "x", by: f.coordinator)
        }
        let revealed = try await f.store.revealResident(code: person, reason: "not found at home", by: f.coordinator)
        #expect(revealed.idNumber.count == 18 && !revealed.idNumber.contains("*"))
        #expect(revealed.phone.count == 11 && !revealed.phone.contains("*"))
        let trail = try await f.store.auditTrail(.resident(person), by: f.coordinator)
        #expect(trail.last?.action == "revealed" && trail.last?.detail == "not found at home" && trail.last?.actor == f.coordinator.label)
    }

    @Test("the audit log cannot be edited or deleted")
    func appendOnly() async throws {
        let f = try await Fixture.make()
        try await f.shipTube("P1", residents: try await f.household("1-2-401"), box: "B1")
        for sql in ["UPDATE audit_event SET actor = 'nobody'", "DELETE FROM audit_event"] {
            await #expect(throws: (any Error).self) { try await f.store.writeDirectly { try $0.execute(sql: sql) } }
        }
    }
}
