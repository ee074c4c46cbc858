import GRDB
import SwablineCore

/// One resident of an isolated household, and the test they owe.
public struct IsolatedResident: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    /// Masked.
    public var phone: String
    public var standing: Standing
    /// Today, when today is a test day and they are not yet sampled.
    public var testDue: String?
    /// The earliest test day they missed.
    public var testOverdue: String?
}

/// A household in home isolation (居家隔离).
public struct IsolatedHousehold: Sendable, Codable, Equatable {
    public var site: String
    public var household: String
    public var building: String
    public var unit: String
    public var room: String
    public var since: String
    public var until: String
    public var testDays: [String]
    public var residents: [IsolatedResident]
}

/// The isolation follow-up list: households isolated today, by site and address.
public struct IsolationReport: Sendable, Codable, Equatable {
    public var households: [IsolatedHousehold]
    public var residents: Int
    public var due: Int
    public var overdue: Int
}

extension Store {
    /// A positive or pool-positive tube isolates its members' households from
    /// the day the result came (the site's local day) for the site's days; an
    /// isolation still running is extended instead.
    static func applyResultToIsolation(_ db: SQLSession, tube: String, round: Int64, now: String) throws {
        let site = try SiteRecord.fetchOne(
            db.cachedStatement(sql: "SELECT s.* FROM site s JOIN tube t ON t.site_id = s.id WHERE t.code = ?"), arguments: [tube])!
        guard let today = Timestamp.localDay(now, timeZone: site.timeZone), let plan = IsolationPlan(since: today, days: site.isolationDays)
        else { return }
        let households = try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT DISTINCT r.household_id FROM sample s JOIN resident r ON r.id = s.resident_id WHERE s.tube_code = ?"),
            arguments: [tube])
        for household in households {
            let latest = try SQLRow.fetchOne(
                db.cachedStatement(sql: "SELECT id, since, until FROM isolation WHERE household_id = ? ORDER BY id DESC LIMIT 1"),
                arguments: [household])
            if let latest, plan.since <= latest["until"] as String {
                let extended = IsolationPlan(since: latest["since"], until: latest["until"]).extended(by: plan)
                try db.cachedStatement(sql: "UPDATE isolation SET until = ?, round_id = ?, updated_at = ? WHERE id = ?").execute(
                    arguments: [extended.until, round, now, latest["id"] as Int64])
            } else {
                try db.cachedStatement(
                    sql: "INSERT INTO isolation (household_id, since, until, round_id, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                ).execute(arguments: [household, plan.since, plan.until, round, now, now])
            }
        }
    }

    /// The households isolated today at a site (staff of it, or a
    /// coordinator), or at every site (`site` nil: a coordinator), with the
    /// test each resident owes today or missed.
    public func isolation(site: String?, by actor: Actor) async throws -> IsolationReport {
        if let site { try Self.requireReader(actor, site: site) } else { try Self.requireCoordinator(actor) }
        let now = Timestamp.string(clock())
        return try await read { db in
            var sites = try SiteRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM site ORDER BY id"))
            if let site {
                sites = sites.filter { $0.id == site }
                guard !sites.isEmpty else { throw StoreError.notFound(kind: .site, code: site) }
            }
            var households: [IsolatedHousehold] = []
            for site in sites {
                guard let today = Timestamp.localDay(now, timeZone: site.timeZone) else { continue }
                households += try Self.isolatedHouseholds(db, site: site, today: today)
            }
            let residents = households.flatMap(\.residents)
            return IsolationReport(
                households: households, residents: residents.count, due: residents.count { $0.testDue != nil },
                overdue: residents.count { $0.testOverdue != nil })
        }
    }

    static func isolatedHouseholds(_ db: SQLSession, site: SiteRecord, today: String) throws -> [IsolatedHousehold] {
        let rows = try SQLRow.fetchAll(
            db.cachedStatement(sql: """
                SELECT i.since, i.until, i.started_at, \(ResidentAtHome.columns), coalesce(st.status, :cleared) AS standing FROM isolation i
                JOIN household h ON h.id = i.household_id JOIN resident r ON r.household_id = h.id
                LEFT JOIN standing st ON st.resident_id = r.id
                WHERE h.site_id = :site AND i.until >= :today AND i.since <= :today
                  AND i.id = (SELECT max(i2.id) FROM isolation i2 WHERE i2.household_id = i.household_id)
                ORDER BY r.code
                """),
            arguments: ["site": site.id, "today": today, "cleared": Standing.cleared])
        var byHousehold: [String: IsolatedHousehold] = [:]
        for row in rows {
            let person = try ResidentAtHome(row: row)
            let plan = IsolationPlan(since: row["since"], until: row["until"])
            // Only samples taken once the isolation began meet its tests (not the one that caused it).
            let sampled = Set(
                try String.fetchAll(
                    db.cachedStatement(sql: "SELECT sampled_at FROM sample WHERE resident_id = ? AND sampled_at > ?"),
                    arguments: [person.resident.id, row["started_at"] as String]
                ).compactMap { Timestamp.localDay($0, timeZone: site.timeZone) })
            let tests = plan.tests(on: today, sampledOn: sampled)
            let resident = IsolatedResident(
                code: person.resident.code, name: person.resident.name, phone: PersonalData.maskPhone(person.resident.phone),
                standing: row["standing"], testDue: tests.due, testOverdue: tests.overdue)
            byHousehold[person.household.key, default: IsolatedHousehold(
                site: site.id, household: person.household.key, building: person.household.building, unit: person.household.unit,
                room: person.household.room, since: plan.since, until: plan.until, testDays: plan.testDays, residents: [])
            ].residents.append(resident)
        }
        return byHousehold.values.sorted {
            ($0.building, $0.unit, $0.room) == ($1.building, $1.unit, $1.room)
                ? $0.household < $1.household
                : CoverageTree.naturalOrder($0.building, $1.building)
                    || ($0.building == $1.building && (CoverageTree.naturalOrder($0.unit, $1.unit)
                        || ($0.unit == $1.unit && CoverageTree.naturalOrder($0.room, $1.room))))
        }
    }
}
