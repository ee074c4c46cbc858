import Foundation
import GRDB
import Logging
import Testing
@testable import SwablineServer
@testable import SwablineStore

@Suite("Starting up")
struct StartupTests {
    @Test("an unchanged sites folder is not read again; a changed one is imported")
    func skipsUnchangedSites() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("startup-\(UUID().uuidString)")
        let sites = root.appendingPathComponent("sites")
        try FileManager.default.createDirectory(at: sites, withIntermediateDirectories: true)
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        try FileManager.default.copyItem(at: repository.appendingPathComponent("sites/芳菲苑"), to: sites.appendingPathComponent("芳菲苑"))
        let configuration = ServerConfiguration(databasePath: root.appendingPathComponent("db.sqlite").path, sitesPath: sites.path)
        func name() async throws -> String? {
            let store = try Store(path: configuration.databasePath)
            return try await store.read { try String.fetchOne($0, sql: "SELECT name FROM resident WHERE code = 'FFY000001'") }
        }
        _ = try await prepareStore(configuration, logger: Logger(label: "test"))
        let original = try await name()
        #expect(original != nil)
        // Someone corrects the name in the database; an unchanged folder leaves it alone.
        try await Store(path: configuration.databasePath).writeDirectly {
            try $0.execute(sql: "UPDATE resident SET name = 'changed' WHERE code = 'FFY000001'")
        }
        _ = try await prepareStore(configuration, logger: Logger(label: "test"))
        #expect(try await name() == "changed")
        // A roster file that changed is imported again.
        let roster = sites.appendingPathComponent("芳菲苑/roster.csv")
        try (try String(contentsOf: roster, encoding: .utf8) + "\n").write(to: roster, atomically: true, encoding: .utf8)
        _ = try await prepareStore(configuration, logger: Logger(label: "test"))
        #expect(try await name() == original)
    }
}
