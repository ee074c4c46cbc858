import GRDB
import SwablineCore

extension Store {
    /// What `importSites` did.
    public struct ImportSummary: Sendable, Equatable {
        public var sites: Int
        public var residents: Int
    }

    /// Brings the database up to date with `sites/`: new sites, stations,
    /// slots, households and residents are added, changed fields are updated,
    /// and nothing is ever deleted (tickets, tubes and outcomes refer to it).
    /// A lab named by a site is created without a secret until
    /// `swabline labs add` gives it one.
    public func importSites(_ sites: [LoadedSite]) async throws -> ImportSummary {
        try await write { db, now in
            var residents = 0
            for site in sites {
                let s = site.definition
                try db.cachedStatement(sql: "INSERT INTO lab (id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING").execute( arguments: [s.lab, now])
                try db.cachedStatement(
                    sql: """
                        INSERT INTO site (id, name, address, time_zone, zone, pool_mode, lab_id, opens, closes, isolation_days,
                          triage_temperature)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address,
                          time_zone = excluded.time_zone, zone = excluded.zone, pool_mode = excluded.pool_mode,
                          lab_id = excluded.lab_id, opens = excluded.opens, closes = excluded.closes,
                          isolation_days = excluded.isolation_days, triage_temperature = excluded.triage_temperature
                        """).execute(
                    arguments: [s.id, s.name, s.address, s.timeZone, s.zone, s.poolMode, s.lab,
                                s.opens.description, s.closes.description, s.isolationDays, s.triageTemperature])
                for (position, station) in s.stations.enumerated() {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO station (site_id, id, name, position) VALUES (?, ?, ?, ?)
                            ON CONFLICT (site_id, id) DO UPDATE SET name = excluded.name, position = excluded.position
                            """).execute(
                        arguments: [s.id, station.id, station.name, position + 1])
                }
                for slot in s.slots {
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO building_slot (site_id, building, starts, ends) VALUES (?, ?, ?, ?)
                            ON CONFLICT (site_id, building) DO UPDATE SET starts = excluded.starts, ends = excluded.ends
                            """).execute(
                        arguments: [s.id, slot.building, slot.from.description, slot.to.description])
                }
                try Self.upsertResidents(db, site: s.id, entries: site.roster, walkIn: false, now: now)
                residents += site.roster.count
            }
            return ImportSummary(sites: sites.count, residents: residents)
        }
    }

    /// The site folder digests recorded at the last import.
    public func siteDigests() async throws -> [String: String] {
        try await read { db in
            Dictionary(uniqueKeysWithValues: try SiteSourceRecord.fetchAll(db, sql: "SELECT * FROM site_source").map { ($0.folder, $0.digest) })
        }
    }

    /// Records the digests of the site folders just imported.
    public func recordSiteDigests(_ digests: [String: String]) async throws {
        try await write { db, _ in
            try db.execute(sql: "DELETE FROM site_source")
            for (folder, digest) in digests {
                try db.cachedStatement(sql: "INSERT INTO site_source (folder, digest) VALUES (?, ?)").execute( arguments: [folder, digest])
            }
        }
    }

    /// Adds or updates one resident, joining (or creating) their household.
    @discardableResult
    static func upsertResident(_ db: SQLSession, site: String, entry: RosterEntry, walkIn: Bool, now: String) throws -> Int64 {
        try upsertResidents(db, site: site, entries: [entry], walkIn: walkIn, now: now)
        return try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM resident WHERE code = ?"), arguments: [entry.code])!
    }

    /// Rows per multi-row statement of `upsertResidents`: 500 residents bind
    /// 5,500 values, well inside both engines' limits (SQLite 32,766,
    /// PostgreSQL 65,535).
    static let upsertChunk = 500

    /// Adds or updates a site's residents (codes unique among `entries`, as
    /// `Roster.crossCheck` makes them), joining or creating their households.
    /// The rows go in multi-row statements, a few round trips per 500
    /// residents rather than four per resident: on PostgreSQL each statement
    /// is a round trip, and a city's rosters hold millions. A resident whose
    /// code belongs to another site is left as it is.
    static func upsertResidents(_ db: SQLSession, site: String, entries: [RosterEntry], walkIn: Bool, now: String) throws {
        var homes: [String: RosterEntry] = [:]
        for entry in entries where homes[entry.household] == nil { homes[entry.household] = entry }
        let households = homes.values.sorted { $0.household < $1.household }
        var householdIDs: [String: Int64] = [:]
        for chunk in stride(from: 0, to: households.count, by: upsertChunk).map({ households[$0..<min($0 + upsertChunk, households.count)] }) {
            var arguments = SQLArguments()
            for entry in chunk {
                arguments.append(row: site, entry.household, entry.building, entry.unit, entry.room)
            }
            try db.execute(
                sql: """
                    INSERT INTO household (site_id, key, building, unit, room) VALUES \(MultiRow.values(chunk.count, columns: 5))
                    ON CONFLICT (site_id, key) DO NOTHING
                    """, arguments: arguments)
            // Only these households' ids: a walk-in must not read the whole site's.
            try db.cachedStatement(sql: "SELECT key, id FROM household WHERE site_id = ? AND key IN \(MultiRow.list(chunk.count))").forEachRow(
                arguments: [site] + SQLArguments(chunk.map(\.household))
            ) { row in
                householdIDs[row[0]] = row[1]
                return true
            }
        }
        for chunk in stride(from: 0, to: entries.count, by: upsertChunk).map({ entries[$0..<min($0 + upsertChunk, entries.count)] }) {
            var arguments = SQLArguments()
            for entry in chunk {
                arguments.append(
                    row: entry.code, site, householdIDs[entry.household], entry.name, entry.idNumber, entry.phone, entry.priority,
                    entry.singleTube, walkIn, now, entry.homebound)
            }
            try db.execute(
                sql: """
                    INSERT INTO resident (code, site_id, household_id, name, id_number, phone, priority, single_tube, walk_in, registered_at,
                      homebound)
                    VALUES \(MultiRow.values(chunk.count, columns: 11))
                    ON CONFLICT (code) DO UPDATE SET household_id = excluded.household_id, name = excluded.name,
                      id_number = excluded.id_number, phone = excluded.phone, priority = excluded.priority,
                      single_tube = excluded.single_tube, homebound = CASE WHEN resident.homebound = 1 OR excluded.homebound = 1 THEN 1 ELSE 0 END
                    WHERE resident.site_id = excluded.site_id
                    """, arguments: arguments)
        }
    }

    /// The site's definition as stored, or `site_not_found`.
    func site(_ db: SQLSession, _ id: String) throws -> SiteRecord {
        guard let row = try SiteRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM site WHERE id = ?"), arguments: [id]) else {
            throw StoreError.notFound(kind: .site, code: id)
        }
        return row
    }

    /// The ids and names of all sites.
    public func siteList() async throws -> [(id: String, name: String)] {
        try await read { db in
            try SiteRecord.fetchAll(db, sql: "SELECT * FROM site ORDER BY id").map { ($0.id, $0.name) }
        }
    }
}
