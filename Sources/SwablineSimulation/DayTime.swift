import SwablineCore

/// Seconds since the day's start as people read them, for advice lines
/// and reports: "18:46", "02:29 next day", "3 h 05 min".
public enum DayTime {
    public static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        let day = total >= 0 ? total / 86_400 : 0
        let minutes = (total - day * 86_400) / 60
        let text = TwoDigits.text(minutes / 60) + ":" + TwoDigits.text(minutes % 60)
        switch day {
        case 0: return text
        case 1: return text + " next day"
        default: return text + " day +\(day)"
        }
    }

    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total) s" }
        if total < 3_600 { return "\(total / 60) min" }
        return "\(total / 3_600) h " + TwoDigits.text(total % 3_600 / 60) + " min"
    }

}
