import Foundation
import GRDB
import SwablineCore

/// The single source of truth, and the one owner of all writes.
///
/// Every method is named by what the domain does (check in, add a sample,
/// apply results), runs in one transaction, and either commits all of its
/// changes or none. Reads run concurrently on WAL readers.
public final class Store: Sendable {
    /// The database: a pool of WAL readers and one writer on a file, or a
    /// queue on an in-memory database (`init(inMemory:)`, for tests).
    let pool: any DatabaseWriter
    let writer: GroupCommitWriter
    let clock: @Sendable () -> Date

    /// The most requests committed in one transaction. Past a few hundred a
    /// bigger batch no longer saves fsyncs worth the latency it adds to the
    /// requests at its front (see the writer benchmark).
    public static let defaultMaxBatch = 256

    /// Opens (creating if needed) the database at `path` and migrates it.
    ///
    /// `synchronous = FULL` is set on the writer after GRDB turns WAL on
    /// (GRDB itself chooses NORMAL there): with FULL, a committed
    /// transaction survives power loss, which is what a 2xx promises (rule 5).
    public convenience init(path: String, maxBatch: Int = Store.defaultMaxBatch, clock: @escaping @Sendable () -> Date = Date.init) throws {
        let pool = try DatabasePool(path: path, configuration: Self.configuration)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        try self.init(database: pool, maxBatch: maxBatch, clock: clock)
    }

    /// A store on a private in-memory database: nothing is durable, so it
    /// is for tests that exercise routes and pages, not rule 5.
    public static func inMemory(maxBatch: Int = Store.defaultMaxBatch, clock: @escaping @Sendable () -> Date = Date.init) throws -> Store {
        try Store(database: DatabaseQueue(configuration: configuration), maxBatch: maxBatch, clock: clock)
    }

    init(database: any DatabaseWriter, maxBatch: Int, clock: @escaping @Sendable () -> Date) throws {
        pool = database
        try Schema.migrator.migrate(database)
        writer = GroupCommitWriter(pool: database, maxBatch: maxBatch)
        self.clock = clock
    }

    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        return configuration
    }

    /// The path of the database file.
    public var path: String { pool.path }

    /// The `synchronous` setting of the writer (2 = FULL).
    public func synchronousSetting() throws -> Int {
        try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Runs one request's writes in the group-commit writer. A domain error
    /// rolls back this request alone; its answer waits for the COMMIT.
    func write<T: Sendable>(_ body: @Sendable @escaping (Database, String) throws -> T) async throws -> T {
        let now = Timestamp.string(clock())
        do {
            return try await writer.write { db in try body(db, now) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            // The schema's own guard (a UNIQUE index) caught what the checks before it did not.
            throw StoreError.conflict(.clashesWithRecord)
        }
    }

    /// How the writer has batched so far.
    public var writerStats: WriterStats { writer.stats }

    func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    /// Every row of every table, as text: two equal fingerprints mean
    /// nothing was written in between. For tests that prove a refusal
    /// changed nothing.
    func fingerprint() async throws -> [String: [String]] {
        try await pool.read { db in
            var result: [String: [String]] = [:]
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
            for table in tables {
                result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map(\.description)
            }
            return result
        }
    }
}
