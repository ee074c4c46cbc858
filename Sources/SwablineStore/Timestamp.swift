import Foundation

/// Times as the store keeps them and the wire carries them: RFC 3339 in UTC
/// with milliseconds, which sort as text in time order.
public enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    private static let plain = Date.ISO8601FormatStyle(timeZone: .gmt)

    public static func string(_ date: Date) -> String { date.formatted(style) }

    /// Parses RFC 3339 with or without fractional seconds.
    public static func date(_ text: String) -> Date? {
        (try? style.parse(text)) ?? (try? plain.parse(text))
    }
}
