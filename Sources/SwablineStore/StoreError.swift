import SwablineCore

/// Why the store refused a request. Nothing was written when one is thrown:
/// every method runs in one transaction that rolls back on error.
public enum StoreError: Error, Sendable, Equatable {
    /// No such thing, or not one the actor may see (rule 7 hides what is not theirs).
    case notFound(kind: NotFoundKind, code: String)
    /// The actor may not do this at all.
    case forbidden(String)
    /// A domain rule would be broken.
    case rule(RuleViolation)
    /// A field of the request is malformed.
    case invalid(field: String, why: String)
    /// The request clashes with what is already there.
    case conflict(Conflict)
    /// The database cannot take the request now (a failover under way, or
    /// other nodes' transactions kept colliding with it): nothing was
    /// written, and the same request may be sent again.
    case unavailable(String)

    public var code: String {
        switch self {
        case let .notFound(kind, _): kind.code
        case .forbidden: "forbidden"
        case let .rule(violation): violation.code
        case .invalid: "invalid_field"
        case let .conflict(conflict): conflict.code.rawValue
        case .unavailable: "database_unavailable"
        }
    }

    public var message: String {
        switch self {
        case let .notFound(kind, code): "No \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) '\(code)' here."
        case let .forbidden(why): why
        case let .rule(violation): violation.message
        case let .invalid(field, why): "\(field) \(why)."
        case let .conflict(conflict): conflict.message
        case let .unavailable(why): "The database cannot take this now (\(why)); nothing was written. Send the same request again shortly."
        }
    }
}

/// What the store looked for and did not find (or may not show): the wire
/// code is `<kind>_not_found`.
public enum NotFoundKind: String, Sendable, Hashable, CaseIterable {
    case site
    case station
    case resident
    case tube
    case box
    case anomaly
    case subscriber
    case token
    case lab
    case backup
    case round

    /// The wire code, `tube_not_found`.
    public var code: String { "\(rawValue)_not_found" }
}

extension StoreError {
    /// Runs a core rule check, turning its violation into a store error.
    static func checking<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let violation as RuleViolation { throw StoreError.rule(violation) }
    }
}
