import GRDB
import SwablineCore

/// Reading rows into the answer types, in one place.
extension Store {
    static let residentColumns = """
        r.id, r.code, r.name, r.id_number, r.phone, r.site_id, r.priority, r.single_tube, r.walk_in, r.household_id,
        h.key AS household, h.building, h.unit, h.room
        """

    static func residentRow(_ db: Database, code: String) throws -> Row? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(residentColumns) FROM resident r JOIN household h ON h.id = r.household_id WHERE r.code = ?"),
            arguments: [code])
    }

    static func residentView(_ row: Row) -> ResidentView {
        ResidentView(
            code: row["code"], name: row["name"], idNumber: PersonalData.maskNationalID(row["id_number"]),
            phone: PersonalData.maskPhone(row["phone"]), site: row["site_id"], building: row["building"],
            unit: row["unit"], room: row["room"], household: row["household"], priority: row["priority"],
            singleTube: row["single_tube"], walkIn: row["walk_in"])
    }

    static func ticketLabel(number: Int, lane: Lane) -> String {
        let digits = String(number)
        return (lane == .priority ? "P" : "A") + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    static func ticketView(_ db: Database, id: Int64) throws -> TicketView {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT t.*, rd.name AS round_name FROM ticket t JOIN round rd ON rd.id = t.round_id WHERE t.id = ?"),
            arguments: [id])!
        let lane = Lane(rawValue: row["lane"])!
        let status = TicketStatus(rawValue: row["status"])!
        var position: Int?
        if status == .waiting {
            // People ahead in calling order: the priority lane first, then by check-in.
            position = try Int.fetchOne(
                db.cachedStatement(sql: """
                    SELECT count(*) FROM ticket WHERE round_id = ? AND site_id = ? AND status = 'waiting'
                      AND (lane = 'priority' AND ? = 'normal' OR lane = ? AND id < ?)
                    """),
                arguments: [row["round_id"], row["site_id"], lane.rawValue, lane.rawValue, id])
        }
        return TicketView(
            number: row["number"], label: ticketLabel(number: row["number"], lane: lane), lane: lane, status: status,
            position: position, station: row["station_id"], checkedInAt: row["checked_in_at"], round: row["round_name"])
    }

    static func tubeRow(_ db: Database, code: String) throws -> Row? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT t.*, (SELECT count(*) FROM sample s WHERE s.tube_code = t.code) AS filled FROM tube t WHERE t.code = ?"),
            arguments: [code])
    }

    static func tubeView(_ row: Row) -> TubeView {
        let mode = TubeMode(rawValue: row["mode"])!
        return TubeView(
            code: row["code"], site: row["site_id"], station: row["station_id"], mode: mode, capacity: mode.capacity,
            filled: row["filled"], state: TubeState(rawValue: row["state"])!, partial: row["partial"],
            box: row["box_code"], result: (row["result"] as String?).flatMap(TubeResult.init(rawValue:)))
    }

    static func tubeView(_ db: Database, code: String) throws -> TubeView {
        try tubeView(tubeRow(db, code: code)!)
    }

    static func boxView(_ db: Database, code: String, warnings: [String] = []) throws -> BoxView {
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM box WHERE code = ?"), arguments: [code])!
        let tubes = try String.fetchAll(db.cachedStatement(sql: "SELECT code FROM tube WHERE box_code = ? ORDER BY code"), arguments: [code])
        return BoxView(
            code: row["code"], site: row["site_id"], lab: row["lab_id"], state: BoxState(rawValue: row["state"])!,
            tubeCount: tubes.count, tubes: tubes, temperatureC: row["temperature_c"], warnings: warnings)
    }

    /// Appends one hand-off to the chain of custody (rule 6).
    static func recordCustody(
        _ db: Database, subject: String, code: String, event: CustodyEvent, actor: Actor, to: String? = nil,
        now: String, tubeCount: Int? = nil, temperature: Double? = nil
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO custody_event (subject, code, event, actor, to_actor, at, tube_count, temperature_c)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [subject, code, event.rawValue, actor.label, to, now, tubeCount, temperature])
    }
}
