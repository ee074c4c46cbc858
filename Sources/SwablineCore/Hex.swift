/// Lower-case hexadecimal text of bytes (digests, keys), by table:
/// `String(format: "%02x")` per byte goes through Foundation's formatter,
/// and was 7 % of a keyed check-in's CPU (issue #18's profile).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
