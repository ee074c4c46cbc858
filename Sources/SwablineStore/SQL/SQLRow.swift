import Foundation
import GRDB

/// One row of a result, from either engine, read by column name (case
/// insensitive, leftmost wins, as GRDB reads them) or by position.
///
/// An SQLite row is GRDB's own, borrowed while its statement steps (a
/// record is decoded from it at once) and copied only when rows are kept;
/// a PostgreSQL row arrives as names and `DatabaseValue`s.
struct SQLRow: @unchecked Sendable {
    private enum Storage {
        case sqlite(Row)
        case values(columns: [String], values: [DatabaseValue])
    }

    private let storage: Storage

    init(sqlite row: Row) { storage = .sqlite(row) }
    init(columns: [String], values: [DatabaseValue]) { storage = .values(columns: columns, values: values) }

    /// A row that outlives the statement it came from.
    func copy() -> SQLRow {
        if case .sqlite(let row) = storage { return SQLRow(sqlite: row.copy()) }
        return self
    }

    var count: Int {
        switch storage {
        case .sqlite(let row): row.count
        case .values(_, let values): values.count
        }
    }

    func databaseValue(atIndex index: Int) -> DatabaseValue {
        switch storage {
        case .sqlite(let row): row[index]?.databaseValue ?? .null
        case .values(_, let values): values[index]
        }
    }

    func index(forColumn name: String) -> Int? {
        switch storage {
        case .sqlite(let row): return Array(row.columnNames).firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }
        case .values(let columns, _):
            return columns.firstIndex { $0 == name } ?? columns.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }
        }
    }

    func decode<Value: DatabaseValueConvertible>(_ type: Value.Type = Value.self, atIndex index: Int) throws -> Value {
        if case .sqlite(let row) = storage { return try row.decode(type, atIndex: index) }
        guard index < count else { throw SQLError.missingColumn("#\(index)") }
        let value = databaseValue(atIndex: index)
        guard let decoded = Value.fromDatabaseValue(value) else { throw SQLError.undecodable(column: "#\(index)", value: value, as: "\(Value.self)") }
        return decoded
    }

    func decode<Value: DatabaseValueConvertible>(_ type: Value.Type = Value.self, forColumn name: String) throws -> Value {
        if case .sqlite(let row) = storage { return try row.decode(type, forColumn: name) }
        guard let index = index(forColumn: name) else {
            // A missing column reads as nil when nil is allowed, as in GRDB.
            if let value = Value.fromDatabaseValue(.null), value.databaseValue.isNull { return value }
            throw SQLError.missingColumn(name)
        }
        let value = databaseValue(atIndex: index)
        guard let decoded = Value.fromDatabaseValue(value) else { throw SQLError.undecodable(column: name, value: value, as: "\(Value.self)") }
        return decoded
    }

    func decode<Value: DatabaseValueConvertible>(_ type: Value.Type = Value.self, forColumn column: Column) throws -> Value {
        try decode(type, forColumn: column.name)
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
