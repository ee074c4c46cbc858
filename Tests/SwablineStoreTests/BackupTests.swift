import Foundation
import GRDB
import SwablineCore
@testable import SwablineStore
import SwablineTestSupport
import Testing

@Suite("Online backup and restore (SQLite; PostgreSQL is backed up with its own tools)", .enabled(if: !TestDatabase.onPostgres))
struct BackupTests {
    @Test("a backup taken while check-ins stream in is intact and restores to a working store")
    func backupWhileWriting() async throws {
        let f = try await Fixture.make()
        let codes = try await f.store.read { db in
            try String.fetchAll(db, sql: "SELECT code FROM resident WHERE site_id = ? ORDER BY code", arguments: [Fixture.site])
        }
        let backup = f.directory.appendingPathComponent("backup.sqlite").path
        // Check-ins keep arriving while the backup runs.
        let writing = Task {
            var acknowledged = 0
            for code in codes.prefix(60) {
                _ = try await f.store.checkIn(site: Fixture.site, code: code, walkIn: nil, priority: false, by: f.staff)
                acknowledged += 1
            }
            return acknowledged
        }
        try await Task.sleep(for: .milliseconds(20))
        try f.store.backup(to: backup)
        #expect(try await writing.value == 60)

        let restored = f.directory.appendingPathComponent("restored.sqlite").path
        try Store.restore(from: backup, to: restored)
        let store = try Store(path: restored)
        let tickets = try await store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ticket")! }
        #expect((0...60).contains(tickets))
        // The restored store carries on where the backup stood.
        let next = codes[tickets]
        let result = try await store.checkIn(
            site: Fixture.site, code: next, walkIn: nil, priority: false, by: try await store.actor(forToken: store.createToken(role: .staff, site: Fixture.site, label: nil).token)!)
        #expect(result.ticket.number == tickets + 1)

        // A later backup after the writes finished equals the store row for row.
        let second = f.directory.appendingPathComponent("backup2.sqlite").path
        try f.store.backup(to: second)
        let again = f.directory.appendingPathComponent("restored2.sqlite").path
        try Store.restore(from: second, to: again)
        #expect(try await Store(path: again).fingerprint() == (try await f.store.fingerprint()))
    }

    @Test("backup and restore refuse to overwrite, and refuse a damaged or foreign file")
    func refusals() async throws {
        let f = try await Fixture.make()
        let existing = f.directory.appendingPathComponent("test.sqlite").path
        #expect(throws: StoreError.self) { try f.store.backup(to: existing) }
        let backup = f.directory.appendingPathComponent("b.sqlite").path
        try f.store.backup(to: backup)
        #expect(throws: StoreError.self) { try Store.restore(from: backup, to: existing) }
        #expect(throws: StoreError.notFound(kind: .backup, code: "/nonexistent/b.sqlite")) {
            try Store.restore(from: "/nonexistent/b.sqlite", to: f.directory.appendingPathComponent("x.sqlite").path)
        }
        let foreign = f.directory.appendingPathComponent("foreign.sqlite").path
        let foreignQueue = try DatabaseQueue(path: foreign)
        try foreignQueue.inDatabase { try $0.execute(sql: "CREATE TABLE t (x)") }
        let target = f.directory.appendingPathComponent("y.sqlite").path
        #expect(throws: StoreError.self) { try Store.restore(from: foreign, to: target) }
        let garbage = f.directory.appendingPathComponent("garbage.sqlite").path
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: (any Error).self) { try Store.restore(from: garbage, to: target) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
