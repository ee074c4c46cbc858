import Foundation
import GRDB
import SwablineCore

/// What the audit log records about a resident, beside the custody chain's
/// tube and box steps.
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case checkedIn = "checked_in"
    case registered
    case requeued
    case sampled
    /// A coordinator saw the unmasked ID number and phone.
    case revealed
    case anomalyResolved = "anomaly_resolved"
    /// A tube was reported lost (dropped, broken, a wrong barcode opened), with the reason.
    case tubeLost = "tube_lost"
    /// A lab rejected a tube it received (leaked, unlabelled, too old…), with the reason.
    case tubeRejected = "tube_rejected"
    /// A site's roster was uploaded while the server ran.
    case rosterUploaded = "roster_uploaded"
    /// A coordinator cleared a resident's standing (rule 9), with the reason.
    case cleared
    /// Staff recorded why a resident was not sampled in a round (应检尽检).
    case followedUp = "followed_up"
    /// The gate found a fever or symptoms: single-tube lane and the referral list.
    case referred
    /// Staff marked a resident homebound (or not): the home-visit list.
    case homebound
}

/// One line of a trail: an audit event or a custody step, in time order.
public struct AuditEntry: Sendable, Codable, Equatable {
    public var at: String
    public var actor: String
    /// An `AuditAction`, or a custody step (`sealed`, `picked_up`, …).
    public var action: String
    public var resident: String?
    public var tube: String?
    public var box: String?
    public var detail: String?
}

/// What the audit trail is asked about: one resident, tube or box.
public enum AuditSubject: Sendable, Equatable {
    case resident(String)
    case tube(String)
    case box(String)
}

/// A resident's personal data, unmasked: only for a coordinator, and every
/// reveal is in the audit log with its reason (rule 8).
public struct RevealedResident: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var idNumber: String
    public var phone: String
    public var site: String
}

extension Store {
    /// Appends to the audit log inside the caller's transaction, so an
    /// action and its record are committed (or undone) together. Its
    /// detail is masked here, once for every caller: a reason someone typed
    /// may hold a phone or ID number, and this log is never rewritten (rule 8).
    static func audit(
        _ db: SQLSession, _ action: AuditAction, by actor: Actor, resident: Int64? = nil, tube: String? = nil, box: String? = nil,
        detail: String? = nil, now: String
    ) throws {
        try db.cachedStatement(
            sql: "INSERT INTO audit_event (at, actor, action, resident_id, tube_code, box_code, detail) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [now, actor.label, action.rawValue, resident, tube, box, detail.map { PersonalData.maskNumbers(in: $0) }])
    }

    /// Shows a coordinator one resident's ID number and phone, for a stated
    /// reason (a door-to-door team cannot find them, say), and records it.
    public func revealResident(code: String, reason: String, by actor: Actor) async throws -> RevealedResident {
        try Self.requireCoordinator(actor)
        try Self.requireCode(code, field: "resident_code")
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 200 else {
            throw StoreError.invalid(field: "reason", why: "must be 1 to 200 characters: why the unmasked number is needed")
        }
        return try await write { db, now in
            guard let row = try Self.residentRow(db, code: code)?.resident else { throw StoreError.notFound(kind: .resident, code: code) }
            try Self.audit(db, .revealed, by: actor, resident: row.id, detail: reason, now: now)
            return RevealedResident(code: code, name: row.name, idNumber: row.idNumber, phone: row.phone, site: row.siteID)
        }
    }

    /// Everything recorded about one resident, tube or box, oldest first:
    /// the audit log and, for tubes and boxes, their custody chain. Coordinators only.
    public func auditTrail(_ subject: AuditSubject, by actor: Actor, limit: Int) async throws -> [AuditEntry] {
        try Self.requireCoordinator(actor)
        return try await read { db in
            let select = """
                SELECT a.at, a.actor, a.action, r.code AS resident, a.tube_code AS tube, a.box_code AS box, a.detail, a.id AS seq, 0 AS kind
                FROM audit_event a LEFT JOIN resident r ON r.id = a.resident_id
                """
            let custody = """
                SELECT c.at, c.actor, c.event AS action, NULL AS resident,
                  CASE c.subject WHEN :tube THEN c.code END AS tube, CASE c.subject WHEN :box THEN c.code END AS box,
                  CASE WHEN c.to_actor IS NOT NULL THEN 'to ' || c.to_actor END AS detail, c.id AS seq, 1 AS kind
                FROM custody_event c
                """
            let rows: [AuditRow]
            switch subject {
            case let .resident(code):
                try Self.requireCode(code, field: "resident")
                guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM resident WHERE code = ?"), arguments: [code]) else {
                    throw StoreError.notFound(kind: .resident, code: code)
                }
                rows = try AuditRow.fetchAll(
                    db.cachedStatement(sql: "\(select) WHERE a.resident_id = ? ORDER BY a.id LIMIT ?"), arguments: [id, limit])
            case let .tube(code):
                try Self.requireCode(code, field: "tube")
                guard try Self.tubeRow(db, code: code) != nil else { throw StoreError.notFound(kind: .tube, code: code) }
                rows = try AuditRow.fetchAll(
                    db.cachedStatement(sql: """
                        SELECT * FROM (\(select) WHERE a.tube_code = :code UNION ALL \(custody) WHERE c.subject = :tube AND c.code = :code) AS trail
                        ORDER BY at, kind DESC, seq LIMIT :limit
                        """), arguments: ["code": code, "limit": limit, "tube": CustodySubject.tube, "box": CustodySubject.box])
            case let .box(code):
                try Self.requireCode(code, field: "box")
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM box WHERE code = ?"), arguments: [code]) != nil else {
                    throw StoreError.notFound(kind: .box, code: code)
                }
                rows = try AuditRow.fetchAll(
                    db.cachedStatement(sql: """
                        SELECT * FROM (\(select) WHERE a.box_code = :code UNION ALL \(custody) WHERE c.subject = :box AND c.code = :code) AS trail
                        ORDER BY at, kind DESC, seq LIMIT :limit
                        """), arguments: ["code": code, "limit": limit, "tube": CustodySubject.tube, "box": CustodySubject.box])
            }
            return rows.map(\.entry)
        }
    }
}
