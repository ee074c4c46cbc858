import Foundation
import Hummingbird

/// The fields of a posted HTML form (`application/x-www-form-urlencoded`).
struct PageForm {
    var fields: [String: String]

    /// Forms are small; anything bigger than this is not one of ours.
    static let maxSize = 16 * 1024
    /// A form that carries a file's text (a roster): as large as an API upload.
    static let uploadSize = 8 * 1024 * 1024

    /// The most a page's form may hold at `path`.
    static func limit(for path: String) -> Int { path.hasSuffix("/roster") ? uploadSize : maxSize }

    static func read(_ request: Request) async throws -> PageForm {
        let buffer = try await BodyReading.collect(request, upTo: maxSize)
        return PageForm(encoded: String(buffer: buffer))
    }

    /// Reads a form body as WHATWG's URL standard does: split on the
    /// bytes `&` and `=` (not on characters, where a stray combining mark
    /// after `&` glued two fields together), `+` is a space, `%XX` a byte,
    /// a `%` without two hex digits stays as it is, and bytes that are not
    /// UTF-8 become U+FFFD. Foundation's `removingPercentEncoding` emptied
    /// a field for one bad escape and dropped a leading U+FEFF.
    init(encoded: String) {
        var fields: [String: String] = [:]
        for pair in encoded.utf8.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            fields[Self.decode(parts[0])] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
        self.fields = fields
    }

    static func decode(_ encoded: Substring.UTF8View) -> String {
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        let input = Array(encoded)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%"), index + 2 < input.count, let high = hex(input[index + 1]), let low = hex(input[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? 0x20 : byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A field, trimmed; empty when absent.
    subscript(_ name: String) -> String { fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }

    /// A field that is present and not empty.
    func optional(_ name: String) -> String? { self[name].isEmpty ? nil : self[name] }

    /// A checkbox: sent only when ticked.
    func checked(_ name: String) -> Bool { fields[name] != nil }
}
