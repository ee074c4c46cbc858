import GRDB
import SwablineCore

/// Reading rows into the answer types, in one place.
extension Store {
    static func residentRow(_ db: SQLSession, code: String) throws -> ResidentAtHome? {
        try ResidentAtHome.fetchOne(
            db.cachedStatement(sql: "SELECT \(ResidentAtHome.columns) FROM resident r JOIN household h ON h.id = r.household_id WHERE r.code = ?"),
            arguments: [code])
    }

    /// A resident staff of their site or a coordinator may see and act on
    /// (rule 7): anyone else's resident is `resident_not_found`, as an
    /// unknown code is; another role is refused outright.
    static func readableResident(_ db: SQLSession, code: String, by actor: Actor) throws -> ResidentAtHome {
        guard let row = try residentRow(db, code: code), actor.canRead(site: row.resident.siteID) else {
            switch actor {
            case .staff, .coordinator: throw StoreError.notFound(kind: .resident, code: code)
            default: throw StoreError.forbidden("This needs a staff token of the resident's site or a coordinator token.")
            }
        }
        return row
    }

    static func ticketLabel(number: Int, lane: Lane) -> String {
        let digits = String(number)
        return (lane == .priority ? "P" : "A") + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    static func ticketView(_ db: SQLSession, id: Int64) throws -> TicketView {
        let row = try TicketInRound.fetchOne(
            db.cachedStatement(sql: "SELECT t.*, rd.name AS round_name FROM ticket t JOIN round rd ON rd.id = t.round_id WHERE t.id = ?"),
            arguments: [id])!
        let ticket = row.ticket
        let position = ticket.status == .waiting
            ? try waitingAhead(db, round: ticket.roundID, site: ticket.siteID, lane: ticket.lane, ticket: id) : nil
        return TicketView(
            number: ticket.number, label: ticket.label, lane: ticket.lane, status: ticket.status,
            position: position, station: ticket.stationID, checkedInAt: ticket.checkedInAt, round: row.roundName,
            referred: ticket.referred)
    }

    /// People ahead of a waiting ticket in calling order: the priority lane first, then by check-in.
    static func waitingAhead(_ db: SQLSession, round: Int64, site: String, lane: Lane, ticket id: Int64) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: """
                SELECT count(*) FROM ticket WHERE round_id = ? AND site_id = ? AND status = ?
                  AND (lane = ? AND ? = ? OR lane = ? AND id < ?)
                """),
            arguments: [round, site, TicketStatus.waiting, Lane.priority, lane, Lane.normal, lane, id]) ?? 0
    }

    static func tubeRow(_ db: SQLSession, code: String) throws -> CountedTube? {
        try CountedTube.fetchOne(db.cachedStatement(sql: CountedTube.byCode), arguments: [code])
    }

    static func tubeView(_ db: SQLSession, code: String) throws -> TubeView {
        try tubeRow(db, code: code)!.view
    }

    static func boxView(_ db: SQLSession, code: String, warnings: [String] = []) throws -> BoxView {
        let box = try BoxRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM box WHERE code = ?"), arguments: [code])!
        let tubes = try SQLRow.fetchAll(
            db.cachedStatement(sql: "SELECT code, state = 'lost' AS lost FROM tube WHERE box_code = ? ORDER BY code"),
            arguments: [code])
        let missing: [String] = tubes.filter { $0["lost"] }.map { $0["code"] }
        return BoxView(
            code: box.code, site: box.siteID, lab: box.labID, state: box.state,
            tubeCount: tubes.count, tubes: tubes.map { $0["code"] }, missing: missing.isEmpty ? nil : missing,
            temperatureC: box.temperatureC, warnings: warnings)
    }

    /// Appends one hand-off to the chain of custody (rule 6).
    static func recordCustody(
        _ db: SQLSession, subject: CustodySubject, code: String, event: CustodyEvent, actor: Actor, to: String? = nil,
        now: String, tubeCount: Int? = nil, temperature: Double? = nil
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO custody_event (subject, code, event, actor, to_actor, at, tube_count, temperature_c)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [subject, code, event, actor.label, to, now, tubeCount, temperature])
    }
}
