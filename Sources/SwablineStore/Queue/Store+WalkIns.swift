import GRDB
import SwablineCore

/// The fields a walk-in gives at the gate (unknown resident code).
public struct WalkIn: Sendable, Equatable {
    public var name: String
    public var idNumber: String
    public var phone: String
    public var building: String
    public var unit: String
    public var room: String
    public var singleTube: Bool

    public init(name: String, idNumber: String, phone: String, building: String, unit: String, room: String, singleTube: Bool = false) {
        self.name = name
        self.idNumber = idNumber
        self.phone = phone
        self.building = building
        self.unit = unit
        self.room = room
        self.singleTube = singleTube
    }
}

extension Store {
    /// Registers a walk-in from the fields given at the gate, joining the
    /// household living at their address. A person already registered (lost
    /// their card, a second code) is not registered twice (rule 3).
    static func registerWalkIn(
        _ db: SQLSession, site: String, code: String, walkIn: WalkIn, priority: Bool, now: String
    ) throws -> ResidentAtHome? {
        let fields = [
            "resident_code": code, "name": walkIn.name, "id_number": walkIn.idNumber, "phone": walkIn.phone,
            "building": walkIn.building, "unit": walkIn.unit, "room": walkIn.room,
            "household": "walk-in",  // placed by address below, once the fields are checked
            "priority": priority ? "1" : "0", "single_tube": walkIn.singleTube ? "1" : "0",
        ]
        switch RosterCheck.entry(fields, file: "walk-in", line: 0) {
        case var .success(entry):
            if let known = try ResidentRecord.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM resident WHERE id_number = ? ORDER BY id LIMIT 1"), arguments: [entry.idNumber])
            {
                throw StoreError.conflict(known.siteID != site ? .idNumberRegisteredElsewhere : .idNumberRegistered(resident: known.code))
            }
            entry.household = try walkInHousehold(db, site: site, building: entry.building, unit: entry.unit, room: entry.room)
            try upsertResident(db, site: site, entry: entry, walkIn: true, now: now)
            return try residentRow(db, code: code)
        case let .failure(problems):
            throw StoreError.invalid(field: problems.problems[0].field, why: problems.problems[0].why)
        }
    }

    /// The household a walk-in joins: the one living at exactly this
    /// building, unit and room, as typed; else a new one, whose key is
    /// made so it can name no other address (`RosterEntry.householdKey`)
    /// and, should a roster already use that key for another address,
    /// gets a suffix. Two addresses never share a household (rule 2 would
    /// call strangers together, and a retest team would knock on the wrong door).
    static func walkInHousehold(_ db: SQLSession, site: String, building: String, unit: String, room: String) throws -> String {
        if let key = try String.fetchOne(
            db.cachedStatement(sql: "SELECT key FROM household WHERE site_id = ? AND building = ? AND unit = ? AND room = ? ORDER BY id LIMIT 1"),
            arguments: [site, building, unit, room])
        {
            return key
        }
        let base = RosterEntry.householdKey(building: building, unit: unit, room: room)
        var key = base
        var suffix = 1
        while try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM household WHERE site_id = ? AND key = ?"), arguments: [site, key]) != nil {
            suffix += 1
            key = "\(base)~\(suffix)"
        }
        return key
    }
}
