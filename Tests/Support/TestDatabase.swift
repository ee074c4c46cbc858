import Foundation
import SwablineStore

/// Where a test's store lives: an SQLite file in the test's own folder, or,
/// when the run names a PostgreSQL server (`SWABLINE_TEST_POSTGRES`, set by
/// `scripts/test` for its second pass), a fresh schema of its own on that
/// server. One server serves the whole run; a schema per store keeps tests
/// apart at the cost of a `CREATE SCHEMA`.
public enum TestDatabase {
    /// The PostgreSQL server of this run, if any: `postgres://USER@HOST:PORT/DATABASE`.
    public static let postgresServer: String? = ProcessInfo.processInfo.environment["SWABLINE_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// Whether this run's stores are on PostgreSQL.
    public static var onPostgres: Bool { postgresServer != nil }

    /// A new, empty store location: `directory/name` on SQLite, or a new
    /// schema's address on PostgreSQL.
    public static func location(in directory: URL, name: String) async throws -> String {
        guard let server = postgresServer else { return directory.appendingPathComponent(name).path }
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresDatabase(address: try PostgresDatabase.Address(url: server)).createSchema(named: schema)
        return server + "?schema=" + schema
    }

    /// A new store, as `location(in:name:)` places it.
    public static func store(in directory: URL, name: String = "test.sqlite", clock: @escaping @Sendable () -> Date = Date.init) async throws -> Store {
        try await Store.open(try await location(in: directory, name: name), clock: clock)
    }
}
