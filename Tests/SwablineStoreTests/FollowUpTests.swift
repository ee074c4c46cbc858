import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

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
        let twin = try await f.store.writeDirectly { db -> String in
            let row = try SQLRow.fetchOne(db, sql: "SELECT id_number, phone, name FROM resident WHERE code = ?", arguments: [people[0]])!
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
