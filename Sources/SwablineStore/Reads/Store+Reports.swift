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
    /// Their standing across rounds, when it is not `cleared` (rule 9).
    public var standing: Standing?
    /// On the missing list: why they were not sampled; absent while it is an open task.
    public var reason: MissingReason?
    /// The reason was found by Swabline (sampled at another site by ID number), not recorded by staff.
    public var reasonFound: Bool?
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

extension Store {
    /// Who was expected, checked in, sampled and resulted this round, per
    /// building, unit and household; and who is still missing.
    public func coverage(site: String, round: Int64? = nil, by actor: Actor) async throws -> CoverageReport {
        try await readSiteRound(site, round: round, by: actor) { db, round in
            let span = try Self.roundSpan(db, site: site, round: round)
            let arguments: SQLArguments = [
                "round": round.id, "site": site, "pending": Outcome.pending, "from": span.from, "until": span.until,
                "elsewhere": MissingReason.testedElsewhere,
            ]
            let rows = try HouseholdCoverageRow.fetchAll(
                db.cachedStatement(sql: """
                    SELECT h.building, h.unit, h.room, h.key,
                      count(r.id) AS expected,
                      count(t.id) AS checked_in,
                      count(CASE WHEN \(Self.sampledInRound) THEN 1 END) AS sampled,
                      count(CASE WHEN o.status IS NOT NULL AND o.status <> :pending THEN 1 END) AS resulted,
                      count(CASE WHEN NOT \(Self.sampledInRound) AND \(Self.missingReason) IS NOT NULL THEN 1 END) AS closed
                    FROM household h JOIN resident r ON r.household_id = h.id
                    LEFT JOIN ticket t ON t.round_id = :round AND t.resident_id = r.id
                    LEFT JOIN outcome o ON o.round_id = :round AND o.resident_id = r.id
                    WHERE h.site_id = :site
                    GROUP BY h.id
                    """),
                arguments: arguments)
            let tree = CoverageTree.rollUp(rows.map(\.household))
            let missing = try PersonLineRow.fetchAll(
                db.cachedStatement(sql: """
                    SELECT \(ResidentAtHome.columns), NULL AS status, st.status AS standing, \(Self.missingReason) AS reason,
                      \(Self.recordedReason) IS NULL AS reason_found
                    FROM resident r JOIN household h ON h.id = r.household_id LEFT JOIN standing st ON st.resident_id = r.id
                    WHERE r.site_id = :site AND NOT \(Self.sampledInRound)
                    """),
                arguments: arguments
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
    /// door-to-door teams. In the site's current round this includes whoever
    /// an earlier round left not cleared (rule 9) and who has not been sampled
    /// in it, or whom a late result of an earlier round raised since their sample.
    public func retests(site: String, round: Int64? = nil, by actor: Actor) async throws -> RetestReport {
        try await readSiteRound(site, round: round, by: actor) { db, round in
            let current = try Self.currentRound(db, site: site).id == round.id
            let rows = try PersonLineRow.fetchAll(
                db,
                sql: """
                    SELECT \(ResidentAtHome.columns), o.status, st.status AS standing, NULL AS reason, NULL AS reason_found FROM outcome o
                    JOIN resident r ON r.id = o.resident_id JOIN household h ON h.id = r.household_id
                    LEFT JOIN standing st ON st.resident_id = r.id
                    WHERE o.round_id = :round AND r.site_id = :site AND o.status IN (:poolPositive, :invalid)
                      AND NOT EXISTS (SELECT 1 FROM sample s WHERE s.round_id = o.round_id AND s.resident_id = o.resident_id
                                      AND s.id > coalesce(o.decided_by_sample, 0))
                    UNION ALL
                    SELECT \(ResidentAtHome.columns), NULL, st.status, NULL, NULL FROM standing st
                    JOIN resident r ON r.id = st.resident_id JOIN household h ON h.id = r.household_id
                    WHERE :current = 1 AND r.site_id = :site AND st.status <> :cleared
                      AND NOT EXISTS (SELECT 1 FROM sample s JOIN tube t ON t.code = s.tube_code
                                      WHERE s.round_id = :round AND s.resident_id = r.id AND t.mode = :single
                                        AND s.id > coalesce(st.decided_by_sample, 0))
                      -- Raised by this round's own results, a sampled contact is followed on the isolation list;
                      -- raised by an earlier round's (a late result), they are due here even if already pooled.
                      AND (st.round_id < :round OR NOT \(Self.sampledInRound))
                    """,
                arguments: [
                    "round": round.id, "site": site, "poolPositive": Outcome.poolPositive, "invalid": Outcome.invalid,
                    "current": current, "cleared": Standing.cleared, "single": TubeMode.single,
                ]
            ).map(\.line)
            // Someone due by this round's outcome and by their standing is listed once, with the outcome.
            var byCode: [String: PersonLine] = [:]
            for row in rows where byCode[row.code]?.outcome == nil { byCode[row.code] = row }
            let people = byCode.values.sorted(by: Self.addressOrder)
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

}
