import Foundation
import GRDB
import SwablineCore

/// The single source of truth, and the one owner of all writes.
///
/// Every method is named by what the domain does (check in, add a sample,
/// apply results), runs in one transaction, and either commits all of its
/// changes or none. Reads run concurrently on WAL readers.
public final class Store: Sendable {
    let pool: DatabasePool
    let clock: @Sendable () -> Date

    /// Opens (creating if needed) the database at `path` and migrates it.
    ///
    /// `synchronous = FULL` is set on the writer after GRDB turns WAL on
    /// (GRDB itself chooses NORMAL there): with FULL, a committed
    /// transaction survives power loss, which is what a 2xx promises (rule 5).
    public init(path: String, clock: @escaping @Sendable () -> Date = Date.init) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        try Schema.migrator.migrate(pool)
        self.clock = clock
    }

    /// The path of the database file.
    public var path: String { pool.path }

    /// The `synchronous` setting of the writer (2 = FULL).
    public func synchronousSetting() throws -> Int {
        try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Runs one write transaction. Domain errors roll it back untouched.
    func write<T: Sendable>(_ body: @Sendable @escaping (Database, String) throws -> T) async throws -> T {
        let now = Timestamp.string(clock())
        return try await pool.write { db in try body(db, now) }
    }

    func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }
}
