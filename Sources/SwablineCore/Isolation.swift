import Foundation

/// Home isolation of a household (居家隔离) after a positive or pool-positive
/// result: `days` calendar days from `since` (day 1), with a test due on
/// days 1, 3, 5 … and on the last day (「第1、3、5、7天核酸」). Days are
/// the site's local calendar days, written `YYYY-MM-DD`; the core has no clock,
/// so "today" is always given.
public struct IsolationPlan: Sendable, Hashable, Codable {
    public var since: String
    public var until: String

    /// The plan for `days` days from `since` (at least 1).
    public init?(since: String, days: Int) {
        guard let start = Self.day(since), days >= 1 else { return nil }
        self.since = since
        until = Self.text(start + (days - 1))
    }

    public init(since: String, until: String) {
        self.since = since
        self.until = until
    }

    /// A positive during an isolation extends it; after it ended, starts a new one.
    public func extended(by other: IsolationPlan) -> IsolationPlan {
        if other.since > until { return other }
        return IsolationPlan(since: min(since, other.since), until: max(until, other.until))
    }

    /// The days a test is due: every other day from day 1, and the last day.
    public var testDays: [String] {
        guard let start = Self.day(since), let end = Self.day(until) else { return [] }
        var days = stride(from: start, through: end, by: 2).map(Self.text)
        if days.last != until { days.append(until) }
        return days
    }

    public func isActive(on today: String) -> Bool { since <= today && today <= until }

    /// Where one resident stands on `today`, given the days they were sampled:
    /// the earliest test day before today that went without a sample since
    /// the test day before it (overdue), and today's test if due and not yet taken.
    public func tests(on today: String, sampledOn days: Set<String>) -> (due: String?, overdue: String?) {
        let tests = testDays
        var overdue: String?
        for (index, day) in tests.enumerated() where day < today {
            let next = index + 1 < tests.count ? tests[index + 1] : "9999-12-31"
            // A test day is met by a sample on it or any day before the next test day.
            if !days.contains(where: { $0 >= day && $0 < next }) {
                overdue = day
                break
            }
        }
        let due = tests.contains(today) && !days.contains(today) ? today : nil
        return (due, overdue)
    }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `YYYY-MM-DD` as a day number (days since 1970-01-01), or nil.
    static func day(_ text: String) -> Int? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10,
            let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            text == Self.text(Int(date.timeIntervalSince1970 / 86_400))
        else { return nil }
        return Int(date.timeIntervalSince1970 / 86_400)
    }

    static func text(_ day: Int) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86_400))
        return "\(c.year!)-\(TwoDigits.text(c.month!))-\(TwoDigits.text(c.day!))"
    }
}
