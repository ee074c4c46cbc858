import SwablineCore

extension SiteFile {
    /// Text that the toml++ 3.4 inside TOMLKit 0.6 cannot be given: on it
    /// toml++ fails an assertion, which aborts the process (and with
    /// `NDEBUG` is undefined behaviour), instead of answering a parse
    /// error. Found by `Fuzz/` (FuzzSiteTOML); refused here, by line:
    ///
    /// - a table header that does not start with a name (`[#`, `[=`,
    ///   `[.a]`, `[[[a]]]`, a `[` alone), fixed upstream after 3.4
    ///   (marzer/tomlplusplus#301);
    /// - a date and `T` with no time after it (`1979-05-27T:`, `…T"07:30"`);
    /// - a `}` where an array expects a value (`[}`, `[1,\n}`).
    ///
    /// Strings and comments are not told apart, so such text inside a
    /// string value is refused too: `site.toml` has no use for it. Drop
    /// this check once TOMLKit ships a toml++ without these assertions.
    static func unparsableProblem(_ text: String, file: String) -> SiteProblem? {
        for (index, line) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let bytes = Array(line)
            if headerWithoutName(bytes) {
                return SiteProblem(file: file, line: index + 1, field: "toml", why: "a table header must start with a name, such as [[stations]]")
            }
            if dateWithoutTime(bytes) {
                return SiteProblem(file: file, line: index + 1, field: "toml", why: "a date and 'T' must be followed by a time, such as 1979-05-27T07:30:00")
            }
        }
        if let line = braceAsValue(Array(text.utf8)) {
            return SiteProblem(file: file, line: line, field: "toml", why: "'}' cannot stand where a value is expected")
        }
        return nil
    }

    /// The line of a `}` that follows `[` or `,` with only blanks, line
    /// breaks and comments between, outside quoted strings.
    static func braceAsValue(_ bytes: [UInt8]) -> Int? {
        var line = 1, afterOpening = false, inComment = false, quote: UInt8? = nil, escaped = false
        for byte in bytes {
            if byte == UInt8(ascii: "\n") { line += 1; inComment = false }
            if let open = quote {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") && open == UInt8(ascii: "\"") { escaped = true } else if byte == open { quote = nil }
                continue
            }
            if inComment || byte == UInt8(ascii: "\n") { continue }
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: ","): afterOpening = true
            case UInt8(ascii: "}") where afterOpening: return line
            case UInt8(ascii: "#"): inComment = true
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte; afterOpening = false
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
            default: afterOpening = false
            }
        }
        return nil
    }

    private static func blank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
    private static func digit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    private static let nameStart = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-\"']".utf8)

    /// `[`, or `[[`, then blanks, then anything but a name, a quote or `]`.
    static func headerWithoutName(_ line: [UInt8]) -> Bool {
        var rest = line.drop(while: blank)
        guard rest.first == UInt8(ascii: "[") else { return false }
        rest = rest.dropFirst()
        if rest.first == UInt8(ascii: "[") { rest = rest.dropFirst() }
        rest = rest.drop(while: blank)
        guard let first = rest.first else { return true }
        return !nameStart.contains(first)
    }

    /// `DDDD-DD-DD` then `T` or `t` then anything but a digit.
    static func dateWithoutTime(_ line: [UInt8]) -> Bool {
        guard line.count >= 11 else { return false }
        let shape: [UInt8?] = [nil, nil, nil, nil, UInt8(ascii: "-"), nil, nil, UInt8(ascii: "-"), nil, nil]
        for start in 0...(line.count - 11) where line[start + 10] | 0x20 == UInt8(ascii: "t") {
            let isDate = shape.indices.allSatisfy { offset in
                shape[offset].map { line[start + offset] == $0 } ?? digit(line[start + offset])
            }
            if isDate && (start + 11 == line.count || !digit(line[start + 11])) { return true }
        }
        return false
    }
}
