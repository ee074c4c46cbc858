import CSV
import Foundation
import SwablineCore
import TOMLKit

/// A site read from its folder: the definition and the roster.
public struct LoadedSite: Sendable {
    public var folder: String
    public var definition: SiteDefinition
    public var roster: [RosterEntry]

    public init(folder: String, definition: SiteDefinition, roster: [RosterEntry]) {
        self.folder = folder
        self.definition = definition
        self.roster = roster
    }
}

/// Reads `sites/`: one folder per compound, each with `site.toml` and
/// `roster.csv`. Collects every problem instead of stopping at the first, so
/// `swabline sites check` names them all.
public enum SiteDirectory {
    public struct Report: Sendable {
        public var sites: [LoadedSite]
        public var problems: [SiteProblem]
    }

    /// A cheap fingerprint of each site folder (name, and size and
    /// modification time of its two files), to tell whether anything
    /// changed since the last import without reading the rosters.
    public static func digests(_ path: String) -> [String: String] {
        let fm = FileManager.default
        var result: [String: String] = [:]
        for folder in (try? fm.contentsOfDirectory(atPath: path)) ?? [] where !folder.hasPrefix(".") {
            let full = (path as NSString).appendingPathComponent(folder)
            result[folder] = ["site.toml", "roster.csv"].map { file -> String in
                let attributes = try? fm.attributesOfItem(atPath: (full as NSString).appendingPathComponent(file))
                let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
                let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
                return "\(file):\(size):\(modified)"
            }.joined(separator: ";")
        }
        return result
    }

    public static func load(_ path: String) -> Report {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return Report(sites: [], problems: [.init(file: path, line: nil, field: "folder", why: "is not a folder")])
        }
        let folders = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted().filter { name in
            var dir: ObjCBool = false
            let full = (path as NSString).appendingPathComponent(name)
            return !name.hasPrefix(".") && fm.fileExists(atPath: full, isDirectory: &dir) && dir.boolValue
        }
        var report = Report(sites: [], problems: [])
        for folder in folders {
            let full = (path as NSString).appendingPathComponent(folder)
            switch loadSite(full) {
            case let .success(site): report.sites.append(site)
            case let .failure(list): report.problems += list.problems
            }
        }
        if folders.isEmpty {
            report.problems.append(.init(file: path, line: nil, field: "folder", why: "holds no site folders"))
        }
        report.problems += crossSiteProblems(report.sites, root: path)
        return report
    }

    static func loadSite(_ folder: String) -> Result<LoadedSite, SiteProblems> {
        let tomlPath = (folder as NSString).appendingPathComponent("site.toml")
        let csvPath = (folder as NSString).appendingPathComponent("roster.csv")
        var problems: [SiteProblem] = []
        let definition: SiteDefinition?
        switch readText(tomlPath) {
        case let .success(text):
            switch SiteFile.parse(text, file: tomlPath) {
            case let .success(value): definition = value
            case let .failure(list): definition = nil; problems += list.problems
            }
        case let .failure(problem): definition = nil; problems.append(problem)
        }
        var roster: [RosterEntry] = []
        switch readText(csvPath) {
        case let .success(text):
            let (entries, rosterProblems) = RosterFile.parse(text, file: csvPath)
            roster = entries
            problems += rosterProblems
        case let .failure(problem): problems.append(problem)
        }
        if let definition, problems.isEmpty {
            problems += slotProblems(definition, roster: roster, file: tomlPath)
        }
        guard let definition, problems.isEmpty else { return .failure(SiteProblems(problems)) }
        return .success(LoadedSite(folder: folder, definition: definition, roster: roster))
    }

    static func readText(_ path: String) -> Result<String, SiteProblem> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(.init(file: path, line: nil, field: "file", why: "is missing or unreadable"))
        }
        return text(data, file: path)
    }

    /// A site file's bytes as text: UTF-8, with or without the byte-order
    /// mark spreadsheets write; anything else (GBK, UTF-16) is named, not misread.
    static func text(_ data: Data, file: String) -> Result<String, SiteProblem> {
        // The standard library's check, not Foundation's `String(data:encoding:)`, which drops a
        // byte-order mark itself, so a file starting with two lost both.
        guard var text = String(validating: data, as: UTF8.self) else {
            return .failure(.init(file: file, line: nil, field: "file", why: "is not UTF-8 text"))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return .success(text)
    }

    /// Every building named in a slot must exist in the roster.
    static func slotProblems(_ site: SiteDefinition, roster: [RosterEntry], file: String) -> [SiteProblem] {
        let buildings = Set(roster.map(\.building))
        return site.slots.filter { !buildings.contains($0.building) }.map {
            SiteProblem(file: file, line: nil, field: "slots.building", why: "building \($0.building) has no residents in roster.csv")
        }
    }

    /// Site ids and resident codes must be unique across all sites.
    static func crossSiteProblems(_ sites: [LoadedSite], root: String) -> [SiteProblem] {
        var problems: [SiteProblem] = []
        var ids: [String: String] = [:]
        var codes: [String: String] = [:]
        for site in sites {
            if let other = ids[site.definition.id] {
                problems.append(.init(file: site.folder + "/site.toml", line: nil, field: "id",
                    why: "\(site.definition.id) is already the id of \(other)"))
            }
            ids[site.definition.id] = site.folder
            for entry in site.roster {
                if let other = codes[entry.code], other != site.folder {
                    problems.append(.init(file: site.folder + "/roster.csv", line: nil, field: "resident_code",
                        why: "\(entry.code) is also listed in \(other)"))
                }
                codes[entry.code] = site.folder
            }
        }
        return problems
    }
}

/// `site.toml`.
enum SiteFile {
    static func parse(_ text: String, file: String) -> Result<SiteDefinition, SiteProblems> {
        if let problem = unparsableProblem(text, file: file) { return .failure(SiteProblems([problem])) }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            return .failure(SiteProblems([.init(file: file, line: error.source.begin.line, field: "toml", why: error.description)]))
        } catch {
            return .failure(SiteProblems([.init(file: file, line: nil, field: "toml", why: "\(error)")]))
        }
        var problems: [SiteProblem] = []
        func string(_ key: String, in table: TOMLTable = table, prefix: String = "") -> String? {
            guard let value = table[key] else {
                problems.append(.init(file: file, line: nil, field: prefix + key, why: "is missing"))
                return nil
            }
            guard let text = value.string, !text.isEmpty else {
                problems.append(.init(file: file, line: nil, field: prefix + key, why: "must be a non-empty string"))
                return nil
            }
            return text
        }
        func code(_ key: String, in table: TOMLTable = table, prefix: String = "") -> String? {
            guard let text = string(key, in: table, prefix: prefix) else { return nil }
            if let why = Codes.problem(text) {
                problems.append(.init(file: file, line: nil, field: prefix + key, why: why))
                return nil
            }
            return text
        }
        func time(_ key: String, in table: TOMLTable = table, prefix: String = "") -> LocalTime? {
            guard let text = string(key, in: table, prefix: prefix) else { return nil }
            guard let value = LocalTime(text) else {
                problems.append(.init(file: file, line: nil, field: prefix + key, why: "must be a time like \"07:30\", not \"\(text)\""))
                return nil
            }
            return value
        }
        func oneOf<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) -> T? where T.RawValue == String {
            guard let text = string(key) else { return nil }
            guard let value = T(rawValue: text) else {
                problems.append(.init(file: file, line: nil, field: key,
                    why: "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\""))
                return nil
            }
            return value
        }
        func tables(_ key: String) -> [TOMLTable] {
            guard let value = table[key] else { return [] }
            guard let array = value.array else {
                problems.append(.init(file: file, line: nil, field: key, why: "must be an array of tables ([[\(key)]])"))
                return []
            }
            return array.enumerated().compactMap { index, element in
                if let t = element.table { return t }
                problems.append(.init(file: file, line: nil, field: "\(key)[\(index)]", why: "must be a table"))
                return nil
            }
        }

        let id = code("id"), name = string("name"), address = string("address")
        let timeZone = string("time_zone")
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            problems.append(.init(file: file, line: nil, field: "time_zone", why: "\(timeZone) is not a known time zone"))
        }
        let zone = oneOf("zone", Zone.self), poolMode = oneOf("pool_mode", TubeMode.self)
        if let zone, let poolMode, !zone.allows(poolMode) {
            problems.append(.init(file: file, line: nil, field: "pool_mode",
                why: "\(poolMode.rawValue) is not allowed in a \(zone.rawValue) zone"))
        }
        let lab = code("lab"), opens = time("opens"), closes = time("closes")
        if let opens, let closes, opens >= closes {
            problems.append(.init(file: file, line: nil, field: "closes", why: "must be later than opens"))
        }
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
        guard problems.isEmpty, let id, let name, let address, let timeZone, let zone, let poolMode, let lab, let opens,
            let closes
        else { return .failure(SiteProblems(problems)) }
        return .success(
            SiteDefinition(
                id: id, name: name, address: address, timeZone: timeZone, zone: zone, poolMode: poolMode, lab: lab,
                opens: opens, closes: closes, stations: stations, slots: slots))
    }
}

/// `roster.csv`.
enum RosterFile {
    static func parse(_ text: String, file: String) -> ([RosterEntry], [SiteProblem]) {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            return ([], [.init(file: file, line: 1, field: "header", why: "cannot be read: \(error)")])
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        let missing = RosterCheck.columns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            return ([], [.init(file: file, line: 1, field: "header", why: "lacks column(s) \(missing.joined(separator: ", "))")])
        }
        var problems: [SiteProblem] = []
        var entries: [(line: Int, entry: RosterEntry)] = []
        var line = 1
        while let row = reader.next() {
            line += 1
            if row.count == 1, row[0].isEmpty { continue }  // a blank line
            if row.contains(where: { $0.contains("\n") || $0.contains("\r") }) {
                problems.append(.init(file: file, line: line, field: "row", why: "a field holds a line break"))
                line += row.reduce(0) { $0 + $1.filter { $0 == "\n" }.count }
                continue
            }
            guard row.count == header.count else {
                problems.append(.init(file: file, line: line, field: "row", why: "has \(row.count) fields, the header has \(header.count)"))
                continue
            }
            let fields = Dictionary(zip(header, row), uniquingKeysWith: { first, _ in first })
            switch RosterCheck.entry(fields, file: file, line: line) {
            case let .success(entry): entries.append((line, entry))
            case let .failure(list): problems += list.problems
            }
        }
        if let error = reader.error {
            problems.append(.init(file: file, line: line, field: "row", why: "cannot be read: \(error)"))
        }
        problems += RosterCheck.crossCheck(entries, file: file)
        return (entries.map(\.entry), problems)
    }
}
