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
        guard year >= 1, (1...12).contains(month), day >= 1, day <= CivilDate.days(in: month, of: year), hour <= 23, minute <= 59,
            second <= 59
        else { return nil }
        let days = CivilDate.daysSince1970(year: year, month: month, day: day)
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
        let (year, month, day) = CivilDate.civil(days)
        let sign = offset < 0 ? "-" : "+"
        let year4 = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return year4 + TwoDigits.text(month) + TwoDigits.text(day) + TwoDigits.text(seconds / 3600)
            + TwoDigits.text(seconds % 3600 / 60) + TwoDigits.text(seconds % 60) + sign + TwoDigits.text(abs(offset) / 3600)
            + TwoDigits.text(abs(offset) % 3600 / 60)
    }
}
