import GRDB
import SwablineCore

/// A standing before and after a coordinator's clearance.
public struct StandingChange: Sendable, Codable, Equatable {
    public var resident: String
    public var was: Standing
    public var standing: Standing
}

extension Store {
    /// A coordinator clears a resident's standing (rule 9), with a reason
    /// that goes into the audit log (masked like every detail). Clearing
    /// someone already cleared changes nothing and audits nothing, so a
    /// resent request is harmless.
    public func clearStanding(resident code: String, reason: String, by actor: Actor) async throws -> StandingChange {
        try Self.requireCoordinator(actor)
        try Self.requireCode(code, field: "resident_code")
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw StoreError.invalid(field: "reason", why: "must be 1 to 500 characters: why they may be pooled again")
        }
        return try await write { db, now in
            guard let resident = try Self.residentRow(db, code: code)?.resident else { throw StoreError.notFound(kind: .resident, code: code) }
            let before = try Self.standingState(db, resident: resident.id)
            guard before.standing != .cleared else { return StandingChange(resident: code, was: .cleared, standing: .cleared) }
            let latest = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT max(id) FROM sample WHERE resident_id = ?"), arguments: [resident.id])
            let round = try Self.currentRound(db, site: resident.siteID)
            let after = try Self.applyStanding(db, resident: resident.id, .clearance(latestSample: latest), round: round.id, now: now)
            try Self.audit(db, .cleared, by: actor, resident: resident.id, detail: "was \(before.standing.rawValue): \(reason)", now: now)
            return StandingChange(resident: code, was: before.standing, standing: after.standing)
        }
    }
}
