import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

/// Rounds after rounds: a standing carried from one round to the next
/// (rule 9), and each site in its own round (rule 10).
@Suite("A campaign: standing carried across rounds, a round per site")
struct CampaignTests {
    /// Ships a pooled tube of the household, has the lab call it positive, and opens Round 2 at the site.
    func poolPositiveThenRound2(_ f: Fixture) async throws -> (people: [String], round2: OpenedRound) {
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        _ = try await f.results("w1", [("P1", .positive)])
        let round2 = try await f.store.openRound(name: "Round 2", for: .sites([Fixture.site]))
        return (people, round2)
    }

    @Test("a pool-positive of Round 1 with a retest still due is called to a single tube in Round 2 and refused by a pooled one")
    func carriedToSingleLane() async throws {
        let f = try await Fixture.make()
        let (people, _) = try await poolPositiveThenRound2(f)
        let outcome = try await f.store.outcome(resident: people[0], by: f.staff)
        #expect(outcome.round == "Round 2" && outcome.outcome == nil && outcome.standing == .poolPositive)
        #expect(outcome.history.map(\.round.name) == ["Round 1"] && outcome.history[0].outcome == .poolPositive)

        for code in people { _ = try await f.store.checkIn(site: Fixture.site, code: code, walkIn: nil, priority: false, by: f.staff) }
        _ = try await f.store.openTube(site: Fixture.site, code: "R2P", station: "s1", mode: nil, by: f.staff)
        let call = try await f.store.callNext(site: Fixture.site, station: "s1", by: f.staff)
        #expect(call.called.isEmpty, "nobody not cleared is called to a pooled tube")
        #expect(call.singleTubeWaiting == people.count)
        await #expect(throws: StoreError.rule(.notCleared(resident: people[0], standing: .poolPositive))) {
            try await f.store.addSample(tube: "R2P", resident: people[0], by: f.staff)
        }
        _ = try await f.store.openTube(site: Fixture.site, code: "R2S", station: "s2", mode: .single, by: f.staff)
        let single = try await f.store.callNext(site: Fixture.site, station: "s2", by: f.staff)
        #expect(single.called.map(\.residentCode) == [people[0]])
        _ = try await f.store.addSample(tube: "R2S", resident: people[0], by: f.staff)
        // Its negative clears them; the others stay as they were.
        _ = try await f.store.sealTube("R2S", by: f.staff)
        try await shipSealed(f, tube: "R2S", box: "B2")
        _ = try await f.results("w2", [("R2S", .negative)])
        #expect(try await f.store.outcome(resident: people[0], by: f.staff).standing == .cleared)
        #expect(try await f.store.outcome(resident: people[1], by: f.staff).standing == .poolPositive)
        let retests = try await f.store.retests(site: Fixture.site, by: f.staff)
        #expect(retests.round == "Round 2")
        #expect(Set(retests.buildings.flatMap { $0.households.flatMap(\.residents) }.map(\.code)) == Set(people.dropFirst()))
    }

    @Test("a late Round 1 result after Round 2 opened shows on Round 1's lists and raises the standing")
    func lateResult() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        let round1 = try await f.store.currentRound(site: Fixture.site, by: f.staff)
        _ = try await f.store.openRound(name: "Round 2", for: .sites([Fixture.site]))
        #expect(try await f.store.coverage(site: Fixture.site, by: f.staff).counts.sampled == 0)
        _ = try await f.results("w1", [("P1", .positive)])

        let coverage1 = try await f.store.coverage(site: Fixture.site, round: round1.id, by: f.staff)
        #expect(coverage1.round == "Round 1" && coverage1.counts.resulted == people.count)
        let retests1 = try await f.store.retests(site: Fixture.site, round: round1.id, by: f.staff)
        #expect(retests1.total == people.count)
        let retests2 = try await f.store.retests(site: Fixture.site, by: f.staff)
        #expect(retests2.round == "Round 2" && retests2.total == people.count, "carried into the current round")
        #expect(retests2.buildings[0].households[0].residents.allSatisfy { $0.standing == .poolPositive && $0.outcome == nil })
        let outcome1 = try await f.store.outcome(resident: people[0], round: round1.id, by: f.staff)
        #expect(outcome1.outcome == .poolPositive && outcome1.standing == .poolPositive)
        await #expect(throws: StoreError.notFound(kind: .round, code: "999")) {
            try await f.store.coverage(site: Fixture.site, round: 999, by: f.staff)
        }
    }

    @Test("a coordinator's clearance is audited with its reason; staff may not clear; clearing again changes nothing")
    func clearance() async throws {
        let f = try await Fixture.make()
        let (people, _) = try await poolPositiveThenRound2(f)
        await #expect(throws: StoreError.self) {
            try await f.store.clearStanding(resident: people[0], reason: "tested at the hospital", by: f.staff)
        }
        await #expect(throws: StoreError.invalid(field: "reason", why: "must be 1 to 500 characters: why they may be pooled again")) {
            try await f.store.clearStanding(resident: people[0], reason: "  ", by: f.coordinator)
        }
        let change = try await f.store.clearStanding(
            resident: people[0], reason: "negative single tube at 人民医院, phone 139 1234 5678", by: f.coordinator)
        #expect(change == StandingChange(resident: people[0], was: .poolPositive, standing: .cleared))
        let trail = try await f.store.auditTrail(.resident(people[0]), by: f.coordinator).filter { $0.action == AuditAction.cleared.rawValue }
        #expect(trail.count == 1)
        #expect(trail[0].detail?.hasPrefix("was pool_positive: negative single tube at 人民医院") == true)
        #expect(trail[0].detail?.contains("1234") == false, "numbers in the reason are masked (rule 8)")
        let fingerprint = try await f.fingerprint()
        #expect(try await f.store.clearStanding(resident: people[0], reason: "again", by: f.coordinator).was == .cleared)
        #expect(try await f.fingerprint() == fingerprint)
        // Cleared, they are pooled again.
        _ = try await f.store.checkIn(site: Fixture.site, code: people[0], walkIn: nil, priority: false, by: f.staff)
        _ = try await f.store.openTube(site: Fixture.site, code: "R2P", station: "s1", mode: nil, by: f.staff)
        #expect(try await f.store.addSample(tube: "R2P", resident: people[0], by: f.staff).slot == 1)
    }

    @Test("a site opens its round while another site's tube is open; that site stays in its round")
    func roundPerSite() async throws {
        let f = try await Fixture.make()
        _ = try await f.store.openTube(site: "huaxiali", code: "H1", station: "s1", mode: nil, by: f.otherStaff)
        await #expect(throws: StoreError.conflict(.tubesOpen(sites: ["huaxiali"]))) {
            try await f.store.openRound(name: "Round 2", for: .district("廊坊市广阳区"))
        }
        let opened = try await f.store.openRound(name: "Round 2", for: .sites([Fixture.site]))
        #expect(opened.sites == [Fixture.site])
        #expect(try await f.store.currentRound(site: Fixture.site, by: f.staff).name == "Round 2")
        #expect(try await f.store.currentRound(site: "huaxiali", by: f.otherStaff).name == "Round 1")
        #expect(try await f.store.siteRounds(site: Fixture.site, by: f.coordinator).map(\.name) == ["Round 2", "Round 1"])
        await #expect(throws: StoreError.notFound(kind: .site, code: "nowhere")) {
            try await f.store.openRound(name: "Round 3", for: .sites(["nowhere"]))
        }
        await #expect(throws: StoreError.self) { try await f.store.openRound(name: "Round 3", for: .district("北京市")) }
        // Round 1's tube at huaxiali goes on in Round 1.
        _ = try await f.store.checkIn(site: "huaxiali", code: try await someResident(f, site: "huaxiali"), walkIn: nil, priority: false, by: f.otherStaff)
        #expect(try await f.store.coverage(site: "huaxiali", by: f.otherStaff).counts.checkedIn == 1)
    }

    @Test("a positive single tube makes the rest of the household contacts, sampled single-tube in the next round")
    func householdContacts() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        try await f.shipTube("S1", residents: [people[0]], box: "B1", mode: .single)
        _ = try await f.results("w1", [("S1", .positive)])
        #expect(try await f.store.outcome(resident: people[0], by: f.staff).standing == .positive)
        for code in people.dropFirst() {
            #expect(try await f.store.outcome(resident: code, by: f.staff).standing == .householdContact)
        }
        _ = try await f.store.openRound(name: "Round 2")
        _ = try await f.store.checkIn(site: Fixture.site, code: people[1], walkIn: nil, priority: false, by: f.staff)
        _ = try await f.store.openTube(site: Fixture.site, code: "R2P", station: "s1", mode: nil, by: f.staff)
        await #expect(throws: StoreError.rule(.notCleared(resident: people[1], standing: .householdContact))) {
            try await f.store.addSample(tube: "R2P", resident: people[1], by: f.staff)
        }
    }

    @Test("a late Round 1 pool-positive for someone already pooled in Round 2: back in the queue, on Round 2's list, single tube only")
    func raisedAfterSampled() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        _ = try await f.store.openRound(name: "Round 2", for: .sites([Fixture.site]))
        try await f.fill("R2P", residents: [people[0]])  // pooled in Round 2 while still cleared
        _ = try await f.results("w1", [("P1", .positive)])
        let retests = try await f.store.retests(site: Fixture.site, by: f.staff)
        #expect(retests.buildings.flatMap(\.households).flatMap(\.residents).map(\.code).contains(people[0]))
        // Back at the gate: the sampled ticket waits again, and a pooled tube refuses them.
        let again = try await f.store.checkIn(site: Fixture.site, code: people[0], walkIn: nil, priority: false, by: f.staff)
        #expect(again.repeated && again.ticket.status == .waiting)
        _ = try await f.store.sealTube("R2P", by: f.staff)
        _ = try await f.store.openTube(site: Fixture.site, code: "R2Q", station: "s1", mode: nil, by: f.staff)
        await #expect(throws: StoreError.rule(.notCleared(resident: people[0], standing: .poolPositive))) {
            try await f.store.addSample(tube: "R2Q", resident: people[0], by: f.staff)
        }
        _ = try await f.store.openTube(site: Fixture.site, code: "R2S", station: "s2", mode: .single, by: f.staff)
        let retest = try await f.store.addSample(tube: "R2S", resident: people[0], by: f.staff)
        #expect(retest.retest && !retest.repeated)
        #expect(!(try await f.store.retests(site: Fixture.site, by: f.staff).buildings.flatMap(\.households).flatMap(\.residents)
            .map(\.code).contains(people[0])), "sampled since: awaiting its result")
    }

    @Test("the standing table is what the core's fold makes of the results on record")
    func projection() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        _ = try await f.results("w1", [("P1", .positive)])
        try await f.shipTube("S1", residents: [people[0]], box: "B2", mode: .single)
        _ = try await f.results("w2", [("S1", .positive)])
        try await f.shipTube("S2", residents: [people[1]], box: "B3", mode: .single)
        _ = try await f.results("w3", [("S2", .negative)])
        // Out of sample order: the third member's newer single negative comes before their older single positive.
        try await f.shipTube("S3", residents: [people[2]], box: "B4", mode: .single)
        _ = try await f.store.openRound(name: "Round 2", for: .sites([Fixture.site]))
        try await f.shipTube("S4", residents: [people[2]], box: "B5", mode: .single)
        _ = try await f.results("w4", [("S4", .negative)])
        _ = try await f.results("w5", [("S3", .positive)])
        try await f.store.read { db in
            let folded = try StandingBackfill.states(db).mapValues(\.state)
            let stored = Dictionary(
                uniqueKeysWithValues: try StandingRecord.fetchAll(db, sql: "SELECT * FROM standing").map { ($0.residentID, $0.state) })
            #expect(folded == stored)
            // The first member positive; the second cleared by a single-tube negative, then a contact again of the
            // third's positive (swabbed after that negative); the third positive, though that positive came last for
            // an older swab (a single positive raises whenever it arrives).
            #expect(stored.values.map(\.standing).sorted { $0.rawValue < $1.rawValue } == [.householdContact, .positive, .positive])
        }
    }

    func shipSealed(_ f: Fixture, tube: String, box: String) async throws {
        _ = try await f.store.createBox(site: Fixture.site, code: box, by: f.staff)
        _ = try await f.store.addTubeToBox(box: box, tube: tube, by: f.staff)
        _ = try await f.store.sealBox(box, by: f.staff)
        _ = try await f.store.pickUpBox(box, tubeCount: 1, temperature: 4, by: f.courier)
        _ = try await f.store.handOverBox(box, by: f.courier)
        _ = try await f.store.receiveLabDelivery(lab: Fixture.lab, webhookID: "recv-\(box)", event: .boxReceived(box: box, tubeCount: 1))
    }

    func someResident(_ f: Fixture, site: String) async throws -> String {
        try await f.store.read { try String.fetchOne($0, sql: "SELECT code FROM resident WHERE site_id = ? ORDER BY code LIMIT 1", arguments: [site])! }
    }
}
