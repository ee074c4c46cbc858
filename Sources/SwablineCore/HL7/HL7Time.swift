import Foundation

/// An HL7 DTM as Swabline takes it: `YYYYMMDDHHMM[SS[.S{1,4}]][+/-ZZZZ]`.
///
/// At least minutes are required (a date alone cannot say when a tube was
/// tested). The offset is kept apart because it may be missing: HL7 then
/// means the sender's local time, which Swabline can only place if MSH-7
/// says what the sender's offset is (`date(defaultOffset:)`).
public struct HL7Time: Sendable, Hashable {
    /// The wall-clock reading as seconds since 1970-01-01 00:00 of that
    /// same wall clock (the time as if the offset were zero).
    public var wallClock: Double
    /// Seconds east of UTC, when the text carries one.
    public var utcOffset: Int?

    /// The time `text` names, or nil when it is not a DTM of that form or
    /// names a day, hour or offset that does not exist.
    public init?(_ text: String) {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for byte in b[from..<from + count] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(4, 2), let day = number(6, 2), let hour = number(8, 2),
            let minute = number(10, 2)
        else { return nil }
        var index = 12
        var second = 0
        var fraction = 0.0
        if index < b.count, (0x30...0x39).contains(b[index]) {
            guard let s = number(index, 2) else { return nil }
            second = s
            index += 2
            if index < b.count, b[index] == UInt8(ascii: ".") {
                index += 1
                let digits = b[index...].prefix { (0x30...0x39).contains($0) }
                guard (1...4).contains(digits.count), let f = number(index, digits.count) else { return nil }
                fraction = Double(f) / pow(10, Double(digits.count))
                index += digits.count
            }
        }
        var offset: Int?
        if index < b.count {
            guard b[index] == UInt8(ascii: "+") || b[index] == UInt8(ascii: "-"), b.count == index + 5,
                let hours = number(index + 1, 2), let minutes = number(index + 3, 2), hours <= 14, minutes <= 59
            else { return nil }
            offset = (b[index] == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= Self.days(in: month, of: year), hour <= 23, minute <= 59,
            second <= 59
        else { return nil }
        let days = Self.daysSince1970(year: year, month: month, day: day)
        wallClock = Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction
        utcOffset = offset
    }

    /// The instant: with the text's own offset, else with `defaultOffset`
    /// (MSH-7's), else nil.
    public func date(defaultOffset: Int? = nil) -> Date? {
        guard let offset = utcOffset ?? defaultOffset else { return nil }
        return Date(timeIntervalSince1970: wallClock - Double(offset))
    }

    /// `date` as `YYYYMMDDHHMMSS+ZZZZ` on a clock `utcOffset` seconds east
    /// of UTC (whole minutes; seconds of the offset are dropped). Fractions
    /// of a second are dropped: HL7 receivers compare to the second.
    public static func string(_ date: Date, utcOffset: Int = 0) -> String {
        let offset = utcOffset / 60 * 60
        let local = Int(floor(date.timeIntervalSince1970)) + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = local - days * 86_400
        let (year, month, day) = civil(days)
        let sign = offset < 0 ? "-" : "+"
        let year4 = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return year4 + TwoDigits.text(month) + TwoDigits.text(day) + TwoDigits.text(seconds / 3600)
            + TwoDigits.text(seconds % 3600 / 60) + TwoDigits.text(seconds % 60) + sign + TwoDigits.text(abs(offset) / 3600)
            + TwoDigits.text(abs(offset) % 3600 / 60)
    }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day `days` after 1970-01-01 (`civil_from_days`).
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
