/// The codes that scanners type: resident codes, tube and box barcodes,
/// site, station and lab ids.
///
/// Scanners type printable ASCII; anything else (a stray control character,
/// a wrong keyboard layout, a 4 KB paste) is refused before it reaches the
/// store, so a code in a URL, a log line or a page is always safe to show.
public enum Codes {
    public static let maxLength = 64

    /// Why `value` is not a valid code, or nil when it is.
    public static func problem(_ value: String) -> String? {
        if value.isEmpty { return "is empty" }
        if value.utf8.count > maxLength { return "is longer than \(maxLength) characters" }
        let ok = value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
        return ok ? nil : "may only hold letters A–Z, digits, '-', '_' and '.'"
    }
}
