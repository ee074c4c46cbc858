import Foundation
import SwablineCore

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
