import SwablineCore
import TOMLKit

extension SiteFile {
    /// Reads typed values out of `site.toml`'s table, noting a problem for
    /// each one missing or malformed and carrying on, so one pass finds them all.
    struct Fields {
        let table: TOMLTable
        let file: String
        var problems: [SiteProblem] = []

        init(table: TOMLTable, file: String) {
            self.table = table
            self.file = file
        }

        mutating func string(_ key: String, in table: TOMLTable? = nil, prefix: String = "") -> String? {
            guard let value = (table ?? self.table)[key] else {
                problems.append(.init(file: file, line: nil, field: prefix + key, why: "is missing"))
                return nil
            }
            guard let text = value.string, !text.isEmpty else {
                problems.append(.init(file: file, line: nil, field: prefix + key, why: "must be a non-empty string"))
                return nil
            }
            return text
        }

        mutating func code(_ key: String, in table: TOMLTable? = nil, prefix: String = "") -> String? {
            guard let text = string(key, in: table, prefix: prefix) else { return nil }
            if let why = Codes.problem(text) {
                problems.append(.init(file: file, line: nil, field: prefix + key, why: why))
                return nil
            }
            return text
        }

        mutating func time(_ key: String, in table: TOMLTable? = nil, prefix: String = "") -> LocalTime? {
            guard let text = string(key, in: table, prefix: prefix) else { return nil }
            guard let value = LocalTime(text) else {
                problems.append(.init(file: file, line: nil, field: prefix + key, why: "must be a time like \"07:30\", not \"\(text)\""))
                return nil
            }
            return value
        }

        mutating func oneOf<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) -> T? where T.RawValue == String {
            guard let text = string(key) else { return nil }
            guard let value = T(rawValue: text) else {
                problems.append(.init(file: file, line: nil, field: key,
                    why: "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\""))
                return nil
            }
            return value
        }

        mutating func tables(_ key: String) -> [TOMLTable] {
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
    }
}
