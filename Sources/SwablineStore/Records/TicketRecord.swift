import GRDB
import SwablineCore

/// A row of `ticket`: one resident's place in a site's queue this round.
struct TicketRecord: RowDecodable, Sendable {
    var id: Int64
    var roundID: Int64
    var siteID: String
    var residentID: Int64
    var number: Int
    var lane: Lane
    var status: TicketStatus
    var overtaken: Int
    var stationID: String?
    var checkedInAt: String
    var calledAt: String?
    var referred: Bool

    enum Columns {
        static let id = Column("id")
        static let roundID = Column("round_id")
        static let siteID = Column("site_id")
        static let residentID = Column("resident_id")
        static let number = Column("number")
        static let lane = Column("lane")
        static let status = Column("status")
        static let overtaken = Column("overtaken")
        static let stationID = Column("station_id")
        static let checkedInAt = Column("checked_in_at")
        static let calledAt = Column("called_at")
        static let referred = Column("referred")
    }

    init(row: SQLRow) throws {
        id = try row.decode(forColumn: Columns.id)
        roundID = try row.decode(forColumn: Columns.roundID)
        siteID = try row.decode(forColumn: Columns.siteID)
        residentID = try row.decode(forColumn: Columns.residentID)
        number = try row.decode(forColumn: Columns.number)
        lane = try row.decode(forColumn: Columns.lane)
        status = try row.decode(forColumn: Columns.status)
        overtaken = try row.decode(forColumn: Columns.overtaken)
        stationID = try row.decode(forColumn: Columns.stationID)
        checkedInAt = try row.decode(forColumn: Columns.checkedInAt)
        calledAt = try row.decode(forColumn: Columns.calledAt)
        referred = try row.decode(forColumn: Columns.referred)
    }

    /// What the board shows: `P007` (priority lane) or `A042`.
    var label: String { Store.ticketLabel(number: number, lane: lane) }
}

/// A ticket with the name of its round, as a `TicketView` shows it.
struct TicketInRound: RowDecodable, Sendable {
    var ticket: TicketRecord
    var roundName: String

    enum Columns {
        static let roundName = Column("round_name")
    }

    init(row: SQLRow) throws {
        ticket = try TicketRecord(row: row)
        roundName = try row.decode(forColumn: Columns.roundName)
    }
}

/// A waiting ticket as the caller weighs it: lane, household, whether its
/// holder needs a single tube (flagged, or pool-positive), and how many
/// people have passed it.
struct QueuedTicket: RowDecodable, Sendable {
    var waiting: WaitingTicket

    enum Columns {
        static let id = Column("id")
        static let lane = Column("lane")
        static let overtaken = Column("overtaken")
        static let householdID = Column("household_id")
        static let singleTube = Column("single_tube")
    }

    init(row: SQLRow) throws {
        waiting = WaitingTicket(
            ticket: try row.decode(forColumn: Columns.id), household: try row.decode(forColumn: Columns.householdID),
            lane: try row.decode(forColumn: Columns.lane), singleTube: try row.decode(forColumn: Columns.singleTube),
            overtaken: try row.decode(forColumn: Columns.overtaken))
    }
}

/// A person at a station's desk: their ticket (none for a sample taken
/// without one), code, name and household.
struct CalledPersonRow: RowDecodable, Sendable {
    var number: Int?
    var lane: Lane?
    var code: String
    var name: String
    var household: String

    /// The select list that reads one (`t` ticket, `r` resident, `h` household).
    static let columns = "t.number, t.lane, r.code, r.name, h.key"

    enum Columns {
        static let number = Column("number")
        static let lane = Column("lane")
        static let code = Column("code")
        static let name = Column("name")
        static let household = Column("key")
    }

    init(row: SQLRow) throws {
        number = try row.decode(forColumn: Columns.number)
        lane = try row.decode(forColumn: Columns.lane)
        code = try row.decode(forColumn: Columns.code)
        name = try row.decode(forColumn: Columns.name)
        household = try row.decode(forColumn: Columns.household)
    }

    var person: CalledPerson {
        let lane = lane ?? .normal
        return CalledPerson(
            ticket: number.map { Store.ticketLabel(number: $0, lane: lane) } ?? "", residentCode: code, name: name,
            household: household, lane: lane)
    }
}
