import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

/// 扫码、登记、测温, and 上门采样.
@Suite("Triage at the gate; home visits")
struct TriageAndHomeVisitTests {
    @Test("a fever or a symptom sends the resident to the single-tube lane and onto the referral list, audited")
    func triage() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        _ = try await f.store.checkIn(
            site: Fixture.site, code: people[0], walkIn: nil, priority: false, triage: Triage(temperatureC: 38.1, symptoms: []), by: f.staff)
        _ = try await f.store.checkIn(
            site: Fixture.site, code: people[1], walkIn: nil, priority: false, triage: Triage(temperatureC: 36.6, symptoms: [.cough]),
            by: f.staff)
        _ = try await f.store.checkIn(
            site: Fixture.site, code: people[2], walkIn: nil, priority: false, triage: Triage(temperatureC: 36.5, symptoms: []), by: f.staff)
        await #expect(throws: StoreError.invalid(field: "temperature_c", why: "must be a reading in °C from 34.0 to 43.0")) {
            try await f.store.checkIn(
                site: Fixture.site, code: people[2], walkIn: nil, priority: false, triage: Triage(temperatureC: 3.65, symptoms: []), by: f.staff)
        }
        let referrals = try await f.store.referrals(site: Fixture.site, by: f.staff)
        #expect(referrals.referrals.map(\.code) == [people[0], people[1]])
        #expect(referrals.referrals[0].temperatureC == 38.1 && referrals.referrals[1].symptoms == [.cough])
        // The referred are called only to a single tube, and refused by a pooled one.
        _ = try await f.store.openTube(site: Fixture.site, code: "P1", station: "s1", mode: nil, by: f.staff)
        let call = try await f.store.callNext(site: Fixture.site, station: "s1", by: f.staff)
        #expect(call.called.map(\.residentCode) == [people[2]] && call.singleTubeWaiting == 2)
        await #expect(throws: StoreError.rule(.singleTubePersonInPooledTube(resident: people[0]))) {
            try await f.store.addSample(tube: "P1", resident: people[0], by: f.staff)
        }
        let trail = try await f.store.auditTrail(.resident(people[0]), by: f.coordinator)
        #expect(trail.contains { $0.action == AuditAction.referred.rawValue && $0.detail == "to the single-tube lane: 38.1 °C" })
    }

    @Test("the home-visit list holds the homebound, the reported homebound and isolated households, by building and floor")
    func homeVisits() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        let other = try await f.household("1-1-202")
        #expect(try await f.store.homeVisits(site: Fixture.site, by: f.staff).total == 0)
        #expect(try await f.store.setHomebound(resident: other[0], homebound: true, by: f.staff).homebound)
        _ = try await f.store.recordFollowUp(resident: other[1], reason: .homebound, note: nil, household: false, by: f.staff)
        try await f.shipTube("P1", residents: people, box: "B1")
        _ = try await f.results("w1", [("P1", .positive)])
        _ = try await f.store.openRound(name: "Round 2", for: .sites([Fixture.site]))
        let list = try await f.store.homeVisits(site: Fixture.site, by: f.staff)
        #expect(list.round == "Round 2" && list.total == people.count + 1, "the reported homebound was Round 1's")
        #expect(list.buildings.map(\.building) == ["1"])
        #expect(list.buildings[0].floors.map(\.floor) == ["2", "4"])
        let visits = list.buildings[0].floors.flatMap(\.visits)
        #expect(visits.first { $0.code == other[0] }?.why == [.homebound])
        #expect(visits.filter { people.contains($0.code) }.allSatisfy { $0.why == [.isolated] && $0.tubeMode == .single })
        await #expect(throws: StoreError.notFound(kind: .resident, code: other[0])) {
            try await f.store.setHomebound(resident: other[0], homebound: false, by: f.otherStaff)
        }
        #expect(try await f.store.auditTrail(.resident(other[0]), by: f.coordinator).contains { $0.action == "homebound" })
    }
}
