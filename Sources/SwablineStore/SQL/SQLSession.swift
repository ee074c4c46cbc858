import GRDB
import GRDBSQLite

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
    /// Each SQLite statement's columns, found once per transaction. The
    /// statement is held with them, so its identifier cannot be reused.
    private var columnsOf: [ObjectIdentifier: (statement: Statement, columns: SQLColumns)] = [:]

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
            let sqlite = statement.sqlite!
            try bind(arguments, to: sqlite)
            let rows = SQLiteRows(sqlite, columns: columns(of: sqlite))
            while let row = try rows.next(), try each(row) {}
        case .postgres(let pg):
            for row in try pg.rows(statement.sql, arguments) where try !each(row) { break }
        }
    }

    fileprivate func execute(_ statement: SQLStatement, _ arguments: SQLArguments) throws {
        switch engine {
        case .sqlite(let db):
            let sqlite = statement.sqlite!
            try bind(arguments, to: sqlite)
            try sqlite.execute()
            changesCount = db.changesCount
        case .postgres(let pg):
            changesCount = try pg.run(statement.sql, arguments)
        }
    }

    /// Binds positional arguments straight to the SQLite statement, as
    /// the `DatabaseValue`s they already are. GRDB's own path copies them
    /// into `StatementArguments` through existentials and checks them
    /// again, unspecialized across the module boundary: a quarter of a lab
    /// delivery's CPU in issue #18's profile. The count is still checked,
    /// as `PostgresSession` checks it. Named arguments take GRDB's path.
    private func bind(_ arguments: SQLArguments, to statement: Statement) throws {
        let sqlite = statement.sqliteStatement
        // A statement whose last step failed answers its first reset with
        // that failure, which GRDB's resets below would raise again (its
        // `setUncheckedArguments` as fatal; that is why GRDB drops a failed
        // statement from its cache): reset it here first, and the error,
        // already thrown once, is not raised again.
        sqlite3_reset(sqlite)
        guard arguments.named.isEmpty else {
            // Checked here as PostgreSQL's side checks it (`SQLArguments.positional`), so both refuse alike.
            for index in stride(from: 1, through: sqlite3_bind_parameter_count(sqlite), by: 1) {
                guard let cName = sqlite3_bind_parameter_name(sqlite, index) else { continue }
                let name = String(String(cString: cName).dropFirst())
                guard arguments.named[name] != nil else { throw SQLError.missingArgument(name: name, sql: statement.sql) }
            }
            try statement.setArguments(arguments.statementArguments)
            return
        }
        let expected = Int(sqlite3_bind_parameter_count(sqlite))
        guard arguments.values.count == expected else {
            throw SQLError.argumentCount(given: arguments.values.count, expected: expected, sql: statement.sql)
        }
        // Resets the statement and clears its bindings; GRDB then takes
        // the ones bound here as the statement's, and steps with them.
        statement.setUncheckedArguments(StatementArguments())
        for (index, value) in arguments.values.enumerated() {
            let code: CInt
            if case .string(var text) = value.storage {
                // Text by its UTF-8 bytes and length: GRDB's binding hands SQLite a C string, which
                // for a short string (a tube or resident code) is a fresh heap copy each time.
                code = text.withUTF8 { bytes in
                    sqlite3_bind_text(sqlite, CInt(index + 1), bytes.baseAddress.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(Self.emptyText.utf8Start),
                        CInt(bytes.count), Self.transient)
                }
            } else {
                code = value.bind(to: sqlite, at: CInt(index + 1))
            }
            guard code == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errstr(code)), sql: statement.sql)
            }
        }
    }

    /// SQLite's `SQLITE_TRANSIENT`: it copies the bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    /// Where an empty text points: a NULL pointer would bind NULL, not "".
    private static let emptyText: StaticString = ""

    private func columns(of statement: Statement) -> SQLColumns {
        let id = ObjectIdentifier(statement)
        if let known = columnsOf[id] { return known.columns }
        let columns = SQLColumns(statement.columnNames)
        columnsOf[id] = (statement, columns)
        return columns
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

/// Steps an SQLite statement, bound and reset by `SQLSession.bind`, the
/// way GRDB's cursors do (its error handling and checks), and hands out
/// each row in place: no `Row` with its own copy of the column names per
/// query, as GRDB's row cursor makes.
private final class SQLiteRows: DatabaseCursor {
    typealias Element = SQLRow
    let _statement: Statement
    var _isDone = false
    private let columns: SQLColumns

    init(_ statement: Statement, columns: SQLColumns) {
        _statement = statement
        self.columns = columns
    }

    /// A statement left stepped holds its read of the database until reset.
    deinit { sqlite3_reset(_statement.sqliteStatement) }

    func _element(sqliteStatement: SQLiteStatement) throws -> SQLRow { SQLRow(sqlite: sqliteStatement, columns: columns) }
}
