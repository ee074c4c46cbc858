extension PostgresSchema {
    /// The advisory lock the migrating node holds: "swab" in ASCII, and the
    /// store's schema (its name hashed), so nodes starting together on one
    /// store run its schema once, the others wait and then find it in
    /// place, while stores in other schemas of the database (the tests'
    /// one per test) do not wait for each other.
    static let migrationLock: Int64 = 0x7377_6162

    /// Creates the schema on an empty database, or checks that the one in
    /// place is this version's. A database from a newer Swabline is
    /// refused rather than written with older rules, and so is a database
    /// whose text does not sort by bytes (codes and times would list in
    /// another order than on SQLite).
    ///
    /// All of it is one transaction holding a transaction-level advisory
    /// lock, so a node that dies midway leaves neither a half schema nor a
    /// held lock, and a node waits at most a minute for another's.
    static func migrate(_ database: PostgresDatabase) async throws {
        try await database.transaction("BEGIN", attempts: 1) { db in
            try db.execute(sql: "SET LOCAL lock_timeout = '60s'")
            try db.execute(sql: "SELECT pg_advisory_xact_lock(CAST(? AS INTEGER), hashtext(current_schema()))", arguments: [migrationLock])
            let collation = try String.fetchOne(db, sql: "SELECT datcollate FROM pg_database WHERE datname = current_database()") ?? ""
            guard ["C", "POSIX"].contains(collation) else {
                throw SQLError.database(
                    "the database's collation is \(collation), not C: create it with `createdb -l C -T template0` so codes and times sort as on SQLite")
            }
            if try Bool.fetchOne(db, sql: "SELECT to_regclass('swabline_schema') IS NOT NULL") == true {
                let found = try Int.fetchOne(db, sql: "SELECT max(version) FROM swabline_schema") ?? 0
                guard found == version else {
                    throw SQLError.database(
                        "the database's schema is version \(found) and this Swabline's is \(version): "
                            + (found > version ? "run the newer Swabline" : "no upgrade path from it is known"))
                }
                return
            }
            for statement in statements { try db.execute(sql: statement) }
        }
    }
}
