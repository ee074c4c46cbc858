import GRDB

/// Where the store's rows live: an SQLite file (the embedded default, one
/// node) or a PostgreSQL primary shared by several nodes.
///
/// Only two things differ by engine for the store's methods, and both are
/// here: how one transaction runs, and how a read sees one consistent
/// snapshot. On SQLite the one writer makes every transaction serial by
/// construction; on PostgreSQL several nodes write at once, so the writer's
/// transactions run SERIALIZABLE and are run again when PostgreSQL says
/// another node's transaction got in their way, which gives the same
/// outcome as one writer (DESIGN.md "The cluster").
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
            return try await database.transaction("BEGIN ISOLATION LEVEL SERIALIZABLE", writer: true, body)
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
