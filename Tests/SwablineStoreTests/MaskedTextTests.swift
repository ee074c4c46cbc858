import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

/// Rule 8 for what people type: a reason or a note may hold a phone or ID
/// number, which is stored masked, and a database that already holds such
/// text is masked when it is opened.
@Suite("Numbers typed into reasons and notes are stored masked (rule 8)")
struct MaskedTextTests {
    @Test("a reveal's reason is kept masked in the audit log")
    func revealReason() async throws {
        let f = try await Fixture.make()
        let revealed = try await f.store.revealResident(code: "FFY000001", reason: "called 15363135090, id 310110193307232813", by: f.coordinator)
        #expect(revealed.phone == "15363135090", "the answer itself is the one place the number leaves the store")
        let trail = try await f.store.auditTrail(.resident("FFY000001"), by: f.coordinator)
        #expect(trail.map(\.detail) == ["called 153****5090, id 310***********2813"])
    }

    @Test("a lost tube's reason with a number in groups is masked")
    func groupedNumbers() async throws {
        let f = try await Fixture.make()
        try await f.fill("T1", residents: ["FFY000005"])
        _ = try await f.store.reportTubeLost("T1", reason: "dropped; ring 139 1234 5678 or 153-6313-5090", by: f.staff)
        let trail = try await f.store.auditTrail(.tube("T1"), by: f.coordinator)
        let details = trail.compactMap(\.detail).joined(separator: " | ")
        #expect(details.contains("139 **** 5678") && details.contains("153-****-5090"), "\(details)")
        #expect(!details.contains("1234") && !details.contains("6313"))
    }

    @Test("opening a database written before masking masks what it holds, and the audit log stays append-only")
    func migrationMasksOldRows() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swabline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("old.sqlite").path
        // A database as the release before the masking migration left it, holding a reveal reason as typed.
        do {
            let old = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(old, upTo: "v9: a lab delivery keeps the digest of what it said")
            try await old.write { db in
                try db.execute(sql: """
                    INSERT INTO audit_event (at, actor, action, detail) VALUES
                      ('2022-04-05T10:00:00.000Z', 'coordinator#1', 'revealed', 'called 15363135090, id 310110193307232813'),
                      ('2022-04-05T10:01:00.000Z', 'staff#2@fangfeiyuan', 'checked_in', 'ticket A001')
                    """)
            }
        }
        let store = try Store(path: path)
        let details = try await store.read { try String.fetchAll($0, sql: "SELECT detail FROM audit_event ORDER BY id") }
        #expect(details == ["called 153****5090, id 310***********2813", "ticket A001"])
        try await store.writeDirectly { db in
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE audit_event SET detail = 'x'") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "DELETE FROM audit_event") }
        }
    }
}
