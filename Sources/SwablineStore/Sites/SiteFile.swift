import Foundation
import SwablineCore
import TOMLKit

/// `site.toml`.
enum SiteFile {
    /// The site's definition, or every problem found: each section is read
    /// even after another failed, so `swabline sites check` names them all.
    static func parse(_ text: String, file: String) -> Result<SiteDefinition, SiteProblems> {
        let table: TOMLTable
        switch readTable(text, file: file) {
        case let .success(value): table = value
        case let .failure(problems): return .failure(problems)
        }
        var fields = Fields(table: table, file: file)
        let place = fields.place()
        let rules = fields.rules()
        let stations = fields.stations()
        let slots = fields.slots()
        let campaign = fields.campaign(zone: rules?.zone)
        guard fields.problems.isEmpty, let place, let rules else { return .failure(SiteProblems(fields.problems)) }
        return .success(
            SiteDefinition(
                id: place.id, name: place.name, address: place.address, timeZone: place.timeZone, zone: rules.zone,
                poolMode: rules.poolMode, lab: rules.lab, opens: rules.opens, closes: rules.closes, stations: stations,
                slots: slots, isolationDays: campaign.isolationDays, triageTemperature: campaign.triageTemperature))
    }

    /// The text as TOML, refusing first what would crash toml++ (`SiteFile+Unparsable.swift`).
    static func readTable(_ text: String, file: String) -> Result<TOMLTable, SiteProblems> {
        if let problem = unparsableProblem(text, file: file) { return .failure(SiteProblems([problem])) }
        do {
            return .success(try TOMLTable(string: text))
        } catch let error as TOMLParseError {
            return .failure(SiteProblems([.init(file: file, line: error.source.begin.line, field: "toml", why: error.description)]))
        } catch {
            return .failure(SiteProblems([.init(file: file, line: nil, field: "toml", why: "\(error)")]))
        }
    }
}

extension SiteFile.Fields {
    /// Which site this is: id, name, address and time zone.
    mutating func place() -> (id: String, name: String, address: String, timeZone: String)? {
        let id = code("id"), name = string("name"), address = string("address")
        let timeZone = string("time_zone")
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            problems.append(.init(file: file, line: nil, field: "time_zone", why: "\(timeZone) is not a known time zone"))
        }
        guard let id, let name, let address, let timeZone else { return nil }
        return (id, name, address, timeZone)
    }

    /// How it samples: zone and pool mode (the zone bounds the mode), lab, opening hours.
    mutating func rules() -> (zone: Zone, poolMode: TubeMode, lab: String, opens: LocalTime, closes: LocalTime)? {
        let zone = oneOf("zone", Zone.self), poolMode = oneOf("pool_mode", TubeMode.self)
        if let zone, let poolMode, !zone.allows(poolMode) {
            problems.append(.init(file: file, line: nil, field: "pool_mode",
                why: "\(poolMode.rawValue) is not allowed in a \(zone.rawValue) zone"))
        }
        let lab = code("lab"), opens = time("opens"), closes = time("closes")
        if let opens, let closes, opens >= closes {
            problems.append(.init(file: file, line: nil, field: "closes", why: "must be later than opens"))
        }
        guard let zone, let poolMode, let lab, let opens, let closes else { return nil }
        return (zone, poolMode, lab, opens, closes)
    }

    /// `[[stations]]`: at least one, ids unique.
    mutating func stations() -> [SiteDefinition.Station] {
        var stations: [SiteDefinition.Station] = []
        for (index, t) in tables("stations").enumerated() {
            if let sid = code("id", in: t, prefix: "stations[\(index)]."), let sname = string("name", in: t, prefix: "stations[\(index)].") {
                if stations.contains(where: { $0.id == sid }) {
                    problems.append(.init(file: file, line: nil, field: "stations[\(index)].id", why: "\(sid) is listed twice"))
                }
                stations.append(.init(id: sid, name: sname))
            }
        }
        if stations.isEmpty, !problems.contains(where: { $0.field.hasPrefix("stations") }) {
            problems.append(.init(file: file, line: nil, field: "stations", why: "a site needs at least one station"))
        }
        return stations
    }

    /// Optional: `triage_temperature = true` (the gate asks for a
    /// temperature), and `[isolation_days]` with days per zone (`sealed = 14`);
    /// the site's own zone's days count, 7 when not given.
    mutating func campaign(zone: Zone?) -> (isolationDays: Int, triageTemperature: Bool) {
        var triage = false
        if let value = table["triage_temperature"] {
            if let flag = value.bool { triage = flag } else {
                problems.append(.init(file: file, line: nil, field: "triage_temperature", why: "must be true or false"))
            }
        }
        var days = SiteDefinition.defaultIsolationDays
        if let value = table["isolation_days"] {
            guard let perZone = value.table else {
                problems.append(.init(file: file, line: nil, field: "isolation_days", why: "must be a table of days per zone ([isolation_days])"))
                return (days, triage)
            }
            for key in perZone.keys {
                let field = "isolation_days.\(key)"
                guard let zoneKey = Zone(rawValue: key) else {
                    problems.append(.init(file: file, line: nil, field: field,
                        why: "is not a zone: \(Zone.allCases.map(\.rawValue).joined(separator: ", "))"))
                    continue
                }
                guard let number = perZone[key]?.int, (1...28).contains(number) else {
                    problems.append(.init(file: file, line: nil, field: field, why: "must be a whole number of days from 1 to 28"))
                    continue
                }
                if zoneKey == zone { days = number }
            }
        }
        return (days, triage)
    }

    /// `[[slots]]`: a building's calling time, `from` before `to`.
    mutating func slots() -> [SiteDefinition.Slot] {
        var slots: [SiteDefinition.Slot] = []
        for (index, t) in tables("slots").enumerated() {
            let prefix = "slots[\(index)]."
            if let building = string("building", in: t, prefix: prefix), let from = time("from", in: t, prefix: prefix),
                let to = time("to", in: t, prefix: prefix)
            {
                if from >= to {
                    problems.append(.init(file: file, line: nil, field: prefix + "to", why: "must be later than from"))
                }
                slots.append(.init(building: building, from: from, to: to))
            }
        }
        return slots
    }
}
