import Foundation
import GRDB

extension Store {
    /// Copies the whole database to a new file while the service runs
    /// (SQLite's online backup API): writers are not stopped, and the copy
    /// is one consistent moment. The copy is checked before it is reported.
    /// Refuses to overwrite an existing file.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError.conflict(.backupExists(path: path))
        }
        guard case .sqlite(let writer) = database else {
            throw StoreError.invalid(
                field: "database", why: "a PostgreSQL store is backed up with pg_basebackup and WAL archiving (README, \"Running a cluster\")")
        }
        let target = try DatabaseQueue(path: path)
        try writer.backup(to: target)
        try Self.requireIntact(target, path: path)
    }

    /// Restores a backup into `path`, which must not hold a database yet
    /// (restore onto a stopped service's new file, then start it there).
    /// The backup is checked first; a damaged one is refused and nothing is written.
    public static func restore(from backup: String, to path: String) throws {
        guard FileManager.default.fileExists(atPath: backup) else {
            throw StoreError.notFound(kind: .backup, code: backup)
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError.conflict(.databaseExists(path: path))
        }
        var configuration = Configuration()
        configuration.readonly = true
        let source = try DatabaseQueue(path: backup, configuration: configuration)
        try requireIntact(source, path: backup)
        guard try source.read({ try $0.tableExists("grdb_migrations") && $0.tableExists("resident") }) else {
            throw StoreError.invalid(field: "backup", why: "is an SQLite file but not a Swabline database")
        }
        let target = try DatabaseQueue(path: path)
        try source.backup(to: target)
    }

    static func requireIntact(_ database: some DatabaseReader, path: String) throws {
        let check = try database.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        guard check == ["ok"] else {
            throw StoreError.invalid(field: "backup", why: "\(path) fails SQLite's integrity check: \(check.prefix(3).joined(separator: "; "))")
        }
    }
}
