import Foundation
import GRDB
import SwablineCore

/// A row of `token`: a bearer token's hash, role and life.
struct TokenRecord: RowDecodable, Sendable {
    var id: Int64
    var role: String
    var siteID: String?
    var labID: String?
    var label: String?
    var createdAt: String
    var expiresAt: String?
    var revokedAt: String?

    enum Columns {
        static let id = Column("id")
        static let role = Column("role")
        static let siteID = Column("site_id")
        static let labID = Column("lab_id")
        static let label = Column("label")
        static let createdAt = Column("created_at")
        static let expiresAt = Column("expires_at")
        static let revokedAt = Column("revoked_at")
    }

    init(row: SQLRow) throws {
        id = try row.decode(forColumn: Columns.id)
        role = try row.decode(forColumn: Columns.role)
        siteID = try row.decode(forColumn: Columns.siteID)
        labID = row[Columns.labID]
        label = try row.decode(forColumn: Columns.label)
        createdAt = try row.decode(forColumn: Columns.createdAt)
        expiresAt = try row.decode(forColumn: Columns.expiresAt)
        revokedAt = try row.decode(forColumn: Columns.revokedAt)
    }

    var info: TokenInfo {
        TokenInfo(id: id, role: role, site: siteID, lab: labID, label: label, createdAt: createdAt, expiresAt: expiresAt, revokedAt: revokedAt)
    }
}

/// A row of `webhook_delivery`: a lab delivery applied once, and its answer.
struct WebhookDeliveryRecord: RowDecodable, Sendable {
    var response: Data
    /// NULL for deliveries stored before migration v9.
    var bodySHA256: String?

    enum Columns {
        static let response = Column("response")
        static let bodySHA256 = Column("body_sha256")
    }

    init(row: SQLRow) throws {
        response = try row.decode(forColumn: Columns.response)
        bodySHA256 = try row.decode(forColumn: Columns.bodySHA256)
    }
}

/// A row of `idempotency_key`: the first answer to a POST.
struct IdempotencyRecord: RowDecodable, Sendable {
    var answer: RememberedAnswer

    enum Columns {
        static let fingerprint = Column("fingerprint")
        static let status = Column("status")
        static let contentType = Column("content_type")
        static let body = Column("body")
    }

    init(row: SQLRow) throws {
        answer = RememberedAnswer(
            fingerprint: try row.decode(forColumn: Columns.fingerprint), status: try row.decode(forColumn: Columns.status),
            contentType: try row.decode(forColumn: Columns.contentType), body: try row.decode(forColumn: Columns.body))
    }
}
