import Foundation
import GRDB
import SwablineCore

/// What a roster upload did, or why it did nothing.
public struct RosterImport: Sendable, Equatable {
    /// Residents in the file.
    public var residents: Int
    /// Of those, residents the site did not have before.
    public var added: Int
    /// Row-level problems, as `swabline sites check` names them; when any,
    /// nothing was written.
    public var problems: [SiteProblem]
}

extension Store {
    /// A site's roster (`roster.csv`, the columns of `sites/README.md`)
    /// uploaded while the server runs: checked row by row exactly as a
    /// site folder is at start-up, then applied as the import does (new
    /// residents and households added, changed fields updated, nobody
    /// deleted: their tickets and tubes refer to them). One bad row and
    /// nothing is written, so a half-read file cannot leave the compound
    /// with half a roster. Staff of the site and coordinators may upload;
    /// it is audited.
    ///
    /// The database is what the server serves from: a later change to the
    /// site's folder on disk is imported at the next start and updates the
    /// residents it lists, as any import does.
    public func uploadRoster(site: String, data: Data, by actor: Actor) async throws -> RosterImport {
        try Self.requireReader(actor, site: site)
        let file = "roster.csv"
        let entries: [RosterEntry]
        switch SiteDirectory.text(data, file: file) {
        case let .failure(problem): return RosterImport(residents: 0, added: 0, problems: [problem])
        case let .success(text):
            // A browser reading a GBK file as UTF-8 turns every Chinese name into U+FFFD; take none of that.
            if text.contains("\u{FFFD}") {
                return RosterImport(residents: 0, added: 0, problems: [
                    .init(file: file, line: nil, field: "file", why: "holds characters that were not UTF-8 (shown as �): save the file as CSV UTF-8 and upload it again")
                ])
            }
            let (parsed, problems) = RosterFile.parse(text, file: file)
            guard problems.isEmpty else { return RosterImport(residents: 0, added: 0, problems: problems) }
            entries = parsed
        }
        return try await write { db, now in
            _ = try self.site(db, site)
            var problems: [SiteProblem] = []
            let buildings = Set(entries.map(\.building))
            for building in try String.fetchAll(
                db.cachedStatement(sql: "SELECT building FROM building_slot WHERE site_id = ? ORDER BY building"), arguments: [site])
            where !buildings.contains(building) {
                problems.append(.init(file: file, line: nil, field: "building", why: "building \(building) has a time slot in site.toml but no residents in this roster"))
            }
            var added = 0
            for entry in entries {
                let owner = try String.fetchOne(db.cachedStatement(sql: "SELECT site_id FROM resident WHERE code = ?"), arguments: [entry.code])
                if let owner, owner != site {
                    problems.append(.init(file: file, line: nil, field: "resident_code", why: "\(entry.code) is a resident of another site"))
                }
                if owner == nil { added += 1 }
            }
            guard problems.isEmpty else { return RosterImport(residents: entries.count, added: 0, problems: problems) }
            try Self.upsertResidents(db, site: site, entries: entries, walkIn: false, now: now)
            try Self.audit(db, .rosterUploaded, by: actor, detail: "\(entries.count) residents, \(added) new", now: now)
            return RosterImport(residents: entries.count, added: added, problems: [])
        }
    }
}
