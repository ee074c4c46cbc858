import Foundation
import GRDB
import SwablineCore

extension Store {
    /// How long a token is valid unless told otherwise: a week, one
    /// campaign round with room to spare. A lost phone's token dies on its own.
    public static let defaultTokenLifetime: TimeInterval = 7 * 24 * 3600

    /// Creates a bearer token and returns it; only its hash is kept, so it is
    /// shown this once.
    ///
    /// Staff tokens belong to one site; a courier token may be limited to one
    /// site's boxes; a coordinator token sees every site. A lab token is one
    /// lab's, for a lab without its own system: its people read manifests
    /// and work the lab page (a lab's own system signs webhooks instead).
    /// The token stops working after `validFor` seconds, or when revoked.
    public func createToken(
        role: Role, site: String?, label: String?, validFor: TimeInterval = Store.defaultTokenLifetime, lab: String? = nil
    ) async throws -> (id: Int64, token: String) {
        switch (role, site) {
        case (.staff, nil):
            throw StoreError.invalid(field: "site", why: "is required for a staff token (staff work at one site)")
        case (.coordinator, .some):
            throw StoreError.invalid(field: "site", why: "is not used for a coordinator token (coordinators see every site)")
        case (.lab, .some):
            throw StoreError.invalid(field: "site", why: "is not used for a lab token: give the lab instead")
        default: break
        }
        guard (role == .lab) == (lab != nil) else {
            throw StoreError.invalid(field: "lab", why: role == .lab ? "is required for a lab token" : "is only for a lab token")
        }
        guard validFor > 0, validFor.isFinite else {
            throw StoreError.invalid(field: "valid_for", why: "must be a positive number of seconds")
        }
        let token = Secrets.newToken()
        let hash = Secrets.tokenHash(token)
        let expires = Timestamp.string(clock().addingTimeInterval(validFor))
        let id = try await write { db, now in
            if let site { _ = try self.site(db, site) }
            if let lab, try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM lab WHERE id = ?"), arguments: [lab]) == nil {
                throw StoreError.notFound(kind: .lab, code: lab)
            }
            return try Int64.fetchOne(
                db.cachedStatement(
                    sql: "INSERT INTO token (hash, role, site_id, lab_id, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"),
                arguments: [hash, role, site, lab, label, now, expires])!
        }
        return (id, token)
    }

    /// The actor a bearer token stands for, or nil when it is unknown, expired or revoked.
    public func actor(forToken token: String) async throws -> Actor? {
        if case let .valid(actor) = try await checkToken(token) { return actor }
        return nil
    }

    /// What a bearer token is: an actor, or why it is refused. The reason is
    /// for counting failed sign-ins (an expired token in use means a round
    /// outlived its tokens; a revoked one, a lost phone), never for the caller.
    public func checkToken(_ token: String) async throws -> TokenCheck {
        let hash = Secrets.tokenHash(token)
        let now = Timestamp.string(clock())
        return try await read { db in
            guard let token = try TokenRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM token WHERE hash = ?"), arguments: [hash])
            else { return .unknown }
            if token.revokedAt != nil { return .revoked }
            if let expires = token.expiresAt, expires <= now { return .expired }
            let id = token.id, site = token.siteID
            switch Role(rawValue: token.role) {
            case .staff: return site.map { .valid(.staff(token: id, site: $0)) } ?? .unknown
            case .courier: return .valid(.courier(token: id, sites: site.map { [$0] } ?? []))
            case .coordinator: return .valid(.coordinator(token: id))
            case .lab: return token.labID.map { .valid(.lab(id: $0)) } ?? .unknown
            case nil: return .unknown
            }
        }
    }

    /// Every token ever made, newest first, without the token itself (only its hash is kept).
    public func tokens() async throws -> [TokenInfo] {
        try await read { db in try Self.tokenInfos(db, sql: "ORDER BY id DESC", arguments: []) }
    }

    /// One token by its number, or nil.
    public func token(id: Int64) async throws -> TokenInfo? {
        try await read { db in try Self.tokenInfos(db, sql: "WHERE id = ?", arguments: [id]).first }
    }

    static func tokenInfos(_ db: SQLSession, sql clause: String, arguments: SQLArguments) throws -> [TokenInfo] {
        try TokenRecord.fetchAll(
            db, sql: "SELECT id, role, site_id, lab_id, label, created_at, expires_at, revoked_at FROM token \(clause)", arguments: arguments
        ).map(\.info)
    }

    /// Revokes a token at once: its next request is 401. Revoking one that
    /// is already revoked changes nothing.
    @discardableResult
    public func revokeToken(id: Int64) async throws -> TokenInfo {
        try await write { db, now in
            try db.execute(sql: "UPDATE token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, id])
            guard let token = try Self.tokenInfos(db, sql: "WHERE id = ?", arguments: [id]).first else {
                throw StoreError.notFound(kind: .token, code: "#\(id)")
            }
            return token
        }
    }

    /// Gives a lab its first webhook secret (creating the lab if no site
    /// named it yet) and returns the secret.
    public func addLab(_ lab: String) async throws -> String {
        if let why = Codes.problem(lab) { throw StoreError.invalid(field: "lab", why: why) }
        let secret = Secrets.newWebhookSecret()
        try await write { db, now in
            try db.cachedStatement(sql: "INSERT INTO lab (id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING").execute( arguments: [lab, now])
            let active = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM lab_secret WHERE lab_id = ? AND (expires_at IS NULL OR expires_at > ?)"),
                arguments: [lab, now])!
            guard active == 0 else {
                throw StoreError.conflict(.labHasSecret(lab: lab))
            }
            try db.cachedStatement(sql: "INSERT INTO lab_secret (lab_id, secret, created_at) VALUES (?, ?, ?)").execute( arguments: [lab, secret, now])
        }
        return secret
    }

    /// Adds a new secret for a lab; the secrets it had stay valid for
    /// `overlap` more seconds so the lab can switch without losing a delivery.
    /// An old secret's expiry is only ever brought forward, never pushed out,
    /// so rotating twice in an overlap does not keep the first secret alive.
    public func rotateLabSecret(_ lab: String, overlap: TimeInterval) async throws -> String {
        guard overlap >= 0, overlap.isFinite else {
            throw StoreError.invalid(field: "overlap", why: "must be zero or more seconds (0 retires the old secret at once)")
        }
        let secret = Secrets.newWebhookSecret()
        let expires = Timestamp.string(clock().addingTimeInterval(overlap))
        try await write { db, now in
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM lab WHERE id = ?"), arguments: [lab]) != nil else {
                throw StoreError.notFound(kind: .lab, code: lab)
            }
            try db.cachedStatement(
                sql: "UPDATE lab_secret SET expires_at = ? WHERE lab_id = ? AND (expires_at IS NULL OR expires_at > ?)").execute(
                arguments: [expires, lab, expires])
            try db.cachedStatement(sql: "INSERT INTO lab_secret (lab_id, secret, created_at) VALUES (?, ?, ?)").execute( arguments: [lab, secret, now])
        }
        return secret
    }

    /// The secrets that may sign a lab's webhook now (several during a rotation).
    public func webhookSecrets(lab: String) async throws -> [String] {
        let now = Timestamp.string(clock())
        return try await read { db in
            try String.fetchAll(
                db.cachedStatement(sql: "SELECT secret FROM lab_secret WHERE lab_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY id DESC"),
                arguments: [lab, now])
        }
    }
}

/// A bearer token, checked: the actor it stands for, or why it is refused.
public enum TokenCheck: Sendable, Equatable {
    case valid(Actor)
    /// No token has this hash (mistyped, forged, or from another install).
    case unknown
    case expired
    case revoked

    /// A stable name for the refusal, used as a metrics label; nil when valid.
    public var failure: String? {
        switch self {
        case .valid: nil
        case .unknown: "unknown_token"
        case .expired: "expired_token"
        case .revoked: "revoked_token"
        }
    }
}

/// What the store knows of a token: never the token itself.
public struct TokenInfo: Sendable, Equatable {
    public var id: Int64
    public var role: String
    public var site: String?
    /// The lab of a lab token.
    public var lab: String?
    public var label: String?
    public var createdAt: String
    public var expiresAt: String?
    public var revokedAt: String?
}
