import GRDB

/// One connection to the store's database, inside the writer's transaction
/// or a read: SQLite through GRDB, or PostgreSQL (`PostgresSession`).
///
/// The store's methods are written once against this, so the rules are
/// orchestrated once whichever engine holds the rows: the same SQL (`?`
/// placeholders, in the subset both engines read alike, DESIGN.md "Two
/// engines, one SQL"), the same bound values (`SQLArguments`) and the same
/// records (`RowDecodable`). Everything that differs per engine is in this
/// folder.
final class SQLSession {
    enum Engine {
        case sqlite(Database)
        case postgres(PostgresSession)
    }

    let engine: Engine
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    private(set) var changesCount = 0

    init(_ engine: Engine) { self.engine = engine }

    /// The statement for `sql`; on SQLite, prepared once per connection and
    /// reused, as GRDB's `cachedStatement` does.
    func cachedStatement(sql: String) throws -> SQLStatement {
        switch engine {
        case .sqlite(let db): SQLStatement(session: self, sql: sql, sqlite: try db.cachedStatement(sql: sql))
        case .postgres: SQLStatement(session: self, sql: sql, sqlite: nil)
        }
    }

    /// Runs `sql` once (DDL, or a statement built for one call).
    func execute(sql: String, arguments: SQLArguments = []) throws {
        switch engine {
        case .sqlite(let db):
            try db.execute(sql: sql, arguments: arguments.statementArguments)
            changesCount = db.changesCount
        case .postgres(let pg):
            changesCount = try pg.run(sql, arguments)
        }
    }

    /// The store's tables (on PostgreSQL `swabline_schema` among them; on
    /// SQLite neither SQLite's nor GRDB's own), for tests and tools that
    /// look at every row.
    func tableNames() throws -> [String] {
        switch engine {
        case .sqlite:
            try String.fetchAll(
                self, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
        case .postgres:
            try String.fetchAll(
                self, sql: """
                    SELECT table_name FROM information_schema.tables
                    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name
                    """)
        }
    }

    /// Calls `each` with every row of the result, in order. An SQLite row
    /// is valid only during the call.
    fileprivate func forEachRow(_ statement: SQLStatement, _ arguments: SQLArguments, _ each: (SQLRow) throws -> Bool) throws {
        switch engine {
        case .sqlite:
            let cursor = try Row.fetchCursor(statement.sqlite!, arguments: arguments.statementArguments)
            while let row = try cursor.next() {
                if try !each(SQLRow(sqlite: row)) { break }
            }
        case .postgres(let pg):
            for row in try pg.rows(statement.sql, arguments) where try !each(row) { break }
        }
    }

    fileprivate func execute(_ statement: SQLStatement, _ arguments: SQLArguments) throws {
        switch engine {
        case .sqlite(let db):
            try statement.sqlite!.execute(arguments: arguments.statementArguments)
            changesCount = db.changesCount
        case .postgres(let pg):
            changesCount = try pg.run(statement.sql, arguments)
        }
    }
}

/// A statement of the store's SQL, ready to run with arguments.
struct SQLStatement {
    fileprivate let session: SQLSession
    let sql: String
    fileprivate let sqlite: Statement?

    fileprivate init(session: SQLSession, sql: String, sqlite: Statement?) {
        self.session = session
        self.sql = sql
        self.sqlite = sqlite
    }

    func execute(arguments: SQLArguments = []) throws { try session.execute(self, arguments) }

    func forEachRow(arguments: SQLArguments = [], _ each: (SQLRow) throws -> Bool) throws {
        try session.forEachRow(self, arguments, each)
    }
}

// Fetching, as GRDB spells it (`Int.fetchOne(statement, arguments:)`), so
// a call site reads the same on either engine.

extension RowDecodable {
    static func fetchAll(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> [Self] {
        var all: [Self] = []
        try statement.forEachRow(arguments: arguments) { all.append(try Self(row: $0)); return true }
        return all
    }

    static func fetchOne(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> Self? {
        var first: Self?
        try statement.forEachRow(arguments: arguments) { first = try Self(row: $0); return false }
        return first
    }

    static func fetchAll(_ db: SQLSession, sql: String, arguments: SQLArguments = []) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchOne(_ db: SQLSession, sql: String, arguments: SQLArguments = []) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension SQLRow: RowDecodable {
    init(row: SQLRow) throws { self = row.copy() }
}

extension DatabaseValueConvertible {
    /// The first column of every row.
    static func fetchAll(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> [Self] {
        var all: [Self] = []
        try statement.forEachRow(arguments: arguments) { all.append(try $0.decode(Self.self, atIndex: 0)); return true }
        return all
    }

    /// The first column of the first row; nil when there is no row or it holds NULL.
    static func fetchOne(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> Self? {
        var first: Self?
        try statement.forEachRow(arguments: arguments) { first = try $0.decode(Self?.self, atIndex: 0); return false }
        return first
    }

    static func fetchAll(_ db: SQLSession, sql: String, arguments: SQLArguments = []) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchOne(_ db: SQLSession, sql: String, arguments: SQLArguments = []) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchSet(_ statement: SQLStatement, arguments: SQLArguments = []) throws -> Set<Self> where Self: Hashable {
        Set(try fetchAll(statement, arguments: arguments))
    }
}
