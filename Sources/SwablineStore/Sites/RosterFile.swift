import CSV
import Foundation
import SwablineCore

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
