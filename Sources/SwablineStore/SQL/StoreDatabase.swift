import GRDB

/// Where the store's rows live: an SQLite file (the embedded default, one
/// node) or a PostgreSQL primary shared by several nodes.
///
/// Only two things differ by engine for the store's methods, and both are
/// here: how one transaction runs, and how a read sees one consistent
/// snapshot. On SQLite the one writer makes every transaction serial by
/// construction; on PostgreSQL several nodes' writers take turns (a table
/// lock held by each batch), and the transactions run SERIALIZABLE, run
/// again when PostgreSQL still finds a clash, which gives the same outcome
/// as one writer (DESIGN.md "Several nodes keep the one-writer rules").
enum StoreDatabase: Sendable {
    case sqlite(any DatabaseWriter)
    case postgres(PostgresDatabase)

    /// Runs `body` in one write transaction and commits it.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        switch self {
        case .sqlite(let writer):
            return try await writer.writeWithoutTransaction { db in
                var value: T?
                try db.inTransaction(.immediate) {
                    value = try body(SQLSession(.sqlite(db)))
                    return .commit
                }
                return value!
            }
        case .postgres(let database):
            return try await database.transaction("BEGIN ISOLATION LEVEL SERIALIZABLE", writer: true) { session in
                // The writers' turn: one node's batch at a time, as SQLite's one writer. The
                // lock comes before the first query, so the snapshot is taken after the
                // previous batch committed and SERIALIZABLE has nothing left to refuse;
                // without it, several nodes' batches on the same sites kept colliding and
                // running again, and under load the retries starved every node.
                try session.execute(sql: "LOCK TABLE swabline_schema IN EXCLUSIVE MODE")
                return try body(session)
            }
        }
    }

    /// Runs `body` on one consistent snapshot, writing nothing.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        switch self {
        case .sqlite(let writer):
            return try await writer.read { db in try body(SQLSession(.sqlite(db))) }
        case .postgres(let database):
            return try await database.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", attempts: 1, body)
        }
    }
}
