import GRDB

/// The values bound to a statement's `?` placeholders, in order.
///
/// GRDB's `DatabaseValue` is the one value type both engines are fed from:
/// the core's enums, `Bool`, numbers and strings adopt
/// `DatabaseValueConvertible`, so a call site writes `[site, TicketStatus.waiting]`
/// whichever engine runs it. (GRDB's own `StatementArguments` keeps its
/// values private, so PostgreSQL could not read them back out.)
///
/// Named arguments (`[“site”: site]` for `:site`) serve the long report
/// queries that use one value in several places.
struct SQLArguments: ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, Sendable {
    private(set) var values: [DatabaseValue]
    private(set) var named: [String: DatabaseValue] = [:]

    init(_ values: [DatabaseValue] = []) { self.values = values }

    init(dictionaryLiteral elements: (String, (any DatabaseValueConvertible)?)...) {
        values = []
        for (name, value) in elements { named[name] = value?.databaseValue ?? .null }
    }

    init(arrayLiteral elements: (any DatabaseValueConvertible)?...) {
        values = elements.map { $0?.databaseValue ?? .null }
    }

    init(_ elements: some Sequence<some DatabaseValueConvertible>) {
        values = elements.map(\.databaseValue)
    }

    var isEmpty: Bool { values.isEmpty && named.isEmpty }

    mutating func append(_ value: (any DatabaseValueConvertible)?) { values.append(value?.databaseValue ?? .null) }

    /// Appends one row's values, as a multi-row statement takes them, each
    /// converted as its own type: no array of existentials per row.
    mutating func append<each Value: DatabaseValueConvertible>(row value: repeat each Value) {
        repeat values.append((each value).databaseValue)
    }

    static func + (lhs: SQLArguments, rhs: SQLArguments) -> SQLArguments { SQLArguments(lhs.values + rhs.values) }
    static func += (lhs: inout SQLArguments, rhs: SQLArguments) { lhs.values += rhs.values }

    /// The same values as GRDB binds them to an SQLite statement. Passed as
    /// optionals of the protocol: GRDB's initializer for a sequence of one
    /// concrete type maps it through a key path, unspecialized across the
    /// module boundary, which was 5 % of a station's CPU (issue #18's profile).
    var statementArguments: StatementArguments {
        named.isEmpty
            ? StatementArguments(values.map { $0 as (any DatabaseValueConvertible)? })
            : StatementArguments(named.mapValues { $0 as (any DatabaseValueConvertible)? })
    }

    /// The values in the order of PostgreSQL's `$n`, given the names in
    /// order of their numbers (`PlaceholderSQL`).
    func positional(names: [String], sql: String) throws -> [DatabaseValue] {
        guard !names.isEmpty else { return values }
        return try names.map { name in
            guard let value = named[name] else { throw SQLError.missingArgument(name: name, sql: sql) }
            return value
        }
    }
}
