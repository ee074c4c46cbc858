import Foundation
import Hummingbird

/// The fields of a posted HTML form (`application/x-www-form-urlencoded`).
struct PageForm {
    var fields: [String: String]

    /// Forms are small; anything bigger than this is not one of ours.
    static let maxSize = 16 * 1024

    static func read(_ request: Request) async throws -> PageForm {
        let buffer = try await request.body.collect(upTo: maxSize)
        return PageForm(encoded: String(buffer: buffer))
    }

    init(encoded: String) {
        var fields: [String: String] = [:]
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        self.fields = fields
    }

    /// A field, trimmed; empty when absent.
    subscript(_ name: String) -> String { fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }

    /// A field that is present and not empty.
    func optional(_ name: String) -> String? { self[name].isEmpty ? nil : self[name] }

    /// A checkbox: sent only when ticked.
    func checked(_ name: String) -> Bool { fields[name] != nil }
}
