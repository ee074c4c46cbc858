import Foundation
import GRDB

/// The column names of one result, with each name's position found once
/// per statement rather than once per row and column (GRDB lowercases the
/// name at every lookup, which was a tenth of a lab delivery's CPU in
/// issue #18's profile).
final class SQLColumns: Sendable {
    let names: [String]
    private let positions: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
        self.positions = positions
    }

    /// The leftmost column of that name; spelled otherwise, compared
    /// case-insensitively, as SQL names are.
    func index(of name: String) -> Int? {
        positions[name] ?? names.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }
    }
}

/// One row of a result, from either engine, read by column name (exact,
/// else case insensitive; leftmost wins) or by position.
///
/// An SQLite row is read in place from its statement, which is stepped to
/// it (a record is decoded from it at once), and copied only when rows are
/// kept; a PostgreSQL row arrives as `DatabaseValue`s. Either way every
/// column is read as one `DatabaseValue` and converted by the same code, so
/// a column whose value the record's type cannot take is refused alike on
/// both engines (GRDB's faster typed reads would turn SQLite's text into a
/// number where PostgreSQL refuses it).
struct SQLRow: @unchecked Sendable {
    private enum Storage {
        /// Valid only until the statement steps again.
        case sqlite(SQLiteStatement)
        case values([DatabaseValue])
    }

    private let storage: Storage
    let columns: SQLColumns

    init(sqlite statement: SQLiteStatement, columns: SQLColumns) {
        storage = .sqlite(statement)
        self.columns = columns
    }

    init(columns: SQLColumns, values: [DatabaseValue]) {
        storage = .values(values)
        self.columns = columns
    }

    /// A row that outlives the statement it came from.
    func copy() -> SQLRow {
        guard case .sqlite = storage else { return self }
        return SQLRow(columns: columns, values: (0..<count).map(databaseValue(atIndex:)))
    }

    var count: Int { columns.names.count }

    func databaseValue(atIndex index: Int) -> DatabaseValue {
        switch storage {
        case .sqlite(let statement): DatabaseValue(sqliteStatement: statement, index: CInt(index))
        case .values(let values): values[index]
        }
    }

    func index(forColumn name: String) -> Int? { columns.index(of: name) }

    func decode<Value: DatabaseValueConvertible>(_ type: Value.Type = Value.self, atIndex index: Int) throws -> Value {
        try decode(type, at: index, column: "#\(index)")
    }

    func decode<Value: DatabaseValueConvertible>(_ type: Value.Type = Value.self, forColumn name: String) throws -> Value {
        guard let index = index(forColumn: name) else {
            // A missing column reads as nil when nil is allowed, as in GRDB.
            if let value = Value.fromDatabaseValue(.null), value.databaseValue.isNull { return value }
            throw SQLError.missingColumn(name)
        }
        return try decode(type, at: index, column: name)
    }

    func decode<Value: DatabaseValueConvertible>(_ type: Value.Type = Value.self, forColumn column: Column) throws -> Value {
        try decode(type, forColumn: column.name)
    }

    /// A column that may be NULL (or missing, as in GRDB). The same as the
    /// generic read, without going through GRDB's conformance of
    /// `Optional`, which looks up the optional type's metadata at every
    /// call (a tenth of a lab delivery's reading in issue #18's profile).
    func decode<Wrapped: DatabaseValueConvertible>(_ type: Wrapped?.Type = Wrapped?.self, forColumn name: String) throws -> Wrapped? {
        guard let index = index(forColumn: name) else { return nil }
        let value = databaseValue(atIndex: index)
        return value.isNull ? nil : try convert(value, to: Wrapped.self, column: name)
    }

    func decode<Wrapped: DatabaseValueConvertible>(_ type: Wrapped?.Type = Wrapped?.self, forColumn column: Column) throws -> Wrapped? {
        try decode(type, forColumn: column.name)
    }

    private func decode<Value: DatabaseValueConvertible>(
        _ type: Value.Type, at index: Int, column: @autoclosure () -> String
    ) throws -> Value {
        guard index >= 0, index < count else { throw SQLError.missingColumn(column()) }
        return try convert(databaseValue(atIndex: index), to: type, column: column())
    }

    private func convert<Value: DatabaseValueConvertible>(
        _ value: DatabaseValue, to type: Value.Type, column: @autoclosure () -> String
    ) throws -> Value {
        guard let decoded = Value.fromDatabaseValue(value) else {
            throw SQLError.undecodable(column: column(), value: value, as: "\(Value.self)")
        }
        return decoded
    }

    // Subscripts read like GRDB's: for columns the query itself selects,
    // where a missing or mistyped one is a programming error.
    subscript<Value: DatabaseValueConvertible>(_ name: String) -> Value { try! decode(forColumn: name) }
    subscript<Value: DatabaseValueConvertible>(_ column: Column) -> Value { try! decode(forColumn: column.name) }
    subscript<Value: DatabaseValueConvertible>(_ index: Int) -> Value { try! decode(atIndex: index) }
}

/// A type read from one result row (the store's records).
protocol RowDecodable {
    init(row: SQLRow) throws
}
