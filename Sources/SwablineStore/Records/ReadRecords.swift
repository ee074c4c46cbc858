import GRDB
import SwablineCore

/// One household's counts in a coverage report.
struct HouseholdCoverageRow: FetchableRecord, Sendable {
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

    init(row: Row) throws {
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
struct TurnaroundRow: FetchableRecord, Sendable {
    var tube: String
    var toReceipt: Double?
    var toResult: Double?

    enum Columns {
        static let code = Column("code")
        static let toReceipt = Column("to_receipt")
        static let toResult = Column("to_result")
    }

    init(row: Row) throws {
        tube = try row.decode(forColumn: Columns.code)
        toReceipt = try row.decode(forColumn: Columns.toReceipt)
        toResult = try row.decode(forColumn: Columns.toResult)
    }
}

/// A row of `anomaly`, with its tube's site.
struct AnomalyRow: FetchableRecord, Sendable {
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

    init(row: Row) throws {
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
struct AuditRow: FetchableRecord, Sendable {
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

    init(row: Row) throws {
        entry = AuditEntry(
            at: try row.decode(forColumn: Columns.at), actor: try row.decode(forColumn: Columns.actor),
            action: try row.decode(forColumn: Columns.action), resident: try row.decode(forColumn: Columns.resident),
            tube: try row.decode(forColumn: Columns.tube), box: try row.decode(forColumn: Columns.box),
            detail: try row.decode(forColumn: Columns.detail))
    }
}
