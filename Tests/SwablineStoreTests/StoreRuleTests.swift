import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore
import SwablineTestSupport

@Suite("The store keeps the rules")
struct StoreRuleTests {
    @Test("rule 5 on PostgreSQL: every connection commits synchronously, and the server flushes its WAL", .enabled(if: TestDatabase.onPostgres))
    func durabilityOnPostgres() async throws {
        let f = try await Fixture.make()
        let settings = try await f.store.read { db in
            try ["synchronous_commit", "fsync", "transaction_isolation"].map { try String.fetchOne(db, sql: "SHOW \($0)") }
        }
        // A read runs REPEATABLE READ; the writer's transactions run SERIALIZABLE (see the cluster test).
        #expect(settings == ["on", "on", "repeatable read"])
    }

    @Test("rule 5: the writer commits with synchronous = FULL in WAL mode", .enabled(if: !TestDatabase.onPostgres))
    func durability() async throws {
        let f = try await Fixture.make()
        #expect(try f.store.synchronousSetting() == 2)
        let mode = try await f.store.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test("importing the sites again changes nothing")
    func importIsIdempotent() async throws {
        let f = try await Fixture.make()
        let before = try await f.fingerprint()
        _ = try await f.store.importSites(SiteDirectory.load(Fixture.sitesPath).sites)
        #expect(try await f.fingerprint() == before)
    }

    @Test("rule 3: a second check-in gives the same ticket; a second scan the same slot; a second tube is refused")
    func once() async throws {
        let f = try await Fixture.make()
        let first = try await f.store.checkIn(site: Fixture.site, code: "FFY000005", walkIn: nil, priority: false, by: f.staff)
        let again = try await f.store.checkIn(site: Fixture.site, code: "FFY000005", walkIn: nil, priority: false, by: f.staff)
        #expect(!first.repeated && again.repeated)
        #expect(again.ticket.number == first.ticket.number)
        _ = try await f.store.openTube(site: Fixture.site, code: "T1", station: "s1", mode: nil, by: f.staff)
        let slot = try await f.store.addSample(tube: "T1", resident: "FFY000005", by: f.staff)
        let rescan = try await f.store.addSample(tube: "T1", resident: "FFY000005", by: f.staff)
        #expect(rescan.repeated && rescan.slot == slot.slot && rescan.tube.filled == 1)
        _ = try await f.store.openTube(site: Fixture.site, code: "T2", station: "s2", mode: nil, by: f.staff)
        let before = try await f.fingerprint()
        await #expect(throws: StoreError.rule(.alreadySampled(resident: "FFY000005", tube: "T1"))) {
            try await f.store.addSample(tube: "T2", resident: "FFY000005", by: f.staff)
        }
        #expect(try await f.fingerprint() == before)
    }

    @Test("rules 1 and 2 at the station: full tubes, single-tube people, households kept together")
    func tubeRules() async throws {
        let f = try await Fixture.make()
        _ = try await f.store.openTube(site: Fixture.site, code: "T5", station: "s1", mode: .pooled5, by: f.staff)
        for code in try await f.household("1-1-202") {  // four people
            _ = try await f.store.checkIn(site: Fixture.site, code: code, walkIn: nil, priority: false, by: f.staff)
        }
        for code in ["FFY000010", "FFY000011"] {
            _ = try await f.store.checkIn(site: Fixture.site, code: code, walkIn: nil, priority: false, by: f.staff)
            _ = try await f.store.addSample(tube: "T5", resident: code, by: f.staff)
        }
        // Three places left, a household of four waiting: not split.
        await #expect(throws: StoreError.rule(.householdDoesNotFit(waiting: 4, room: 3))) {
            try await f.store.addSample(tube: "T5", resident: "FFY000006", by: f.staff)
        }
        _ = try await f.store.checkIn(site: Fixture.site, code: "FFY000097", walkIn: nil, priority: false, by: f.staff)
        await #expect(throws: StoreError.rule(.singleTubePersonInPooledTube(resident: "FFY000097"))) {
            try await f.store.addSample(tube: "T5", resident: "FFY000097", by: f.staff)
        }
        for code in ["FFY000001", "FFY000002", "FFY000005"] {
            _ = try await f.store.checkIn(site: Fixture.site, code: code, walkIn: nil, priority: false, by: f.staff)
            _ = try await f.store.addSample(tube: "T5", resident: code, by: f.staff)
        }
        _ = try await f.store.checkIn(site: Fixture.site, code: "FFY000014", walkIn: nil, priority: false, by: f.staff)
        await #expect(throws: StoreError.rule(.tubeFull(tube: "T5", capacity: 5))) {
            try await f.store.addSample(tube: "T5", resident: "FFY000014", by: f.staff)
        }
        let sealed = try await f.store.sealTube("T5", by: f.staff)
        #expect(sealed.state == .sealed && !sealed.partial)
        await #expect(throws: StoreError.rule(.modeNotAllowed(mode: .pooled20, zone: .controlled))) {
            try await f.store.openTube(site: "huaxiali", code: "T20", station: "s1", mode: .pooled20, by: f.otherStaff)
        }
    }

    @Test("rule 4: a result applies once, a repeat is a duplicate, a conflict is kept as an anomaly")
    func resultsOnce() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-1-202")
        try await f.shipTube("T1", residents: people, box: "B1")
        let first = try await f.results("w1", [("T1", .negative)])
        #expect(first.results?.map(\.fate) == [.applied])
        let afterFirst = try await f.fingerprint()
        // The same webhook-id again: the stored answer, nothing written.
        _ = try await f.results("w1", [("T1", .negative)])
        #expect(try await f.fingerprint() == afterFirst)
        let duplicate = try await f.results("w2", [("T1", .negative)])
        #expect(duplicate.results?.map(\.fate) == [.duplicate])
        let conflict = try await f.results("w3", [("T1", .positive)])
        #expect(conflict.results?.map(\.fate) == [.anomaly])
        let outcome = try await f.store.outcome(resident: people[0], by: f.staff)
        #expect(outcome.outcome == .negative, "the first result stands")
        let anomalies = try await f.store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM anomaly WHERE tube_code = 'T1' AND posted_result = 'positive'") }
        #expect(anomalies == 1)
    }

    @Test("a positive pool puts every member on the retest list; their single-tube retest decides")
    func retests() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        _ = try await f.results("w1", [("P1", .positive)])
        let list = try await f.store.retests(site: Fixture.site, by: f.coordinator)
        #expect(list.total == 3)
        #expect(list.buildings.flatMap { $0.households.flatMap { $0.residents.map(\.code) } } == people)
        // The retest must be a single tube.
        _ = try await f.store.openTube(site: Fixture.site, code: "P2", station: "s2", mode: nil, by: f.staff)
        await #expect(throws: StoreError.rule(.retestNeedsSingleTube(resident: people[0]))) {
            try await f.store.addSample(tube: "P2", resident: people[0], by: f.staff)
        }
        // A single tube takes the retest; its negative result clears the person.
        try await f.shipTube("S1", residents: [people[0]], box: "B2", station: "s1", mode: .single)
        _ = try await f.results("w2", [("S1", .negative)])
        let cleared = try await f.store.outcome(resident: people[0], by: f.staff)
        #expect(cleared.outcome == .negative)
        #expect(cleared.samples.map(\.retest) == [false, true])
        #expect(try await f.store.retests(site: Fixture.site, by: f.staff).total == 2)
    }

    @Test("an invalid single-tube retest keeps the person pool-positive, on the retest list, and out of pooled tubes")
    func invalidRetest() async throws {
        let f = try await Fixture.make()
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        _ = try await f.results("w1", [("P1", .positive)])
        try await f.shipTube("S1", residents: [people[0]], box: "B2", station: "s1", mode: .single)
        _ = try await f.results("w2", [("S1", .invalid)])
        #expect(try await f.store.outcome(resident: people[0], by: f.staff).outcome == .poolPositive)
        #expect(try await f.store.retests(site: Fixture.site, by: f.staff).total == 3, "still due a retest")
        _ = try await f.store.openTube(site: Fixture.site, code: "P2", station: "s2", mode: nil, by: f.staff)
        await #expect(throws: StoreError.rule(.retestNeedsSingleTube(resident: people[0]))) {
            try await f.store.addSample(tube: "P2", resident: people[0], by: f.staff)
        }
        try await f.shipTube("S2", residents: [people[0]], box: "B3", station: "s1", mode: .single)
        _ = try await f.results("w3", [("S2", .negative)])
        #expect(try await f.store.outcome(resident: people[0], by: f.staff).outcome == .negative)
    }

    @Test("rule 6: results for a tube not received, and pickup of an unsealed box, are refused")
    func custody() async throws {
        let f = try await Fixture.make()
        _ = try await f.store.checkIn(site: Fixture.site, code: "FFY000005", walkIn: nil, priority: false, by: f.staff)
        _ = try await f.store.openTube(site: Fixture.site, code: "T1", station: "s1", mode: nil, by: f.staff)
        _ = try await f.store.addSample(tube: "T1", resident: "FFY000005", by: f.staff)
        _ = try await f.store.sealTube("T1", by: f.staff)
        _ = try await f.store.createBox(site: Fixture.site, code: "B1", by: f.staff)
        _ = try await f.store.addTubeToBox(box: "B1", tube: "T1", by: f.staff)
        let before = try await f.fingerprint()
        await #expect(throws: StoreError.rule(.boxStepSkipped(from: .packing, event: .pickedUp))) {
            try await f.store.pickUpBox("B1", tubeCount: 1, temperature: 4, by: f.courier)
        }
        #expect(try await f.fingerprint() == before)
        _ = try await f.store.sealBox("B1", by: f.staff)
        _ = try await f.store.pickUpBox("B1", tubeCount: 1, temperature: 4, by: f.courier)
        let answer = try await f.results("w1", [("T1", .negative)])
        #expect(answer.results?.map(\.fate) == [.notReceived])
        await #expect(throws: StoreError.rule(.boxStepSkipped(from: .pickedUp, event: .received))) {
            try await f.store.receiveLabDelivery(lab: Fixture.lab, webhookID: "r1", event: .boxReceived(box: "B1", tubeCount: 1))
        }
        // The stored states are exactly what the custody events lead to.
        try await f.store.read { db in
            for tube in try SQLRow.fetchAll(db, sql: "SELECT code, state FROM tube") {
                var state = TubeState.open
                for event in try String.fetchAll(db, sql: "SELECT event FROM custody_event WHERE subject = 'tube' AND code = ? ORDER BY id", arguments: [tube["code"] as String]).dropFirst() {
                    state = try state.applying(CustodyEvent(rawValue: event)!)
                }
                #expect(state.rawValue == tube["state"] as String)
            }
        }
        // The custody chain is append-only: the database itself refuses to rewrite it.
        await #expect(throws: (any Error).self) { try await f.store.writeDirectly { try $0.execute(sql: "DELETE FROM custody_event") } }
        #expect(try await f.store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM custody_event") } ?? 0 > 0)
    }

    @Test("a resent custody step is answered as before and changes nothing")
    func resentSteps() async throws {
        let f = try await Fixture.make()
        try await f.shipTube("T1", residents: ["FFY000005"], box: "B1")
        let before = try await f.fingerprint()
        #expect(try await f.store.sealTube("T1", by: f.staff).state == .received)
        #expect(try await f.store.sealBox("B1", by: f.staff).state == .received)
        #expect(try await f.store.handOverBox("B1", by: f.courier).state == .received)
        let again = try await f.store.receiveLabDelivery(lab: Fixture.lab, webhookID: "another-id", event: .boxReceived(box: "B1", tubeCount: 1))
        #expect(String(decoding: again.body, as: UTF8.self).contains(#""state":"received""#))
        var after = try await f.fingerprint()
        after["webhook_delivery"] = before["webhook_delivery"]  // the new delivery id is remembered, nothing else
        #expect(after == before)
    }

    @Test("rule 7: each actor touches only what is theirs, and nothing changes when refused")
    func scope() async throws {
        let f = try await Fixture.make()
        try await f.shipTube("T1", residents: ["FFY000005"], box: "B1")
        let before = try await f.fingerprint()
        await #expect(throws: StoreError.forbidden("Your token is for site huaxiali, not fangfeiyuan.")) {
            try await f.store.checkIn(site: Fixture.site, code: "FFY000019", walkIn: nil, priority: false, by: f.otherStaff)
        }
        await #expect(throws: StoreError.notFound(kind: .tube, code: "T1")) {
            try await f.store.sealTube("T1", by: f.otherStaff)
        }
        await #expect(throws: StoreError.self) {
            try await f.store.checkIn(site: Fixture.site, code: "FFY000019", walkIn: nil, priority: false, by: f.courier)
        }
        await #expect(throws: StoreError.self) {
            try await f.store.openTube(site: Fixture.site, code: "T9", station: "s1", mode: nil, by: f.coordinator)
        }
        let otherCourier = try await f.store.actor(forToken: try await f.store.createToken(role: .courier, site: nil, label: nil).token)!
        _ = try await f.store.checkIn(site: Fixture.site, code: "FFY000019", walkIn: nil, priority: false, by: f.staff)
        let afterCheckIn = try await f.fingerprint()
        #expect(afterCheckIn != before)
        await #expect(throws: StoreError.notFound(kind: .box, code: "B1")) {
            try await f.store.handOverBox("B1", by: otherCourier)
        }
        await #expect(throws: StoreError.notFound(kind: .box, code: "B1")) {
            try await f.store.receiveLabDelivery(lab: "lab-jinyu", webhookID: "x", event: .boxReceived(box: "B1", tubeCount: 1))
        }
        let fates = try await f.store.receiveLabDelivery(lab: "lab-jinyu", webhookID: "y", event: .tubeResults([.init(tube: "T1", result: .positive, testedAt: Timestamp.string(Date()), ct: nil)]))
        #expect(String(decoding: fates.body, as: UTF8.self).contains("unknown_tube"), "another lab's tube is unknown to it")
        await #expect(throws: StoreError.notFound(kind: .resident, code: "FFY000005")) {
            try await f.store.outcome(resident: "FFY000005", by: f.otherStaff)
        }
    }

    @Test("walk-ins are registered into their household; a bad walk-in field changes nothing")
    func walkIn() async throws {
        let f = try await Fixture.make()
        let walkIn = WalkIn(name: "李四", idNumber: "11010519491231002X", phone: "13812345678", building: "1", unit: "1", room: "202")
        let before = try await f.fingerprint()
        await #expect(throws: StoreError.notFound(kind: .resident, code: "WALK1")) {
            try await f.store.checkIn(site: Fixture.site, code: "WALK1", walkIn: nil, priority: false, by: f.staff)
        }
        var bad = walkIn
        bad.idNumber = "110105194912310021"
        await #expect(throws: StoreError.invalid(field: "id_number", why: "check digit is 1, expected X")) {
            try await f.store.checkIn(site: Fixture.site, code: "WALK1", walkIn: bad, priority: false, by: f.staff)
        }
        #expect(try await f.fingerprint() == before)
        let result = try await f.store.checkIn(site: Fixture.site, code: "WALK1", walkIn: walkIn, priority: true, by: f.staff)
        #expect(result.registered && result.resident.walkIn && result.ticket.lane == .priority)
        #expect(result.resident.household == "1-1-202")
        #expect(result.resident.idNumber == "110***********002X" && result.resident.phone == "138****5678")
        #expect(try await f.household("1-1-202").count == 5)
    }

    @Test("rule 2: places owed to a household already in the tube are kept for it")
    func placesOwed() async throws {
        let f = try await Fixture.make()
        for code in try await f.household("1-1-202") + ["FFY000005", "FFY000014"] {
            _ = try await f.store.checkIn(site: Fixture.site, code: code, walkIn: nil, priority: false, by: f.staff)
        }
        _ = try await f.store.openTube(site: Fixture.site, code: "T5", station: "s1", mode: .pooled5, by: f.staff)
        _ = try await f.store.addSample(tube: "T5", resident: "FFY000006", by: f.staff)
        _ = try await f.store.addSample(tube: "T5", resident: "FFY000005", by: f.staff)  // one place left beside the three owed
        await #expect(throws: StoreError.rule(.householdDoesNotFit(waiting: 1, room: 0))) {
            try await f.store.addSample(tube: "T5", resident: "FFY000014", by: f.staff)
        }
        for code in ["FFY000007", "FFY000008", "FFY000009"] { _ = try await f.store.addSample(tube: "T5", resident: code, by: f.staff) }
    }

    @Test("rule 2: a household another station holds is called there, never to a second station")
    func heldByAnotherStation() async throws {
        let f = try await Fixture.make()
        let household = try await f.household("1-1-202")  // FFY000006–09
        for code in [household[0], household[1]] {
            _ = try await f.store.checkIn(site: Fixture.site, code: code, walkIn: nil, priority: false, by: f.staff)
        }
        _ = try await f.store.openTube(site: Fixture.site, code: "T1", station: "s1", mode: nil, by: f.staff)
        _ = try await f.store.openTube(site: Fixture.site, code: "T2", station: "s2", mode: nil, by: f.staff)
        #expect(try await f.store.callNext(site: Fixture.site, station: "s1", by: f.staff).called.map(\.residentCode) == [household[0], household[1]])
        // A member comes down late while the others are called to s1: s2 does not get them.
        _ = try await f.store.checkIn(site: Fixture.site, code: household[2], walkIn: nil, priority: false, by: f.staff)
        #expect(try await f.store.callNext(site: Fixture.site, station: "s2", by: f.staff).called.isEmpty)
        _ = try await f.store.addSample(tube: "T1", resident: household[0], by: f.staff)
        _ = try await f.store.addSample(tube: "T1", resident: household[1], by: f.staff)
        // Their tube at s1 is open with room: still not s2's, and no refusal comes of it.
        #expect(try await f.store.callNext(site: Fixture.site, station: "s2", by: f.staff).called.isEmpty)
        #expect(try await f.store.callNext(site: Fixture.site, station: "s1", by: f.staff).called.map(\.residentCode) == [household[2]])
        _ = try await f.store.addSample(tube: "T1", resident: household[2], by: f.staff)
        // Once s1 seals, a last member may go anywhere.
        _ = try await f.store.sealTube("T1", by: f.staff)
        _ = try await f.store.checkIn(site: Fixture.site, code: household[3], walkIn: nil, priority: false, by: f.staff)
        #expect(try await f.store.callNext(site: Fixture.site, station: "s2", by: f.staff).called.map(\.residentCode) == [household[3]])
    }

    @Test("rule 3: a retest is taken once; the person leaves the retest list while it is on its way")
    func retestOnce() async throws {
        let f = try await Fixture.make()
        try await f.shipTube("T1", residents: ["FFY000005"], box: "B1")
        _ = try await f.results("w1", [("T1", .invalid)])
        #expect(try await f.store.retests(site: Fixture.site, by: f.staff).total == 1)
        _ = try await f.store.openTube(site: Fixture.site, code: "T2", station: "s1", mode: nil, by: f.staff)
        _ = try await f.store.openTube(site: Fixture.site, code: "T3", station: "s2", mode: nil, by: f.staff)
        #expect(try await f.store.addSample(tube: "T2", resident: "FFY000005", by: f.staff).retest)
        await #expect(throws: StoreError.rule(.alreadySampled(resident: "FFY000005", tube: "T2"))) {
            try await f.store.addSample(tube: "T3", resident: "FFY000005", by: f.staff)
        }
        #expect(try await f.store.addSample(tube: "T2", resident: "FFY000005", by: f.staff).repeated)
        #expect(try await f.store.retests(site: Fixture.site, by: f.staff).total == 0)
    }

    @Test("a walk-in whose ID number is already registered is not registered twice")
    func walkInTwice() async throws {
        let f = try await Fixture.make()
        let roster = SiteDirectory.load(Fixture.sitesPath).sites.first { $0.definition.id == Fixture.site }!.roster
        let known = roster.first { $0.code == "FFY000006" }!
        let walkIn = WalkIn(name: known.name, idNumber: known.idNumber, phone: known.phone, building: "1", unit: "1", room: "202")
        let registered = await #expect(throws: StoreError.self) {
            try await f.store.checkIn(site: Fixture.site, code: "NEWCARD1", walkIn: walkIn, priority: false, by: f.staff)
        }
        #expect(registered?.code == "id_number_registered")
        #expect(registered?.message == "A resident with this ID number is already registered here, as FFY000006: scan that code.")
        let other = SiteDirectory.load(Fixture.sitesPath).sites.first { $0.definition.id == "huaxiali" }!.roster[0]
        var elsewhere = walkIn
        elsewhere.idNumber = other.idNumber
        await #expect(throws: StoreError.self) {
            try await f.store.checkIn(site: Fixture.site, code: "NEWCARD2", walkIn: elsewhere, priority: false, by: f.staff)
        }
    }

    @Test("a resent call gives the same group; a site's new round waits until its tubes are sealed")
    func resentCallAndRounds() async throws {
        let f = try await Fixture.make()
        for code in try await f.household("1-1-202") {
            _ = try await f.store.checkIn(site: Fixture.site, code: code, walkIn: nil, priority: false, by: f.staff)
        }
        _ = try await f.store.openTube(site: Fixture.site, code: "T1", station: "s1", mode: nil, by: f.staff)
        let first = try await f.store.callNext(site: Fixture.site, station: "s1", by: f.staff)
        let again = try await f.store.callNext(site: Fixture.site, station: "s1", by: f.staff)
        #expect(first.called.count == 4 && again.called == first.called)
        await #expect(throws: StoreError.conflict(.tubesOpen(sites: [Fixture.site]))) {
            try await f.store.openRound(name: "Round 2", for: .sites([Fixture.site]))
        }
        _ = try await f.store.addSample(tube: "T1", resident: "FFY000006", by: f.staff)
        _ = try await f.store.sealTube("T1", by: f.staff)
        #expect(try await f.store.openRound(name: "Round 2").round.name == "Round 2")
    }
}
