import Foundation
import GRDB
import SwablineCore

/// The single source of truth, and the one owner of all writes.
///
/// Every method is named by what the domain does (check in, add a sample,
/// apply results), runs in one transaction, and either commits all of its
/// changes or none. Reads run concurrently (SQLite's WAL readers, or
/// PostgreSQL snapshots).
public final class Store: Sendable {
    /// The database: on SQLite, a pool of WAL readers and one writer on a
    /// file, or a queue on an in-memory database (`inMemory()`, for tests);
    /// or a PostgreSQL primary that several nodes share.
    let database: StoreDatabase
    let writer: GroupCommitWriter
    let clock: @Sendable () -> Date
    let answerPurge = AnswerPurge()

    /// The most requests committed in one transaction. Past a few hundred a
    /// bigger batch no longer saves fsyncs worth the latency it adds to the
    /// requests at its front (see the writer benchmark).
    public static let defaultMaxBatch = 256

    /// `synchronous = FULL`, set on the writer after GRDB turns WAL on
    /// (GRDB itself chooses NORMAL there): a committed transaction
    /// survives power loss, which is what a 2xx promises (rule 5).
    static let durableWrites = "PRAGMA synchronous = FULL"

    /// `temp_store = MEMORY`, set on the writer once the schema is
    /// migrated. Each request runs in its own savepoint
    /// (`GroupCommitWriter`), whose journal of the pages it changes SQLite
    /// writes to a temporary file past 64 KiB: a lab delivery of 500 tubes
    /// changes far more than that, and those writes were 15 % of its CPU
    /// in issue #18's profile (5 % of its time measured). The journal only
    /// rolls a savepoint back, never serves after a crash. Not before the
    /// migrations: an index built on a city's table sorts through
    /// temporary files, which must not all sit in memory.
    static let savepointJournalInMemory = "PRAGMA temp_store = MEMORY"

    /// The writer's settings, for a benchmark that must write as the store does.
    public static let writerPragmas = [durableWrites, savepointJournalInMemory]

    /// Opens (creating if needed) the database at `path` and migrates it;
    /// the writer connection gets `writerPragmas`.
    public convenience init(path: String, maxBatch: Int = Store.defaultMaxBatch, clock: @escaping @Sendable () -> Date = Date.init) throws {
        let pool = try DatabasePool(path: path, configuration: Self.configuration)
        try pool.writeWithoutTransaction { try $0.execute(sql: Self.durableWrites) }
        try self.init(database: pool, maxBatch: maxBatch, clock: clock)
        try pool.writeWithoutTransaction { try $0.execute(sql: Self.savepointJournalInMemory) }
    }

    /// A store on a private in-memory database: nothing is durable, so it
    /// is for tests that exercise routes and pages, not rule 5.
    public static func inMemory(maxBatch: Int = Store.defaultMaxBatch, clock: @escaping @Sendable () -> Date = Date.init) throws -> Store {
        try Store(database: DatabaseQueue(configuration: configuration), maxBatch: maxBatch, clock: clock)
    }

    init(database: any DatabaseWriter, maxBatch: Int, clock: @escaping @Sendable () -> Date) throws {
        self.database = .sqlite(database)
        try Schema.migrator.migrate(database)
        writer = GroupCommitWriter(database: self.database, maxBatch: maxBatch)
        self.clock = clock
    }

    /// Opens the store where `location` says: a `postgres://` address, or
    /// else an SQLite file's path (created if missing).
    public static func open(_ location: String, clock: @escaping @Sendable () -> Date = Date.init) async throws -> Store {
        if let scheme = location.range(of: "://"), ["postgres", "postgresql"].contains(location[..<scheme.lowerBound].lowercased()) {
            return try await open(postgres: PostgresDatabase.Address(url: location), clock: clock)
        }
        return try Store(path: location, clock: clock)
    }

    /// Opens the store on a PostgreSQL primary (found among the address's
    /// hosts) and brings its schema to this version: one node migrates,
    /// the others wait for it (an advisory lock), so several nodes may
    /// start at once.
    public static func open(
        postgres address: PostgresDatabase.Address, maxBatch: Int = Store.defaultMaxBatch, clock: @escaping @Sendable () -> Date = Date.init
    ) async throws -> Store {
        let database = PostgresDatabase(address: address)
        try await PostgresSchema.migrate(database)
        return Store(postgres: database, maxBatch: maxBatch, clock: clock)
    }

    private init(postgres: PostgresDatabase, maxBatch: Int, clock: @escaping @Sendable () -> Date) {
        database = .postgres(postgres)
        writer = GroupCommitWriter(database: database, maxBatch: maxBatch)
        self.clock = clock
    }

    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        return configuration
    }

    /// The SQLite file's path; nil on PostgreSQL.
    public var path: String? {
        if case .sqlite(let writer) = database { return writer.path }
        return nil
    }

    /// Where the rows live, fit for a log line: the SQLite path, or the
    /// PostgreSQL address without its password.
    public var location: String {
        switch database {
        case .sqlite(let writer): writer.path
        case .postgres(let postgres): postgres.address.redacted
        }
    }

    /// The `synchronous` setting of the SQLite writer (2 = FULL); nil on PostgreSQL.
    public func synchronousSetting() throws -> Int? {
        guard case .sqlite(let writer) = database else { return nil }
        return try writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Runs one request's writes in the group-commit writer. A domain error
    /// rolls back this request alone; its answer waits for the COMMIT. The
    /// answer the task asked to remember (`AnswerToRemember.current`) is
    /// written in the same savepoint, after the request's own writes.
    func write<T: Sendable>(_ body: @Sendable @escaping (SQLSession, String) throws -> T) async throws -> T {
        let date = clock()
        let now = Timestamp.string(date)
        let answer = AnswerToRemember.current
        let purgeBefore = answer == nil ? nil : answerPurge.cutoff(at: date)
        do {
            return try await writer.write { db in
                let value = try body(db, now)
                if let answer { try Self.remember(value, as: answer, db, now: now, purgeBefore: purgeBefore) }
                return value
            }
        } catch {
            throw SQLError.inStoreTerms(error)
        }
    }

    /// How the writer has batched so far.
    public var writerStats: WriterStats { writer.stats }

    /// One transaction of its own, outside the writer's batches: for tests
    /// and maintenance that write rows directly. Domain writes go through
    /// `write`.
    func writeDirectly<T: Sendable>(_ body: @Sendable @escaping (SQLSession) throws -> T) async throws -> T {
        try await database.writeTransaction(body)
    }

    func read<T: Sendable>(_ body: @Sendable @escaping (SQLSession) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch {
            throw SQLError.inStoreTerms(error)
        }
    }

    /// Every row of every table, as text: two equal fingerprints mean
    /// nothing was written in between. For tests that prove a refusal
    /// changed nothing.
    func fingerprint() async throws -> [String: [String]] {
        try await database.read { db in
            var result: [String: [String]] = [:]
            for table in try db.tableNames() {
                result[table] = try SQLRow.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1").map { row in
                    (0..<row.count).map { "\(row.databaseValue(atIndex: $0))" }.joined(separator: "|")
                }
            }
            return result
        }
    }
}
