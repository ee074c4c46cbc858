import Foundation

/// One axis of a chart: its range, its ticks already labelled, and its title.
/// Ticks are chosen here, not by the drawing, so a test can see them.
package struct ChartAxis: Sendable, Hashable {
    package struct Tick: Sendable, Hashable {
        package var value: Double
        package var label: String

        package init(value: Double, label: String) {
            self.value = value
            self.label = label
        }
    }

    package var title: String
    package var range: ClosedRange<Double>
    package var ticks: [Tick]

    package init(title: String, range: ClosedRange<Double>, ticks: [Tick]) {
        self.title = title
        self.range = range
        self.ticks = ticks
    }

    /// From 0 up to a round number at or above `maximum`, with 4–6 ticks at
    /// 1, 2 or 5 × 10ⁿ steps; `counting` keeps steps whole (people, tubes).
    package static func linear(_ title: String, upTo maximum: Double, counting: Bool = false) -> ChartAxis {
        let top = maximum > 0 && maximum.isFinite ? maximum : 1
        let step = counting ? max(1, niceStep(top / 5)) : niceStep(top / 5)
        let count = Int((top / step - 1e-9).rounded(.up))
        var decimals = 0, scaled = step
        while scaled < 1, decimals < 6 { scaled *= 10; decimals += 1 }
        let ticks = (0...max(1, count)).map { i -> Tick in
            let value = Double(i) * step
            return Tick(value: value, label: decimals == 0 ? String(Int(value.rounded())) : String(format: "%.\(decimals)f", value))
        }
        return ChartAxis(title: title, range: 0...ticks.last!.value, ticks: ticks)
    }

    /// Seconds since the day's start, ticked on whole hours (every second or
    /// fourth hour on long spans) and labelled as clock times.
    package static func clock(_ title: String, from start: Double, to end: Double) -> ChartAxis {
        let first = (start / 3_600).rounded(.down) * 3_600
        let last = max(first + 3_600, (end / 3_600).rounded(.up) * 3_600)
        let hours = (last - first) / 3_600
        let step = hours <= 12 ? 3_600.0 : hours <= 24 ? 7_200 : 14_400
        let ticks = stride(from: first, through: last, by: step).map { Tick(value: $0, label: clockLabel($0)) }
        return ChartAxis(title: title, range: first...last, ticks: ticks)
    }

    /// "07:00", "01:00+1" past midnight: short enough for a tick.
    package static func clockLabel(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        let day = total / 86_400, minutes = total % 86_400 / 60
        let text = (minutes / 60 < 10 ? "0" : "") + "\(minutes / 60):" + (minutes % 60 < 10 ? "0" : "") + "\(minutes % 60)"
        return day > 0 ? text + "+\(day)" : text
    }

    package static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    package static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= rough { magnitude *= 10 }
        while magnitude > rough { magnitude /= 10 }
        let fraction = rough / magnitude
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude
    }
}
