import GRDB

/// What went wrong between the store and its database, below the domain:
/// the store turns the ones a request can cause into `StoreError`s.
enum SQLError: Error, CustomStringConvertible {
    /// A result lacks a column a record reads.
    case missingColumn(String)
    /// A column holds a value the record's type cannot take.
    case undecodable(column: String, value: DatabaseValue, as: String)
    /// A statement was given more or fewer values than it has placeholders
    /// (a programming error, refused alike by both engines).
    case argumentCount(given: Int, expected: Int, sql: String)
    /// A statement's named placeholder was given no value (refused alike
    /// by both engines: PostgreSQL would otherwise bind it NULL).
    case missingArgument(name: String, sql: String)
    /// A UNIQUE, FOREIGN KEY or CHECK constraint refused a write.
    case constraint(String)
    /// PostgreSQL could not serialize this transaction beside a concurrent
    /// one (SQLSTATE 40001, 40P01): the whole transaction must run again.
    case mustRetry(String)
    /// The database answered with an error the store does not expect.
    case database(String)
    /// The connection to the database is gone (a failover, a restart).
    case connectionLost(String)

    /// Whether the error ends the whole transaction rather than one
    /// request's savepoint in it.
    var endsTransaction: Bool {
        switch self {
        case .mustRetry, .connectionLost: true
        default: false
        }
    }

    var description: String {
        switch self {
        case .missingColumn(let name): "no column \(name) in the result"
        case .undecodable(let column, let value, let type): "column \(column) holds \(value), not a \(type)"
        case .argumentCount(let given, let expected, let sql): "\(given) values given for \(expected) placeholders in: \(sql)"
        case .missingArgument(let name, let sql): "no value given for :\(name) in: \(sql)"
        case .constraint(let why): "a constraint refused the write: \(why)"
        case .mustRetry(let why): "the transaction must be retried: \(why)"
        case .database(let why): "database error: \(why)"
        case .connectionLost(let why): "the database connection was lost: \(why)"
        }
    }
}

extension SQLError {
    /// An error from either engine in the store's terms, the one mapping
    /// for writes and reads: a constraint the checks before it missed is a
    /// clash with a record written at the same moment (409), and a lost or
    /// jammed database is the database's fault, not the request's (503,
    /// nothing written). Anything else passes as it is.
    static func inStoreTerms(_ error: any Error) -> any Error {
        switch error {
        case let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT: StoreError.conflict(.clashesWithRecord)
        case SQLError.constraint: StoreError.conflict(.clashesWithRecord)
        case let error as SQLError where error.endsTransaction: StoreError.unavailable(error.description)
        default: error
        }
    }
}
