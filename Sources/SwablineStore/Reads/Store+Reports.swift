import GRDB
import SwablineCore

public struct PersonLine: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    /// Masked.
    public var phone: String
    public var building: String
    public var unit: String
    public var room: String
    public var household: String
    public var outcome: Outcome?
}

public struct CoverageReport: Sendable, Codable, Equatable {
    public var site: String
    public var round: String
    public var counts: CoverageCounts
    public var buildings: [CoverageTree.Building]
    /// Residents not yet sampled this round (应检尽检), by building and room.
    public var missing: [PersonLine]
}

public struct RetestReport: Sendable, Codable, Equatable {
    public struct Household: Sendable, Codable, Equatable {
        public var household: String
        public var unit: String
        public var room: String
        public var residents: [PersonLine]
    }

    public struct Building: Sendable, Codable, Equatable {
        public var building: String
        public var households: [Household]
    }

    public var site: String
    public var round: String
    public var total: Int
    public var buildings: [Building]
}

public struct OutcomeReport: Sendable, Codable, Equatable {
    public struct Sample: Sendable, Codable, Equatable {
        public var tube: String
        public var mode: TubeMode
        public var sampledAt: String
        public var retest: Bool
        public var result: TubeResult?
    }

    public var resident: ResidentView
    public var round: String
    public var outcome: Outcome?
    public var samples: [Sample]
}

extension Store {
    /// Who was expected, checked in, sampled and resulted this round, per
    /// building, unit and household; and who is still missing.
    public func coverage(site: String, by actor: Actor) async throws -> CoverageReport {
        try await readSiteRound(site, by: actor) { db, round in
            let rows = try HouseholdCoverageRow.fetchAll(
                db.cachedStatement(sql: """
                    SELECT h.building, h.unit, h.room, h.key,
                      count(r.id) AS expected,
                      count(t.id) AS checked_in,
                      count(CASE WHEN EXISTS (SELECT 1 FROM sample s WHERE s.round_id = :round AND s.resident_id = r.id) THEN 1 END) AS sampled,
                      count(CASE WHEN o.status IS NOT NULL AND o.status <> :pending THEN 1 END) AS resulted
                    FROM household h JOIN resident r ON r.household_id = h.id
                    LEFT JOIN ticket t ON t.round_id = :round AND t.resident_id = r.id
                    LEFT JOIN outcome o ON o.round_id = :round AND o.resident_id = r.id
                    WHERE h.site_id = :site
                    GROUP BY h.id
                    """),
                arguments: ["round": round.id, "site": site, "pending": Outcome.pending])
            let tree = CoverageTree.rollUp(rows.map(\.household))
            let missing = try PersonLineRow.fetchAll(
                db,
                sql: """
                    SELECT \(ResidentAtHome.columns), NULL AS status FROM resident r JOIN household h ON h.id = r.household_id
                    WHERE r.site_id = ? AND NOT EXISTS (SELECT 1 FROM sample s WHERE s.round_id = ? AND s.resident_id = r.id)
                    """,
                arguments: [site, round.id]
            ).map(\.line).sorted(by: Self.addressOrder)
            return CoverageReport(site: site, round: round.name, counts: tree.counts, buildings: tree.buildings, missing: missing)
        }
    }

    static func addressOrder(_ a: PersonLine, _ b: PersonLine) -> Bool {
        for (x, y) in [(a.building, b.building), (a.unit, b.unit), (a.room, b.room)] where x != y {
            return CoverageTree.naturalOrder(x, y)
        }
        return a.code < b.code
    }

    /// Who must be sampled again (pool-positive: isolate and single-tube
    /// retest; invalid: resample), by building and household, for the
    /// door-to-door teams.
    public func retests(site: String, by actor: Actor) async throws -> RetestReport {
        try await readSiteRound(site, by: actor) { db, round in
            let people = try PersonLineRow.fetchAll(
                db,
                sql: """
                    SELECT \(ResidentAtHome.columns), o.status FROM outcome o
                    JOIN resident r ON r.id = o.resident_id JOIN household h ON h.id = r.household_id
                    WHERE o.round_id = ? AND r.site_id = ? AND o.status IN (?, ?)
                      AND NOT EXISTS (SELECT 1 FROM sample s WHERE s.round_id = o.round_id AND s.resident_id = o.resident_id
                                      AND s.id > coalesce(o.decided_by_sample, 0))
                    """,
                arguments: [round.id, site, Outcome.poolPositive, Outcome.invalid]
            ).map(\.line).sorted(by: Self.addressOrder)
            var buildings: [RetestReport.Building] = []
            for person in people {
                if buildings.last?.building != person.building {
                    buildings.append(.init(building: person.building, households: []))
                }
                if buildings[buildings.count - 1].households.last?.household != person.household {
                    buildings[buildings.count - 1].households.append(
                        .init(household: person.household, unit: person.unit, room: person.room, residents: []))
                }
                let b = buildings.count - 1, h = buildings[b].households.count - 1
                buildings[b].households[h].residents.append(person)
            }
            return RetestReport(site: site, round: round.name, total: people.count, buildings: buildings)
        }
    }

    /// One resident's outcome this round and the samples behind it.
    public func outcome(resident code: String, by actor: Actor) async throws -> OutcomeReport {
        try Self.requireCode(code, field: "resident_code")
        return try await read { db in
            guard let row = try Self.residentRow(db, code: code), actor.canRead(site: row.resident.siteID) else {
                if case .staff = actor { throw StoreError.notFound(kind: .resident, code: code) }
                if case .coordinator = actor { throw StoreError.notFound(kind: .resident, code: code) }
                throw StoreError.forbidden("This needs a staff token of the resident's site or a coordinator token.")
            }
            let round = try Self.currentRound(db)
            let status = try Outcome.fetchOne(
                db.cachedStatement(sql: "SELECT status FROM outcome WHERE round_id = ? AND resident_id = ?"), arguments: [round.id, row.resident.id])
            let samples = try ResidentSampleRow.fetchAll(
                db.cachedStatement(sql: """
                    SELECT s.*, t.mode, t.result FROM sample s JOIN tube t ON t.code = s.tube_code
                    WHERE s.round_id = ? AND s.resident_id = ? ORDER BY s.id
                    """),
                arguments: [round.id, row.resident.id]
            ).map(\.report)
            return OutcomeReport(resident: row.view, round: round.name, outcome: status, samples: samples)
        }
    }
}
