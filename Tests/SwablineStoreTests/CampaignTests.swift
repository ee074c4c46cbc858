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
        try await f.store.pool.read { db in
            let folded = try StandingBackfill.states(db).mapValues(\.state)
            let stored = Dictionary(
                uniqueKeysWithValues: try StandingRecord.fetchAll(db, sql: "SELECT * FROM standing").map { ($0.residentID, $0.state) })
            #expect(folded == stored)
            // The first member positive, the second a contact cleared by a single-tube negative, the third a contact.
            #expect(stored.values.map(\.standing).sorted { $0.rawValue < $1.rawValue } == [.cleared, .householdContact, .positive])
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
        try await f.store.pool.read { try String.fetchOne($0, sql: "SELECT code FROM resident WHERE site_id = ? ORDER BY code LIMIT 1", arguments: [site])! }
    }
}

/// 应检尽检: every missing resident closed with a reason, or an open task.
@Suite("Missing residents closed with a reason")
struct FollowUpTests {
    @Test("a reason per person or per household, audited; coverage counts sampled, closed and open; the sampled are not missing")
    func reasons() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        let before = try await f.store.coverage(site: Fixture.site, by: f.staff)
        #expect(before.counts.closed == 0 && before.counts.open == before.counts.expected)
        let one = try await f.store.recordFollowUp(resident: people[0], reason: .notAtHome, note: "knocked twice", household: false, by: f.staff)
        #expect(one.followUps == [FollowUpLine(resident: people[0], reason: .notAtHome)])
        try await f.fill("T1", residents: [people[1]])
        let all = try await f.store.recordFollowUp(resident: people[0], reason: .away, note: nil, household: true, by: f.staff)
        #expect(Set(all.followUps.map(\.resident)) == Set([people[0], people[2]]), "the sampled member is not missing")
        await #expect(throws: StoreError.conflict(.notMissing(resident: people[1]))) {
            try await f.store.recordFollowUp(resident: people[1], reason: .away, note: nil, household: false, by: f.staff)
        }
        await #expect(throws: StoreError.notFound(kind: .resident, code: people[0])) {
            try await f.store.recordFollowUp(resident: people[0], reason: .away, note: nil, household: false, by: f.otherStaff)
        }
        let coverage = try await f.store.coverage(site: Fixture.site, by: f.staff)
        #expect(coverage.counts.sampled == 1 && coverage.counts.closed == 2)
        #expect(coverage.counts.open == coverage.counts.expected - 3)
        let lines = coverage.missing.filter { people.contains($0.code) }
        #expect(lines.map(\.reason) == [.away, .away] && lines.allSatisfy { $0.reasonFound == false })
        let building = coverage.buildings.first { $0.building == "1" }!
        #expect(building.counts.closed == 2)
        let trail = try await f.store.auditTrail(.resident(people[0]), by: f.coordinator).filter { $0.action == AuditAction.followedUp.rawValue }
        #expect(trail.map(\.detail) == ["not_at_home: knocked twice", "away"])
    }

    @Test("someone sampled at another site while the round ran here is credited as tested elsewhere, found by ID number")
    func testedElsewhere() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        // The same person is on 华夏里's roster too (moved, and both rosters list them).
        let twin = try await f.store.pool.write { db -> String in
            let row = try Row.fetchOne(db, sql: "SELECT id_number, phone, name FROM resident WHERE code = ?", arguments: [people[0]])!
            let household = try Int64.fetchOne(db, sql: "SELECT id FROM household WHERE site_id = 'huaxiali' LIMIT 1")!
            try db.execute(
                sql: """
                    INSERT INTO resident (code, site_id, household_id, name, id_number, phone, priority, single_tube, walk_in, registered_at)
                    VALUES ('HXL-TWIN', 'huaxiali', ?, ?, ?, ?, 0, 0, 0, '2026-01-01T00:00:00Z')
                    """,
                arguments: [household, row["name"] as String, row["id_number"] as String, row["phone"] as String])
            return "HXL-TWIN"
        }
        _ = try await f.store.checkIn(site: "huaxiali", code: twin, walkIn: nil, priority: false, by: f.otherStaff)
        _ = try await f.store.openTube(site: "huaxiali", code: "H1", station: "s1", mode: nil, by: f.otherStaff)
        _ = try await f.store.addSample(tube: "H1", resident: twin, by: f.otherStaff)
        let coverage = try await f.store.coverage(site: Fixture.site, by: f.staff)
        let line = coverage.missing.first { $0.code == people[0] }!
        #expect(line.reason == .testedElsewhere && line.reasonFound == true)
        #expect(coverage.counts.closed == 1)
        // A reason staff record wins over the one found.
        _ = try await f.store.recordFollowUp(resident: people[0], reason: .movedOut, note: nil, household: false, by: f.staff)
        let again = try await f.store.coverage(site: Fixture.site, by: f.staff).missing.first { $0.code == people[0] }!
        #expect(again.reason == .movedOut && again.reasonFound == false)
    }
}

/// 居家隔离: a positive isolates the household, with tests due during it.
@Suite("Home isolation after a positive")
struct IsolationTests {
    @Test("a pool-positive isolates each member's household for 7 days; the follow-up list shows who owes which test; callbacks carry it")
    func isolation() async throws {
        let day = Date(timeIntervalSince1970: 1_651_197_600)  // 2022-04-29 10:00 in Shanghai
        let clock = MovableClock(day)
        let f = try await Fixture.make(clock: { clock.now })
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/outcomes", events: [.residentOutcome], label: nil)
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        _ = try await f.results("w1", [("P1", .positive)])
        let report = try await f.store.isolation(site: Fixture.site, by: f.staff)
        #expect(report.households.map(\.household) == ["1-2-401"])
        let household = report.households[0]
        #expect(household.since == "2022-04-29" && household.until == "2022-05-05")
        #expect(household.testDays == ["2022-04-29", "2022-05-01", "2022-05-03", "2022-05-05"])
        #expect(household.residents.allSatisfy { $0.testDue == "2022-04-29" && $0.standing == .poolPositive })
        #expect(report.due == people.count && report.overdue == 0)
        let callback = try #require(try await f.store.dueCallbacks(limit: 10).first)
        let body = String(decoding: callback.body, as: UTF8.self)
        #expect(body.contains(#""isolated_until":"2022-05-05""#) && body.contains(#""standing":"pool_positive""#), "\(body)")
        // Two days on, nobody retested: day 1's test is overdue, day 3's is due.
        clock.now = day.addingTimeInterval(2 * 86_400)
        let later = try await f.store.isolation(site: Fixture.site, by: f.coordinator)
        #expect(later.households[0].residents.allSatisfy { $0.testDue == "2022-05-01" && $0.testOverdue == "2022-04-29" })
        await #expect(throws: StoreError.self) { try await f.store.isolation(site: nil, by: f.staff) }
        await #expect(throws: StoreError.self) { try await f.store.isolation(site: "huaxiali", by: f.staff) }
        // After the last day the list is empty.
        clock.now = day.addingTimeInterval(7 * 86_400)
        #expect(try await f.store.isolation(site: nil, by: f.coordinator).households.isEmpty)
    }
}

/// A clock a test moves by hand.
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ start: Date) { value = start }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

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

@Suite("site.toml: isolation days per zone, triage at the gate")
struct CampaignSiteFileTests {
    static let base = """
        id = "demo"
        name = "示例小区"
        address = "廊坊市广阳区"
        time_zone = "Asia/Shanghai"
        zone = "sealed"
        pool_mode = "pooled5"
        lab = "lab-dian"
        opens = "07:00"
        closes = "19:00"

        """
    static let stations = "[[stations]]\nid = \"s1\"\nname = \"1号采样台\"\n"

    @Test("the site's own zone's days count; 7 when not given; a bad value is named")
    func isolationDays() throws {
        let given = try SiteFile.parse(
            Self.base + "triage_temperature = true\n" + Self.stations + "[isolation_days]\nsealed = 14\ncontrolled = 7\n", file: "site.toml"
        ).get()
        #expect(given.isolationDays == 14 && given.triageTemperature)
        let plain = try SiteFile.parse(Self.base + Self.stations, file: "site.toml").get()
        #expect(plain.isolationDays == 7 && !plain.triageTemperature)
        guard case let .failure(problems) = SiteFile.parse(Self.base + Self.stations + "[isolation_days]\nsealed = 0\nsafe = 3\n", file: "site.toml") else {
            Issue.record("0 days and an unknown zone were taken")
            return
        }
        #expect(Set(problems.problems.map(\.field)) == ["isolation_days.sealed", "isolation_days.safe"])
    }
}
