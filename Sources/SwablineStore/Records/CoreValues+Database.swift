import GRDB
import SwablineCore

// The core's states, modes and results are stored as their raw values. They
// are bound and read as typed values (`?` with `TicketStatus.waiting`), never
// spelled as literals in SQL: a renamed case then fails to compile instead of
// silently matching nothing. GRDB implements the conformance for String
// raw-value enums; the core stays free of GRDB, so the conformance lives here
// (same package, so not `@retroactive`).

extension Lane: DatabaseValueConvertible {}
extension TicketStatus: DatabaseValueConvertible {}
extension TubeMode: DatabaseValueConvertible {}
extension TubeState: DatabaseValueConvertible {}
extension TubeResult: DatabaseValueConvertible {}
extension BoxState: DatabaseValueConvertible {}
extension CustodyEvent: DatabaseValueConvertible {}
extension Outcome: DatabaseValueConvertible {}
extension Zone: DatabaseValueConvertible {}
extension Role: DatabaseValueConvertible {}
extension MissingReason: DatabaseValueConvertible {}
extension TubeRejection: DatabaseValueConvertible {}
extension CallbackFormat: DatabaseValueConvertible {}

/// What a custody event is about (the `custody_event.subject` column).
enum CustodySubject: String, DatabaseValueConvertible {
    case tube
    case box
}

/// Where an outbox message stands (the `outbox.state` column).
enum OutboxState: String, DatabaseValueConvertible {
    case pending
    case delivered
    case dead

    /// The state as an SQL literal, for the few queries that must name it
    /// in their text: SQLite uses a partial index (`outbox_pending`,
    /// `outbox_dead`, `outbox_finished`, created `WHERE state = 'pending'`…)
    /// only when the query's own WHERE names the same constant; a bound `?`
    /// would scan the whole outbox at every poll.
    var sqlLiteral: String { "'\(rawValue)'" }
}
