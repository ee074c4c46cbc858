import Foundation
import GRDB
import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL connection, used synchronously by the store's code on a
/// thread of the database's own pool (never on an event loop): the store's
/// methods are synchronous closures, as GRDB runs them on SQLite, so they
/// are written once for both engines.
final class PostgresSession {
    let connection: PostgresConnection
    let logger: Logger
    let deadline: TimeAmount
    /// Whether a transaction is open on the connection (BEGIN ran, and no
    /// COMMIT or ROLLBACK since): such a connection must not be reused.
    private(set) var inTransaction = false
    /// Whether the server went away or refused to be written to (a
    /// demoted primary): the database looks for the primary again.
    private(set) var serverLost = false

    init(connection: PostgresConnection, logger: Logger, deadline: TimeAmount) {
        self.connection = connection
        self.logger = logger
        self.deadline = deadline
    }

    /// Runs one statement of the store's SQL (`?` placeholders) with its
    /// values; returns how many rows it changed.
    @discardableResult
    func run(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        try perform(sql, arguments).metadata.rows ?? 0
    }

    /// Runs one statement and returns its rows.
    func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        let result = try perform(sql, arguments)
        var rows: [SQLRow] = []
        rows.reserveCapacity(result.rows.count)
        var columns: SQLColumns?
        for row in result.rows {
            var values: [DatabaseValue] = []
            var names: [String] = []
            for cell in row {
                if columns == nil { names.append(cell.columnName) }
                values.append(try Self.databaseValue(cell))
            }
            if columns == nil { columns = SQLColumns(names) }
            rows.append(SQLRow(columns: columns!, values: values))
        }
        return rows
    }

    /// SQL run without arguments goes as written: the schema's DDL, whose
    /// function bodies (between `$$`) are PostgreSQL's own. Any other SQL
    /// with placeholders and no values for them is refused, as SQLite
    /// refuses it, rather than sent with a bare `?`.
    private static func unbound(_ sql: String) throws -> PlaceholderSQL.Translated {
        if !sql.contains("$$") {
            let translated = PlaceholderSQL.postgres(sql)
            if let name = translated.names.first { throw SQLError.missingArgument(name: name, sql: sql) }
            if translated.positional > 0 { throw SQLError.argumentCount(given: 0, expected: translated.positional, sql: sql) }
        }
        return PlaceholderSQL.Translated(sql: sql, names: [])
    }

    private func perform(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQueryResult {
        let translated = arguments.isEmpty ? try Self.unbound(sql) : PlaceholderSQL.postgres(sql)
        let values = try arguments.positional(names: translated.names, sql: sql)
        // PostgreSQL would take extra values unused; SQLite refuses them, and so does the store.
        if translated.names.isEmpty, !arguments.isEmpty, values.count != translated.positional {
            throw SQLError.argumentCount(given: values.count, expected: translated.positional, sql: sql)
        }
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value.storage {
            case .null: binds.appendNull()
            case .int64(let int): binds.append(int)
            case .double(let double): binds.append(double)
            case .string(let string): binds.append(string)
            case .blob(let data): binds.append(ByteBuffer(bytes: data))
            }
        }
        // Nothing more is sent on a connection that failed: it is closed, or closing, and
        // postgres-nio may leave a query sent while it closes unanswered.
        guard !serverLost, !connection.isClosed else {
            serverLost = true
            throw SQLError.connectionLost("the connection was closed")
        }
        // A statement that outlives its deadline fails here and closes the connection: the
        // thread waits on this promise, not on the query, so no answer that never comes
        // can hold it.
        let connection = connection
        let seconds = deadline.nanoseconds / 1_000_000_000
        let answer = connection.eventLoop.makePromise(of: PostgresQueryResult.self)
        let timeout = connection.eventLoop.scheduleTask(in: deadline) {
            answer.fail(SQLError.connectionLost("no answer within \(seconds) s"))
            connection.close().whenComplete { _ in }
        }
        defer { timeout.cancel() }
        connection.query(PostgresQuery(unsafeSQL: translated.sql, binds: binds), logger: logger).cascade(to: answer)
        do {
            let result = try answer.futureResult.wait()
            switch result.metadata.command {
            case "BEGIN": inTransaction = true
            case "COMMIT", "ROLLBACK": inTransaction = false
            default: break
            }
            return result
        } catch {
            let mapped = Self.sqlError(error)
            if case SQLError.connectionLost = mapped { serverLost = true }
            throw mapped
        }
    }

    /// A cell as the value SQLite would have given: integers and booleans
    /// as integers (the store's flags are 0/1), numerics (a `sum` of
    /// integers) as integers when whole, text as text.
    static func databaseValue(_ cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return try cell.decode(Int64.self).databaseValue
        case .bool:
            return (try cell.decode(Bool.self) ? 1 : 0 as Int64).databaseValue
        case .float4, .float8:
            return try cell.decode(Double.self).databaseValue
        case .numeric:
            let decimal = try cell.decode(Decimal.self)
            var rounded = decimal
            var whole = decimal
            NSDecimalRound(&rounded, &whole, 0, .plain)
            if rounded == decimal, let int = Int64(exactly: NSDecimalNumber(decimal: decimal).int64Value), Decimal(int) == decimal {
                return int.databaseValue
            }
            return NSDecimalNumber(decimal: decimal).doubleValue.databaseValue
        case .bytea:
            var buffer = try cell.decode(ByteBuffer.self)
            return Data(buffer.readBytes(length: buffer.readableBytes) ?? []).databaseValue
        default:
            return try cell.decode(String.self).databaseValue
        }
    }

    /// PostgreSQL's errors in the store's terms: a constraint is a refusal
    /// the request caused; a serialization failure or deadlock asks for the
    /// whole transaction again, and so does a full lock table (53200 "out
    /// of shared memory": SERIALIZABLE keeps each transaction's read locks
    /// until every transaction beside it has ended, so under load the
    /// table can fill, and frees itself as they end; past the retries it is
    /// a 503, nothing written); a lost connection is the database's, not
    /// the request's.
    static func sqlError(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        if error.code == .server, let state = error.serverInfo?[.sqlState] {
            let message = error.serverInfo?[.message] ?? state
            switch state {
            case "40001", "40P01", "53200": return SQLError.mustRetry(message)
            case _ where state.hasPrefix("23"): return SQLError.constraint(message)
            // The server is shutting down, or is a standby now (a demoted primary refuses writes).
            case "57P01", "57P02", "57P03", "25006": return SQLError.connectionLost(message)
            default: return SQLError.database("\(message) (SQLSTATE \(state))")
            }
        }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
            return SQLError.connectionLost("\(error.code)")
        default:
            return SQLError.database(String(reflecting: error))
        }
    }
}
