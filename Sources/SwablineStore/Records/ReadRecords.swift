import Foundation
import GRDB
import SwablineCore

/// One household's counts in a coverage report.
struct HouseholdCoverageRow: RowDecodable, Sendable {
    var household: CoverageTree.Row

    enum Columns {
        static let building = Column("building")
        static let unit = Column("unit")
        static let room = Column("room")
        static let key = Column("key")
        static let expected = Column("expected")
        static let checkedIn = Column("checked_in")
        static let sampled = Column("sampled")
        static let resulted = Column("resulted")
        static let closed = Column("closed")
    }

    init(row: SQLRow) throws {
        household = .init(
            building: try row.decode(forColumn: Columns.building), unit: try row.decode(forColumn: Columns.unit),
            room: try row.decode(forColumn: Columns.room), household: try row.decode(forColumn: Columns.key),
            counts: CoverageCounts(
                expected: try row.decode(forColumn: Columns.expected), checkedIn: try row.decode(forColumn: Columns.checkedIn),
                sampled: try row.decode(forColumn: Columns.sampled), resulted: try row.decode(forColumn: Columns.resulted),
                closed: try row.decode(forColumn: Columns.closed)))
    }
}

/// One sample's way through the lab, in seconds (nil: not yet there).
struct TurnaroundRow: RowDecodable, Sendable {
    var tube: String
    var toReceipt: Double?
    var toResult: Double?

    enum Columns {
        static let code = Column("code")
        static let sampledAt = Column("sampled_at")
        static let receivedAt = Column("received_at")
        static let resultedAt = Column("resulted_at")
    }

    /// The spans are computed here from the stored times rather than in
    /// SQL: the two engines share no date arithmetic.
    init(row: SQLRow) throws {
        tube = try row.decode(forColumn: Columns.code)
        let sampled = Timestamp.date(try row.decode(String.self, forColumn: Columns.sampledAt))
        let received = try row.decode(String?.self, forColumn: Columns.receivedAt).flatMap(Timestamp.date)
        let resulted = try row.decode(String?.self, forColumn: Columns.resultedAt).flatMap(Timestamp.date)
        toReceipt = Self.seconds(from: sampled, to: received)
        toResult = Self.seconds(from: received, to: resulted)
    }

    /// Seconds between two times, to the millisecond, as the report shows them.
    static func seconds(from start: Date?, to end: Date?) -> Double? {
        guard let start, let end else { return nil }
        return (end.timeIntervalSince(start) * 1_000).rounded() / 1_000
    }
}

/// A row of `anomaly`, with its tube's site.
struct AnomalyRow: RowDecodable, Sendable {
    var view: AnomalyView

    /// The select list that reads one (`a` anomaly, `t` its tube).
    static let columns = """
        a.id, a.tube_code, t.site_id, a.lab_id, a.recorded_result, a.posted_result, a.webhook_id, a.at,
        a.resolved_at, a.resolved_by, a.resolution_note
        """

    enum Columns {
        static let id = Column("id")
        static let tubeCode = Column("tube_code")
        static let siteID = Column("site_id")
        static let labID = Column("lab_id")
        static let recordedResult = Column("recorded_result")
        static let postedResult = Column("posted_result")
        static let webhookID = Column("webhook_id")
        static let at = Column("at")
        static let resolvedAt = Column("resolved_at")
        static let resolvedBy = Column("resolved_by")
        static let resolutionNote = Column("resolution_note")
    }

    init(row: SQLRow) throws {
        view = AnomalyView(
            id: try row.decode(forColumn: Columns.id), tube: try row.decode(forColumn: Columns.tubeCode),
            site: try row.decode(forColumn: Columns.siteID), lab: try row.decode(forColumn: Columns.labID),
            recordedResult: try row.decode(forColumn: Columns.recordedResult), postedResult: try row.decode(forColumn: Columns.postedResult),
            webhookId: try row.decode(forColumn: Columns.webhookID), at: try row.decode(forColumn: Columns.at),
            resolvedAt: try row.decode(forColumn: Columns.resolvedAt), resolvedBy: try row.decode(forColumn: Columns.resolvedBy),
            note: try row.decode(forColumn: Columns.resolutionNote))
    }
}

/// One line of an audit trail: an audit event or a custody step.
struct AuditRow: RowDecodable, Sendable {
    var entry: AuditEntry

    enum Columns {
        static let at = Column("at")
        static let actor = Column("actor")
        static let action = Column("action")
        static let resident = Column("resident")
        static let tube = Column("tube")
        static let box = Column("box")
        static let detail = Column("detail")
    }

    init(row: SQLRow) throws {
        entry = AuditEntry(
            at: try row.decode(forColumn: Columns.at), actor: try row.decode(forColumn: Columns.actor),
            action: try row.decode(forColumn: Columns.action), resident: try row.decode(forColumn: Columns.resident),
            tube: try row.decode(forColumn: Columns.tube), box: try row.decode(forColumn: Columns.box),
            detail: try row.decode(forColumn: Columns.detail))
    }
}
