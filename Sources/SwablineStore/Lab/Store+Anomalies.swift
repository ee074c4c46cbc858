import GRDB
import SwablineCore

/// A lab posted a result that conflicts with the one recorded for the tube
/// (rule 4: kept for a person to resolve, never overwriting). Resolving
/// records who did it and their note; the recorded result and the outcomes
/// it decided stay as they are (a doubt about a person is settled by
/// retesting them, which the retest rules already handle).
public struct AnomalyView: Sendable, Codable, Equatable {
    public var id: Int64
    public var tube: String
    public var site: String
    public var lab: String
    public var recordedResult: TubeResult
    public var postedResult: TubeResult
    /// The lab delivery that posted the conflicting result.
    public var webhookId: String
    public var at: String
    public var resolvedAt: String?
    /// The resolver's token label (`coordinator#3`), never a person's name.
    public var resolvedBy: String?
    public var note: String?
}

/// Which anomalies a list shows.
public enum AnomalyFilter: String, Sendable, CaseIterable {
    case open
    case resolved
    case all
}

extension Store {
    /// The most anomalies one list answers, newest first.
    public static let anomalyListLimit = 500

    /// Anomalies, newest first: a coordinator's at every site (or one),
    /// staff only their own site's.
    public func anomalies(site: String? = nil, filter: AnomalyFilter = .open, by actor: Actor) async throws -> [AnomalyView] {
        if let site { try Self.requireCode(site, field: "site") }
        let scope: String?
        switch actor {
        case .coordinator: scope = site
        case let .staff(_, own):
            if let site, site != own { throw StoreError.forbidden("Your token is for site \(own), not \(site).") }
            scope = own
        case .courier, .lab: throw StoreError.forbidden("This needs a coordinator token or a staff token of the site.")
        }
        return try await read { db in
            if let scope { _ = try self.site(db, scope) }
            let state = switch filter {
            case .open: "a.resolved_at IS NULL"
            case .resolved: "a.resolved_at IS NOT NULL"
            case .all: "1 = 1"
            }
            return try AnomalyRow.fetchAll(
                db,
                sql: """
                    SELECT \(AnomalyRow.columns) FROM anomaly a JOIN tube t ON t.code = a.tube_code
                    WHERE \(state) AND (CAST(? AS TEXT) IS NULL OR t.site_id = ?) ORDER BY a.id DESC LIMIT ?
                    """,
                arguments: [scope, scope, Self.anomalyListLimit]
            ).map(\.view)
        }
    }

    /// Marks an anomaly resolved by a coordinator, with their note (1 to 500
    /// characters). One already resolved is answered as it stands and
    /// nothing changes (the resent-step rule), so its first resolver and
    /// note are kept.
    public func resolveAnomaly(id: Int64, note: String, by actor: Actor) async throws -> AnomalyView {
        try Self.requireCoordinator(actor)
        // A note that names a phone or ID number keeps it masked (rule 8).
        let note = PersonalData.maskNumbers(in: note.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !note.isEmpty, note.count <= 500 else {
            throw StoreError.invalid(field: "note", why: "must be 1 to 500 characters: what was checked and what was done")
        }
        return try await write { db, now in
            try db.cachedStatement(
                sql: "UPDATE anomaly SET resolved_at = ?, resolved_by = ?, resolution_note = ? WHERE id = ? AND resolved_at IS NULL"
            ).execute(arguments: [now, actor.label, note, id])
            let resolvedNow = db.changesCount > 0
            guard let row = try AnomalyRow.fetchOne(
                db.cachedStatement(sql: "SELECT \(AnomalyRow.columns) FROM anomaly a JOIN tube t ON t.code = a.tube_code WHERE a.id = ?"),
                arguments: [id])
            else { throw StoreError.notFound(kind: .anomaly, code: "#\(id)") }
            if resolvedNow { try Self.audit(db, .anomalyResolved, by: actor, tube: row.view.tube, detail: note, now: now) }
            return row.view
        }
    }
}
