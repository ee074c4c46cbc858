import ArgumentParser
import SwablineStore

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database to a new file while the service keeps running (SQLite online backup), and check the copy.")

    @Argument(help: "The backup file to write; it must not exist yet.")
    var file: String

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await explainingRefusals { try await store.openStore().backup(to: file) }
        print("backed up \(store.databasePath) to \(file) (integrity check: ok)")
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a backup into a new database file; then start the service with --db pointing at it.")

    @Argument(help: "The backup file made by `swabline backup`.")
    var file: String

    @OptionGroup var store: StoreOptions

    func run() async throws {
        guard !store.isPostgres else {
            throw ValidationError("restore writes an SQLite file; a PostgreSQL store is restored with PostgreSQL's own tools (pg_basebackup, PITR)")
        }
        try await explainingRefusals { try Store.restore(from: file, to: store.databasePath) }
        print("restored \(file) into \(store.databasePath); start with: swabline serve --db \(store.databasePath)")
    }
}
