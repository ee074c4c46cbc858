import SwablineCore
import SwablineSimulation

/// `DayAdvice` as lines for a person: the recommendation, then every option
/// weighed with its figure, the chosen ones marked.
enum AdviceText {
    static func lines(_ advice: DayAdvice, site: SimulatedSite) -> [String] {
        let stations = advice.stations.map { "\($0) station\($0 == 1 ? "" : "s")" } ?? "no station count up to the limit meets the target"
        let courier =
            advice.courierInterval.map { "a courier every \(DayTime.duration($0))" } ?? "no courier interval keeps every sample under 4 h"
        var out = [
            "Advice for \(site.definition.name) (\(site.definition.id)), \(site.definition.zone.rawValue) zone:",
            "  \(advice.poolSize.recommended.rawValue), \(stations), \(courier).",
        ]
        let headings: [DayAdvice.Line.Subject: String] = [
            .poolSize: "Pool size (expected tests per person; households share tubes):",
            .stations: "Stations (target: everyone sampled within 30 min of closing, 95 % waiting under 30 min):",
            .courier: "Courier interval (every sample at the lab within 4 h):",
        ]
        var subject: DayAdvice.Line.Subject?
        for line in advice.lines {
            if line.subject != subject {
                subject = line.subject
                out.append(headings[line.subject] ?? line.subject.rawValue)
            }
            out.append("  " + (line.chosen ? "→ " : "  ") + "[\(line.basis.rawValue)] " + line.text)
        }
        return out
    }
}
