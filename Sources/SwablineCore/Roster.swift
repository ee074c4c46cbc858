/// One resident as a roster lists them.
public struct RosterEntry: Sendable, Hashable {
    public var code: String
    public var name: String
    public var idNumber: String
    public var phone: String
    public var building: String
    public var unit: String
    public var room: String
    public var household: String
    public var priority: Bool
    public var singleTube: Bool
    /// Cannot come down (bedridden, frail): sampled at home (上门采样). An optional column.
    public var homebound: Bool

    public init(
        code: String, name: String, idNumber: String, phone: String, building: String, unit: String, room: String,
        household: String, priority: Bool, singleTube: Bool, homebound: Bool = false
    ) {
        self.homebound = homebound
        self.code = code
        self.name = name
        self.idNumber = idNumber
        self.phone = phone
        self.building = building
        self.unit = unit
        self.room = room
        self.household = household
        self.priority = priority
        self.singleTube = singleTube
    }

    /// The key of a new walk-in household: `building-unit-room`, the
    /// rosters' own form, with any `-` (and `%`) inside a part written as
    /// `%2D` (`%25`), so building `72-3`, unit `4`, room `5` and building
    /// `72`, unit `3-4`, room `5` get two keys, and each key names one
    /// address.
    public static func householdKey(building: String, unit: String, room: String) -> String {
        func part(_ text: String) -> String {
            text.map { $0 == "%" ? "%25" : $0 == "-" ? "%2D" : String($0) }.joined()
        }
        return "\(part(building))-\(part(unit))-\(part(room))"
    }
}

/// A bad field in a site file, named so a person can find and fix it.
public struct SiteProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String
    public var why: String

    public init(file: String, line: Int?, field: String, why: String) {
        self.file = file
        self.line = line
        self.field = field
        self.why = why
    }

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(field): \(why)"
    }
}

/// Several site problems at once.
public struct SiteProblems: Error, Sendable {
    public var problems: [SiteProblem]
    public init(_ problems: [SiteProblem]) { self.problems = problems }
}

/// Checks roster rows: every field a person would get wrong, all rows at
/// once, so one pass over `swabline sites check` names every mistake.
public enum RosterCheck {
    public static let columns = [
        "resident_code", "name", "id_number", "phone", "building", "unit", "room", "household", "priority",
        "single_tube",
    ]

    /// Validates one row's fields (by column name) into an entry.
    public static func entry(
        _ fields: [String: String], file: String, line: Int
    ) -> Result<RosterEntry, SiteProblems> {
        var problems: [SiteProblem] = []
        func value(_ column: String) -> String {
            fields[column, default: ""].trimmingWhitespace()
        }
        func require(_ column: String, maxLength: Int = 64) -> String {
            let v = value(column)
            if v.isEmpty {
                problems.append(.init(file: file, line: line, field: column, why: "is empty"))
            } else if v.count > maxLength {
                problems.append(.init(file: file, line: line, field: column, why: "is longer than \(maxLength) characters"))
            } else if v.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                problems.append(.init(file: file, line: line, field: column, why: "holds a control character"))
            }
            return v
        }
        func flag(_ column: String) -> Bool {
            switch value(column).lowercased() {
            case "", "0", "false", "no", "n": return false
            case "1", "true", "yes", "y": return true
            default:
                problems.append(.init(file: file, line: line, field: column, why: "must be 1 or 0, not '\(value(column))'"))
                return false
            }
        }
        let code = value("resident_code")
        if let why = Codes.problem(code) {
            problems.append(.init(file: file, line: line, field: "resident_code", why: why))
        }
        let name = require("name")
        let idNumber = value("id_number").uppercased()
        if let why = PersonalData.nationalIDProblem(idNumber) {
            problems.append(.init(file: file, line: line, field: "id_number", why: why))
        }
        let phone = value("phone")
        if let why = PersonalData.phoneProblem(phone) {
            problems.append(.init(file: file, line: line, field: "phone", why: why))
        }
        let building = require("building"), unit = require("unit"), room = require("room")
        let household = require("household")
        let priority = flag("priority"), singleTube = flag("single_tube"), homebound = flag("homebound")
        guard problems.isEmpty else { return .failure(SiteProblems(problems)) }
        return .success(
            RosterEntry(
                code: code, name: name, idNumber: idNumber, phone: phone, building: building, unit: unit, room: room,
                household: household, priority: priority, singleTube: singleTube, homebound: homebound))
    }

    /// Checks what only the whole roster shows: codes and ID numbers used
    /// twice, household members living at different addresses.
    public static func crossCheck(_ entries: [(line: Int, entry: RosterEntry)], file: String) -> [SiteProblem] {
        var problems: [SiteProblem] = []
        var codes: [String: Int] = [:], ids: [String: Int] = [:]
        var homes: [String: (line: Int, address: String)] = [:]
        for (line, entry) in entries {
            if let first = codes[entry.code] {
                problems.append(.init(file: file, line: line, field: "resident_code", why: "\(entry.code) is already used on line \(first)"))
            } else {
                codes[entry.code] = line
            }
            if let first = ids[entry.idNumber] {
                problems.append(.init(file: file, line: line, field: "id_number", why: "the same ID number is already on line \(first)"))
            } else {
                ids[entry.idNumber] = line
            }
            let address = "\(entry.building)/\(entry.unit)/\(entry.room)"
            if let home = homes[entry.household], home.address != address {
                problems.append(.init(file: file, line: line, field: "household",
                    why: "household \(entry.household) lives at \(home.address) on line \(home.line), not \(address)"))
            } else if homes[entry.household] == nil {
                homes[entry.household] = (line, address)
            }
        }
        return problems
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
