import Foundation
import GRDB
import Synchronization

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

/// An answer to remember in the same transaction as the write it answers:
/// set (as a task-local, `AnswerToRemember.current`) by whoever answers a
/// request that carried an `Idempotency-Key`, read by `Store.write` when the
/// request's write is queued. If the server dies after the COMMIT, a retry
/// finds the answer; before it, neither the write nor the answer is there.
public struct AnswerToRemember: Sendable {
    public var scope: String
    public var key: String
    /// Turns the write's result into the answer the caller will get, or nil
    /// when this write's result is not the request's answer (another write
    /// of the same request, a result of another type).
    public var render: @Sendable (any Sendable) throws -> RememberedAnswer?

    public init(scope: String, key: String, render: @escaping @Sendable (any Sendable) throws -> RememberedAnswer?) {
        self.scope = scope
        self.key = key
        self.render = render
    }

    /// The answer the current task's writes should remember, if any.
    @TaskLocal public static var current: AnswerToRemember?
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
        try await write { db, now in
            try Self.store(answer, scope: scope, key: key, replacing: replacing, db, now: now, purgeBefore: cutoff)
        }
    }

    /// Inside a write: remembers `value`'s answer if it is the one the
    /// current task asked for (`AnswerToRemember`). The first answer stays
    /// (a PostgreSQL batch run again renders it again; its earlier run was
    /// rolled back). Keys past the retention are dropped here at most every
    /// ten minutes (`purgeBefore`): once per request would be a statement
    /// per check-in.
    static func remember(_ value: any Sendable, as wanted: AnswerToRemember, _ db: SQLSession, now: String, purgeBefore: String?) throws {
        guard let answer = try wanted.render(value) else { return }
        try store(answer, scope: wanted.scope, key: wanted.key, replacing: false, db, now: now, purgeBefore: purgeBefore)
    }

    /// The one INSERT of an answer, and the drop of keys older than `purgeBefore`.
    private static func store(
        _ answer: RememberedAnswer, scope: String, key: String, replacing: Bool, _ db: SQLSession, now: String, purgeBefore: String?
    ) throws {
        let onConflict = replacing
            ? """
            UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status, content_type = excluded.content_type,
              body = excluded.body, created_at = excluded.created_at
            """
            : "NOTHING"
        try db.cachedStatement(sql: """
            INSERT INTO idempotency_key (scope, key, fingerprint, status, content_type, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO \(onConflict)
            """).execute(arguments: [scope, key, answer.fingerprint, answer.status, answer.contentType, answer.body, now])
        if let purgeBefore {
            try db.cachedStatement(sql: "DELETE FROM idempotency_key WHERE created_at < ?").execute(arguments: [purgeBefore])
        }
    }
}

/// When answers remembered in a batch last dropped the keys past the retention.
final class AnswerPurge: Sendable {
    private let last = Mutex(Date.distantPast)

    /// The cutoff to drop keys before, once every ten minutes; nil between.
    func cutoff(at now: Date) -> String? {
        last.withLock { last in
            guard now.timeIntervalSince(last) >= 600 else { return nil }
            last = now
            return Timestamp.string(now.addingTimeInterval(-Store.idempotencyRetention))
        }
    }
}
