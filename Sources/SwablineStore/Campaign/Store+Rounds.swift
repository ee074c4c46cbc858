import GRDB
import SwablineCore

/// A round (轮次) of testing: coverage and outcomes are counted per round.
/// Each site is in its own round, the last one it entered (rule 10).
public struct RoundInfo: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var openedAt: String
}

/// Which sites a coordinator opens a round for.
public enum RoundScope: Sendable, Equatable {
    /// Every site.
    case everySite
    /// Every site whose address begins with this text ("廊坊市广阳区", or a whole city).
    case district(String)
    /// These sites (one or more ids).
    case sites([String])
}

/// A round just opened, and the sites that entered it.
public struct OpenedRound: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var openedAt: String
    public var sites: [String]

    public var round: RoundInfo { RoundInfo(id: id, name: name, openedAt: openedAt) }
}

extension Store {
    /// The round a site's check-ins and tubes belong to: the last it entered.
    static func currentRound(_ db: SQLSession, site: String) throws -> RoundInfo {
        guard let round = try RoundRecord.fetchOne(
            db.cachedStatement(sql: """
                SELECT r.* FROM site_round sr JOIN round r ON r.id = sr.round_id WHERE sr.site_id = ? ORDER BY r.id DESC LIMIT 1
                """), arguments: [site])
        else { throw StoreError.conflict(.noRound) }
        return round.info
    }

    /// The current round of a site that exists: `site_not_found` for an
    /// unknown site, `no_round` before its first round. One statement on
    /// the gate's path, where both are there.
    func currentRound(_ db: SQLSession, ofSite site: String) throws -> RoundInfo {
        do {
            return try Self.currentRound(db, site: site)
        } catch StoreError.conflict(.noRound) {
            // Only here: after a database error PostgreSQL's transaction is aborted, and a
            // second statement would hide that error (a serialization failure to re-run).
            _ = try self.site(db, site)
            throw StoreError.conflict(.noRound)
        }
    }

    /// A round the site entered (`round_not_found` otherwise), or its current one.
    static func siteRound(_ db: SQLSession, site: String, round: Int64?) throws -> RoundInfo {
        guard let round else { return try currentRound(db, site: site) }
        guard let record = try RoundRecord.fetchOne(
            db.cachedStatement(sql: "SELECT r.* FROM site_round sr JOIN round r ON r.id = sr.round_id WHERE sr.site_id = ? AND r.id = ?"),
            arguments: [site, round])
        else { throw StoreError.notFound(kind: .round, code: String(round)) }
        return record.info
    }

    /// The round opened last, for any site; nil before the first.
    static func latestRound(_ db: SQLSession) throws -> RoundInfo? {
        try RoundRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM round ORDER BY id DESC LIMIT 1"))?.info
    }

    /// The round opened last, for any site.
    public func latestRound() async throws -> RoundInfo {
        try await read { db in
            guard let round = try Self.latestRound(db) else { throw StoreError.conflict(.noRound) }
            return round
        }
    }

    /// The site's current round, for the operator who holds the database file (the CLI).
    public func currentRound(site: String) async throws -> RoundInfo {
        try await read { db in
            _ = try self.site(db, site)
            return try Self.currentRound(db, site: site)
        }
    }

    /// The site's current round, for its staff or a coordinator.
    public func currentRound(site: String, by actor: Actor) async throws -> RoundInfo {
        try await readSiteRound(site, by: actor) { _, round in round }
    }

    /// Every round the site entered, newest first (the dashboards' round picker).
    public func siteRounds(site: String, by actor: Actor) async throws -> [RoundInfo] {
        try Self.requireReader(actor, site: site)
        return try await read { db in
            _ = try self.site(db, site)
            return try RoundRecord.fetchAll(
                db.cachedStatement(sql: "SELECT r.* FROM site_round sr JOIN round r ON r.id = sr.round_id WHERE sr.site_id = ? ORDER BY r.id DESC"),
                arguments: [site]
            ).map(\.info)
        }
    }

    /// Opens a new round for the sites in `scope`; from now on their
    /// check-ins, tubes and outcomes count toward it. Refused while one of
    /// those sites has an open tube (a tube belongs to the round it was
    /// opened in); other sites' tubes do not matter.
    public func openRound(name: String, for scope: RoundScope = .everySite) async throws -> OpenedRound {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 100 else {
            throw StoreError.invalid(field: "name", why: "must be 1 to 100 characters")
        }
        return try await write { db, now in
            let sites = try Self.sites(db, in: scope)
            let open = try String.fetchAll(
                db.cachedStatement(sql: "SELECT DISTINCT site_id FROM tube WHERE state = ? ORDER BY site_id"), arguments: [TubeState.open]
            ).filter(sites.contains)
            guard open.isEmpty else { throw StoreError.conflict(.tubesOpen(sites: open)) }
            let round = RoundInfo(id: try Self.insertRound(db, name: trimmed, now: now), name: trimmed, openedAt: now)
            for site in sites {
                try db.cachedStatement(sql: "INSERT INTO site_round (site_id, round_id) VALUES (?, ?)").execute(arguments: [site, round.id])
            }
            return OpenedRound(id: round.id, name: round.name, openedAt: round.openedAt, sites: sites)
        }
    }

    /// The ids of the sites a scope names, refusing an unknown site or a district with none.
    static func sites(_ db: SQLSession, in scope: RoundScope) throws -> [String] {
        let all = try SiteRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM site ORDER BY id"))
        switch scope {
        case .everySite:
            return all.map(\.id)
        case let .district(text):
            let district = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let ids = all.filter { !district.isEmpty && $0.address.hasPrefix(district) }.map(\.id)
            guard !ids.isEmpty else { throw StoreError.invalid(field: "district", why: "names no site: it must begin a site's address") }
            return ids
        case let .sites(ids):
            guard !ids.isEmpty else { throw StoreError.invalid(field: "sites", why: "must name at least one site") }
            for id in ids where !all.contains(where: { $0.id == id }) { throw StoreError.notFound(kind: .site, code: id) }
            return Array(Set(ids)).sorted()
        }
    }

    /// Opens a first round when there is none, so a new install runs with no
    /// set-up, and enters every site that is in no round yet (one imported
    /// since) into the round opened last. Returns that round.
    public func ensureRound(defaultName: String) async throws -> RoundInfo {
        try await write { db, now in
            var round = try Self.latestRound(db)
            if round == nil {
                round = RoundInfo(id: try Self.insertRound(db, name: defaultName, now: now), name: defaultName, openedAt: now)
            }
            try db.cachedStatement(sql: """
                INSERT INTO site_round (site_id, round_id) SELECT s.id, ? FROM site s
                WHERE NOT EXISTS (SELECT 1 FROM site_round sr WHERE sr.site_id = s.id)
                """).execute(arguments: [round!.id])
            return round!
        }
    }

    static func insertRound(_ db: SQLSession, name: String, now: String) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "INSERT INTO round (name, opened_at) VALUES (?, ?) RETURNING id"), arguments: [name, now])!
    }
}
