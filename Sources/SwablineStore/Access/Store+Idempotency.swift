import Foundation
import GRDB

/// The first answer to a POST that carried an `Idempotency-Key`.
public struct RememberedAnswer: Sendable, Equatable {
    /// A digest of the method, path and body the key was first used with.
    public var fingerprint: String
    public var status: Int
    public var contentType: String
    public var body: Data

    public init(fingerprint: String, status: Int, contentType: String, body: Data) {
        self.fingerprint = fingerprint
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

extension Store {
    /// How long a key is kept: at least a day, so a phone that comes back
    /// online the next morning still gets its answer; then it is forgotten.
    public static let idempotencyRetention: TimeInterval = 48 * 3600

    /// The answer remembered for `key` of this caller, if any; with
    /// `within`, only one remembered that recently.
    public func rememberedAnswer(scope: String, key: String, within: TimeInterval? = nil) async throws -> RememberedAnswer? {
        let since = within.map { Timestamp.string(clock().addingTimeInterval(-$0)) } ?? ""
        return try await read { db in
            try IdempotencyRecord.fetchOne(
                db.cachedStatement(sql: """
                    SELECT fingerprint, status, content_type, body FROM idempotency_key WHERE scope = ? AND key = ? AND created_at >= ?
                    """),
                arguments: [scope, key, since]
            )?.answer
        }
    }

    /// Remembers the first answer for `key`; a key already remembered keeps
    /// its first answer, unless `replacing` (an answer too old to replay was
    /// answered again). Keys older than the retention are dropped here, so
    /// the table stays the size of two days of POSTs.
    public func rememberAnswer(scope: String, key: String, _ answer: RememberedAnswer, replacing: Bool = false) async throws {
        let cutoff = Timestamp.string(clock().addingTimeInterval(-Self.idempotencyRetention))
        let onConflict = replacing
            ? """
            UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status, content_type = excluded.content_type,
              body = excluded.body, created_at = excluded.created_at
            """
            : "NOTHING"
        try await write { db, now in
            try db.cachedStatement(sql: """
                INSERT INTO idempotency_key (scope, key, fingerprint, status, content_type, body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO \(onConflict)
                """).execute(arguments: [scope, key, answer.fingerprint, answer.status, answer.contentType, answer.body, now])
            try db.cachedStatement(sql: "DELETE FROM idempotency_key WHERE created_at < ?").execute(arguments: [cutoff])
        }
    }
}
