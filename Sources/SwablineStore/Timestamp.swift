import Foundation
import SwablineCore

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

    /// Parses RFC 3339 with or without fractional seconds. The shape is
    /// checked first: Foundation also takes a six-digit year and text
    /// after the seconds ("182022-04-05T10:30:00.3z7+08:00"), which would
    /// be stored as a time that neither reads back nor sorts as text.
    public static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard isRFC3339(bytes) else { return nil }
        return fields(bytes) ?? foundationDate(text)
    }

    /// What Foundation reads `text` as: the fallback for the rare shapes
    /// `fields` leaves to it, and the reference its test compares with.
    static func foundationDate(_ text: String) -> Date? {
        (try? style.parse(text)) ?? (try? plain.parse(text))
    }

    /// A checked RFC 3339 text read by arithmetic: Foundation's parser was
    /// 7 % of a lab delivery's CPU (`tested_at` and the first swab, for
    /// every tube). Nil for what it leaves to Foundation: a year
    /// before 1900, a field out of range (month 13, 30 February, second 60).
    static func fields(_ bytes: [UInt8]) -> Date? {
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 &- 0x30) } }
        let year = number(0..<4), month = number(5..<7), day = number(8..<10)
        let hour = number(11..<13), minute = number(14..<16), second = number(17..<19)
        guard year >= 1900, (1...12).contains(month), day >= 1, day <= CivilDate.days(in: month, of: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            let start = index + 1
            index = start
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            fraction = Double(number(start..<index)) / pow(10, Double(index - start))
        }
        var offset = 0
        if bytes.count - index == 6 {
            let (hours, minutes) = (number(index + 1..<index + 3), number(index + 4..<index + 6))
            guard hours < 24, minutes < 60 else { return nil }
            offset = (bytes[index] == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        let seconds = CivilDate.daysSince1970(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// A stored time's wall-clock fields in a site's time zone (pages and
    /// isolation days use the site's local time, not UTC's); nil for a time
    /// or zone that does not read.
    public static func local(_ text: String, timeZone: String) -> DateComponents? {
        guard let date = date(text), let zone = TimeZone(identifier: timeZone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    /// The local calendar day (`YYYY-MM-DD`) of a stored time in a site's time zone.
    public static func localDay(_ text: String, timeZone: String) -> String? {
        local(text, timeZone: timeZone).map { "\($0.year!)-\(TwoDigits.text($0.month!))-\(TwoDigits.text($0.day!))" }
    }

    /// `YYYY-MM-DDTHH:MM:SS`, an optional fraction, then `Z` or `±HH:MM`.
    static func isRFC3339(_ bytes: [UInt8]) -> Bool {
        func digits(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { (0x30...0x39).contains($0) } }
        func at(_ index: Int, _ char: Character) -> Bool { bytes[index] == char.asciiValue! }
        guard bytes.count >= 20, digits(0..<4), at(4, "-"), digits(5..<7), at(7, "-"), digits(8..<10),
            bytes[10] | 0x20 == UInt8(ascii: "t"), digits(11..<13), at(13, ":"), digits(14..<16), at(16, ":"), digits(17..<19)
        else { return false }
        var index = 19
        if at(index, ".") {
            let start = index + 1
            index = start
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard (1...9).contains(index - start) else { return false }
        }
        let zone = bytes.count - index
        if zone == 1 { return bytes[index] | 0x20 == UInt8(ascii: "z") }
        return zone == 6 && (at(index, "+") || at(index, "-")) && digits(index + 1..<index + 3) && at(index + 3, ":")
            && digits(index + 4..<index + 6)
    }
}
