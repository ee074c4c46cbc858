import Foundation

/// Times as the store keeps them and the wire carries them: RFC 3339 in UTC
/// with milliseconds, which sort as text in time order.
public enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    private static let plain = Date.ISO8601FormatStyle(timeZone: .gmt)

    /// The time to the nearest millisecond. Foundation's formatter cuts
    /// the fraction instead of rounding it, and a time read from "….073Z"
    /// is 0.07299… s: written as it is, every read and write lost a
    /// millisecond. A fifth of one added makes cutting and rounding agree.
    public static func string(_ date: Date) -> String {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        return Date(timeIntervalSince1970: millis / 1000 + 0.0002).formatted(style)
    }

    /// Parses RFC 3339 with or without fractional seconds.
    public static func date(_ text: String) -> Date? {
        (try? style.parse(text)) ?? (try? plain.parse(text))
    }
}
