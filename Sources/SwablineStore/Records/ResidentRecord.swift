import GRDB
import SwablineCore

/// A row of `resident`.
struct ResidentRecord: RowDecodable, Sendable {
    var id: Int64
    var code: String
    var siteID: String
    var householdID: Int64
    var name: String
    var idNumber: String
    var phone: String
    var priority: Bool
    var singleTube: Bool
    var walkIn: Bool
    var homebound: Bool

    enum Columns {
        static let id = Column("id")
        static let code = Column("code")
        static let siteID = Column("site_id")
        static let householdID = Column("household_id")
        static let name = Column("name")
        static let idNumber = Column("id_number")
        static let phone = Column("phone")
        static let priority = Column("priority")
        static let singleTube = Column("single_tube")
        static let walkIn = Column("walk_in")
        static let homebound = Column("homebound")
    }

    init(row: SQLRow) throws {
        id = try row.decode(forColumn: Columns.id)
        code = try row.decode(forColumn: Columns.code)
        siteID = try row.decode(forColumn: Columns.siteID)
        householdID = try row.decode(forColumn: Columns.householdID)
        name = try row.decode(forColumn: Columns.name)
        idNumber = try row.decode(forColumn: Columns.idNumber)
        phone = try row.decode(forColumn: Columns.phone)
        priority = try row.decode(forColumn: Columns.priority)
        singleTube = try row.decode(forColumn: Columns.singleTube)
        walkIn = try row.decode(forColumn: Columns.walkIn)
        homebound = try row.decode(forColumn: Columns.homebound)
    }
}

/// Where a household lives: the columns of `household` a resident is shown
/// with (`key` read as `household`, see `ResidentAtHome.columns`).
struct HouseholdRecord: RowDecodable, Sendable {
    var key: String
    var building: String
    var unit: String
    var room: String

    enum Columns {
        static let key = Column("household")
        static let building = Column("building")
        static let unit = Column("unit")
        static let room = Column("room")
    }

    init(row: SQLRow) throws {
        key = try row.decode(forColumn: Columns.key)
        building = try row.decode(forColumn: Columns.building)
        unit = try row.decode(forColumn: Columns.unit)
        room = try row.decode(forColumn: Columns.room)
    }
}

/// A resident with their household's address: what answers and reports show.
struct ResidentAtHome: RowDecodable, Sendable {
    var resident: ResidentRecord
    var household: HouseholdRecord

    /// The select list that reads one (`r` is `resident`, `h` its `household`).
    static let columns = """
        r.id, r.code, r.name, r.id_number, r.phone, r.site_id, r.priority, r.single_tube, r.walk_in, r.homebound, r.household_id,
        h.key AS household, h.building, h.unit, h.room
        """

    init(row: SQLRow) throws {
        resident = try ResidentRecord(row: row)
        household = try HouseholdRecord(row: row)
    }

    /// The resident as answers show them, numbers masked (rule 8).
    var view: ResidentView {
        ResidentView(
            code: resident.code, name: resident.name, idNumber: PersonalData.maskNationalID(resident.idNumber),
            phone: PersonalData.maskPhone(resident.phone), site: resident.siteID, building: household.building,
            unit: household.unit, room: household.room, household: household.key, priority: resident.priority,
            singleTube: resident.singleTube, walkIn: resident.walkIn)
    }
}

/// A resident at home with their outcome this round, if any: one line of a
/// coverage or retest list.
struct PersonLineRow: RowDecodable, Sendable {
    var person: ResidentAtHome
    var outcome: Outcome?
    var standing: Standing?
    var reason: MissingReason?
    var reasonFound: Bool?

    enum Columns {
        static let status = Column("status")
        static let standing = Column("standing")
        static let reason = Column("reason")
        static let reasonFound = Column("reason_found")
    }

    init(row: SQLRow) throws {
        person = try ResidentAtHome(row: row)
        outcome = try row.decode(forColumn: Columns.status)
        standing = try row.decode(forColumn: Columns.standing)
        reason = try row.decode(forColumn: Columns.reason)
        reasonFound = try row.decode(forColumn: Columns.reasonFound)
    }

    var line: PersonLine {
        PersonLine(
            code: person.resident.code, name: person.resident.name, phone: PersonalData.maskPhone(person.resident.phone),
            building: person.household.building, unit: person.household.unit, room: person.household.room,
            household: person.household.key, outcome: outcome, standing: standing == .cleared ? nil : standing, reason: reason,
            reasonFound: reason == nil ? nil : reasonFound)
    }
}
