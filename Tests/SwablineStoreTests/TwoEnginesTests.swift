import Foundation
import GRDB
import SwablineTestSupport
import Testing
@testable import SwablineStore

@Suite("One SQL for SQLite and PostgreSQL")
struct TwoEnginesTests {
    @Test("? placeholders become $1, $2 … in order; quoted text, quoted names and comments keep theirs")
    func positional() {
        let translated = PlaceholderSQL.translate("""
            SELECT '?', "a?b", x -- what? it's a comment
            FROM t /* and? this */ WHERE a = ? AND b IN (?, ?)
            """)
        #expect(translated.sql == """
            SELECT '?', "a?b", x -- what? it's a comment
            FROM t /* and? this */ WHERE a = $1 AND b IN ($2, $3)
            """)
        #expect(translated.names.isEmpty)
    }

    @Test(":name placeholders become one number each, however often they appear; casts, times and a bare colon stay")
    func named() throws {
        let translated = PlaceholderSQL.translate(
            "SELECT CAST(x AS TEXT)::text, '10:30' FROM t WHERE a = :site AND (b = :round OR c = :site) AND d = ': '")
        #expect(translated.sql == "SELECT CAST(x AS TEXT)::text, '10:30' FROM t WHERE a = $1 AND (b = $2 OR c = $1) AND d = ': '")
        #expect(translated.names == ["site", "round"])
        let arguments: SQLArguments = ["round": 7, "site": "fangfeiyuan", "unused": 1]
        #expect(try arguments.positional(names: translated.names, sql: translated.sql) == ["fangfeiyuan".databaseValue, 7.databaseValue])
    }

    @Test("a PostgreSQL address lists its hosts in order, and a bad one is refused with a sentence")
    func addresses() throws {
        let address = try PostgresDatabase.Address(url: "postgres://swabline:s%40cret@db1:5433,db2/swabline?schema=district_7")
        #expect(address.hosts.map { "\($0.host):\($0.port)" } == ["db1:5433", "db2:5432"])
        #expect(address.username == "swabline" && address.password == "s@cret" && address.schema == "district_7")
        #expect(!address.redacted.contains("cret"))
        for bad in ["mysql://u@h/d", "postgres://h/d", "postgres://@h/d", "postgres://:pw@h/d", "postgres://u@h", "postgres://u@h:99999/d",
                    "postgres://u@h/d?schema=Bad-Name", "postgres://u@h/d?sslmode=disable"] {
            #expect(throws: PostgresDatabase.AddressError.self, "\(bad)") { try PostgresDatabase.Address(url: bad) }
        }
    }

    @Test("the PostgreSQL schema has the SQLite schema's tables and columns, in order", .enabled(if: TestDatabase.onPostgres))
    func schemasAgree() async throws {
        let sqlite = try DatabaseQueue()
        try Schema.migrator.migrate(sqlite)
        let expected = try await sqlite.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
                .sorted().map { table in
                    "\(table): " + (try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }).joined(separator: ", ")
                }
        }
        let f = try await Fixture.make()
        let found = try await f.store.read { db in
            try db.tableNames().filter { $0 != "swabline_schema" }.map { table in
                "\(table): " + (try String.fetchAll(
                    db, sql: "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                    arguments: [table])).joined(separator: ", ")
            }
        }
        #expect(found == expected)
    }

    @Test("too few or too many values for a statement are refused, a column is found by name, and text is never read as a number, on either engine")
    func valuesAndColumns() async throws {
        let f = try await Fixture.make()
        let sum = "SELECT CAST(? AS INTEGER) + CAST(? AS INTEGER)"
        // One read each: PostgreSQL ends a transaction at its first error.
        #expect(try await f.store.read { try Int64.fetchOne($0, sql: sum, arguments: [1, 2]) } == 3)
        await #expect(throws: SQLError.self) { try await f.store.read { try Int64.fetchOne($0, sql: sum, arguments: [1]) } }
        await #expect(throws: SQLError.self) { try await f.store.read { try Int64.fetchOne($0, sql: sum, arguments: [1, 2, 3]) } }
        await #expect(throws: SQLError.self) { try await f.store.read { try Int64.fetchOne($0, sql: "SELECT 'twelve'") } }
        // Text is bound as its bytes: an empty one is '' (not NULL), and Chinese comes back whole.
        let joined = "SELECT CAST(? AS TEXT) || '|' || CAST(? AS TEXT)"
        #expect(try await f.store.read { try String.fetchOne($0, sql: joined, arguments: ["", "芳菲苑 1-2-401"]) } == "|芳菲苑 1-2-401")
        // Placeholders left without values: refused alike, not sent as a bare `?` or bound NULL by PostgreSQL.
        await #expect(throws: SQLError.self) { try await f.store.read { try Int64.fetchOne($0, sql: sum) } }
        let named = "SELECT CAST(:a AS INTEGER) + CAST(:b AS INTEGER)"
        #expect(try await f.store.read { try Int64.fetchOne($0, sql: named, arguments: ["a": 1, "b": 2]) } == 3)
        await #expect(throws: SQLError.self) { try await f.store.read { try Int64.fetchOne($0, sql: named, arguments: ["a": 1]) } }
        try await f.store.read { db in
            let row = try #require(try SQLRow.fetchOne(db, sql: "SELECT 1 AS a, 2 AS b, 'x' AS c"))
            #expect(try row.decode(Int64.self, forColumn: "a") == 1)
            #expect(try row.decode(Int64.self, forColumn: "B") == 2)
            #expect(try row.decode(String?.self, forColumn: "missing") == nil)
            #expect(throws: SQLError.self) { try row.decode(Int64.self, forColumn: "missing") }
            #expect(throws: SQLError.self) { try row.decode(Int64.self, forColumn: "c") }
        }
    }

    @Test("an SQLite statement whose step failed is refused again, not fatal, when it is run again", .disabled(if: TestDatabase.onPostgres))
    func failedStatementRunsAgain() async throws {
        let f = try await Fixture.make()
        // SQLite answers the first reset after a failed step with that failure; GRDB's reset would take it as fatal.
        try await f.store.writeDirectly { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO household (site_id, key, building, unit, room) VALUES (?, ?, ?, ?, ?)")
            for _ in 0..<2 {
                #expect(throws: DatabaseError.self) { try statement.execute(arguments: ["no-such-site", "1-1-101", "1", "1", "101"]) }
            }
        }
    }
}
