import Foundation
import GRDB
import SwablineCore
import SwablineTestSupport
import Testing
@testable import SwablineStore

/// Who may be swabbed, and where a walk-in lives: the gate comes first,
/// and an address names one household.
@Suite("The gate comes first; a walk-in's address names one household")
struct GateTests {
    @Test("a check-in at a site that does not exist is site_not_found, and before the site's first round no_round; nothing changes")
    func noSiteNoRound() async throws {
        let f = try await Fixture.make()
        let before = try await f.fingerprint()
        await #expect(throws: StoreError.notFound(kind: .site, code: "nowhere")) {
            try await f.store.checkIn(site: "nowhere", code: "FFY000005", walkIn: nil, priority: false, by: .staff(token: 0, site: "nowhere"))
        }
        #expect(try await f.fingerprint() == before)

        // Sites loaded, no round opened yet.
        let directory = f.directory.appendingPathComponent("no-round")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try await TestDatabase.store(in: directory)
        _ = try await store.importSites(SiteDirectory.load(Fixture.sitesPath).sites)
        let staff = try await store.actor(forToken: try await store.createToken(role: .staff, site: Fixture.site, label: nil).token)!
        let unchanged = try await store.fingerprint()
        await #expect(throws: StoreError.conflict(.noRound)) {
            try await store.checkIn(site: Fixture.site, code: "FFY000005", walkIn: nil, priority: false, by: staff)
        }
        #expect(try await store.fingerprint() == unchanged)
    }

    @Test("a resident who never checked in is refused at the station, and nothing changes")
    func notCheckedIn() async throws {
        let f = try await Fixture.make()
        _ = try await f.store.openTube(site: Fixture.site, code: "T-A", station: "s1", mode: nil, by: f.staff)
        let before = try await f.fingerprint()
        await #expect(throws: StoreError.rule(.notCheckedIn(resident: "FFY000100"))) {
            try await f.store.addSample(tube: "T-A", resident: "FFY000100", by: f.staff)
        }
        #expect(try await f.fingerprint() == before)
        let coverage = try await f.store.coverage(site: Fixture.site, by: f.coordinator)
        #expect(coverage.counts.checkedIn == 0 && coverage.counts.sampled == 0)
    }

    @Test("check in and sample at the station: one request makes the ticket and the sample, audited")
    func checkInAndSample() async throws {
        let f = try await Fixture.make()
        _ = try await f.store.openTube(site: Fixture.site, code: "T-A", station: "s1", mode: nil, by: f.staff)
        let result = try await f.store.addSample(tube: "T-A", resident: "FFY000100", checkIn: true, by: f.staff)
        #expect(!result.repeated && result.slot == 1)
        let ticket = try #require(result.ticket)
        #expect(ticket.status == .sampled && ticket.station == "s1" && ticket.number == 1)
        // The gate now sees the same ticket; a rescan with check_in gives the same slot and no second ticket.
        let gate = try await f.store.checkIn(site: Fixture.site, code: "FFY000100", walkIn: nil, priority: false, by: f.staff)
        #expect(gate.repeated && gate.ticket.number == ticket.number)
        let rescan = try await f.store.addSample(tube: "T-A", resident: "FFY000100", checkIn: true, by: f.staff)
        #expect(rescan.repeated && rescan.ticket == nil)
        let coverage = try await f.store.coverage(site: Fixture.site, by: f.coordinator)
        #expect(coverage.counts.checkedIn == 1 && coverage.counts.sampled == 1)
        let trail = try await f.store.auditTrail(.resident("FFY000100"), by: f.coordinator)
        #expect(trail.map(\.action) == ["checked_in", "sampled"])
        #expect(trail.first?.detail == "ticket \(ticket.label), at station s1")
    }

    @Test("rule 2 binds check-in-and-sample as it binds anyone waiting; a refusal leaves no ticket")
    func checkInAndSampleKeepsHouseholds() async throws {
        let f = try await Fixture.make()
        let household = try await f.household("1-1-202")
        #expect(household.count == 4)
        // Eight neighbours fill a 10-in-1 tube to two places left.
        let neighbours = ["FFY000001", "FFY000002", "FFY000003", "FFY000004", "FFY000005", "FFY000010", "FFY000011", "FFY000012"]
        try await f.fill("T1", residents: neighbours)
        #expect(try await f.store.stationStatus(site: Fixture.site, station: "s1", by: f.staff).tube?.filled == 8)
        // Three members wait in the queue; the fourth comes straight to the station.
        for code in household.prefix(3) { _ = try await f.store.checkIn(site: Fixture.site, code: code, walkIn: nil, priority: false, by: f.staff) }
        let before = try await f.fingerprint()
        await #expect(throws: StoreError.rule(.householdDoesNotFit(waiting: 4, room: 2))) {
            try await f.store.addSample(tube: "T1", resident: household[3], checkIn: true, by: f.staff)
        }
        #expect(try await f.fingerprint() == before, "ticket and sample go together or not at all")
    }

    @Test("two walk-in addresses that read alike are two households, each address kept as typed")
    func walkInHouseholdsDoNotCollide() async throws {
        let f = try await Fixture.make()
        func walkIn(_ code: String, _ id: String, building: String, unit: String, room: String) async throws -> CheckInResult {
            try await f.store.checkIn(
                site: Fixture.site, code: code,
                walkIn: WalkIn(name: "王芳", idNumber: Self.idNumber(id), phone: "13812345678", building: building, unit: unit, room: room),
                priority: false, by: f.staff)
        }
        let first = try await walkIn("WALK-A", "11010519491231001", building: "72-3", unit: "4", room: "5")
        let second = try await walkIn("WALK-B", "11010519491231002", building: "72", unit: "3-4", room: "5")
        #expect(first.resident.household != second.resident.household)
        let addresses = try await f.store.read { db in
            try SQLRow.fetchAll(
                db, sql: """
                    SELECT r.code, h.building, h.unit, h.room FROM resident r JOIN household h ON h.id = r.household_id
                    WHERE r.code IN ('WALK-A', 'WALK-B') ORDER BY r.code
                    """
            ).map { [$0["building"], $0["unit"], $0["room"]] as [String] }
        }
        #expect(addresses == [["72-3", "4", "5"], ["72", "3-4", "5"]])
        // A walk-in at a roster address joins the household living there.
        let neighbour = try await walkIn("WALK-C", "11010519491231003", building: "1", unit: "1", room: "202")
        #expect(neighbour.resident.household == "1-1-202")
    }

    /// A valid ID number from its first 17 digits.
    static func idNumber(_ first17: String) -> String { first17 + String(PersonalData.nationalIDCheckDigit(first17)!) }
}
