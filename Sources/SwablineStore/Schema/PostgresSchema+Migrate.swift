extension PostgresSchema {
    /// The advisory lock key the migrating node holds ("swab" in ASCII):
    /// nodes starting together run the schema once, the others wait and
    /// then find it in place.
    static let migrationLock: Int64 = 0x7377_6162

    /// Creates the schema on an empty database, or checks that the one in
    /// place is this version's. A database from a newer Swabline is
    /// refused rather than written with older rules.
    static func migrate(_ database: PostgresDatabase) async throws {
        try await database.withSession { db in
            try db.execute(sql: "SELECT pg_advisory_lock(?)", arguments: [migrationLock])
            defer { try? db.execute(sql: "SELECT pg_advisory_unlock(?)", arguments: [migrationLock]) }
            if try Bool.fetchOne(db, sql: "SELECT to_regclass('swabline_schema') IS NOT NULL") == true {
                let found = try Int.fetchOne(db, sql: "SELECT max(version) FROM swabline_schema") ?? 0
                guard found == version else {
                    throw SQLError.database(
                        "the database's schema is version \(found) and this Swabline's is \(version): "
                            + (found > version ? "run the newer Swabline" : "no upgrade path from it is known"))
                }
                return
            }
            try db.execute(sql: "BEGIN")
            do {
                for statement in statements { try db.execute(sql: statement) }
                try db.execute(sql: "COMMIT")
            } catch {
                try? db.execute(sql: "ROLLBACK")
                throw error
            }
        }
    }
}
