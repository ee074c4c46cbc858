import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// The dashboard's anomalies: conflicting lab results still to resolve, and
/// the coordinator's resolve form (the same store method as
/// `POST /v1/anomalies/{anomaly}/resolve`).
extension DashboardPage {
    /// What the `anomalies` partial shows.
    struct AnomalyValues: PageValues {
        struct Row: PageValues {
            var id: Int64
            var tube: String
            var site: String
            var lab: String
            var recorded: String
            var posted: String
            var at: String
            var canResolve: Bool
        }
        var anomalies: [Row]
        var anomalyCount: Int
        var hasAnomalies: Bool
    }

    /// The open anomalies of one site (or every site), as the templates show them.
    func anomalies(site: String?, _ actor: Actor, _ page: PageEnvironment, sites: [String: SiteSummary]) async throws -> AnomalyValues {
        let open = try await store.anomalies(site: site, filter: .open, by: actor)
        let canResolve = if case .coordinator = actor { true } else { false }
        let rows = open.map { anomaly in
            AnomalyValues.Row(
                id: anomaly.id, tube: anomaly.tube, site: sites[anomaly.site]?.name ?? anomaly.site, lab: anomaly.lab,
                recorded: page.language("result_\(anomaly.recordedResult.rawValue)"),
                posted: page.language("result_\(anomaly.postedResult.rawValue)"),
                at: Self.localTime(anomaly.at, timeZone: sites[anomaly.site]?.timeZone), canResolve: canResolve)
        }
        return AnomalyValues(anomalies: rows, anomalyCount: open.count, hasAnomalies: !open.isEmpty)
    }

    /// Reads a dashboard form and does what it asks: resolve an anomaly, or
    /// record why a missing resident was not sampled (one tap per person or
    /// household). A refusal comes back as the problem to show.
    func act(_ request: Request, _ actor: Actor, _ page: PageEnvironment) async throws -> (notice: String?, problem: Problem?) {
        let form = try await PageForm.read(request)
        do {
            switch form["action"] {
            case "resolve":
                guard let id = Int64(form["anomaly"]), id > 0 else {
                    throw Problem.invalidField("anomaly", "must be a positive whole number (the anomaly's id)")
                }
                let anomaly = try await store.resolveAnomaly(id: id, note: form["note"], by: actor)
                return ("\(page.language("resolved")): #\(anomaly.id) · \(anomaly.tube) · \(anomaly.resolvedBy ?? "")", nil)
            case "follow_up":
                guard let reason = MissingReason(rawValue: form["reason"]) else {
                    throw Problem.invalidField("reason", "must be one of \(MissingReason.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let answer = try await store.recordFollowUp(
                    resident: form["resident"], reason: reason, note: form.optional("note"), household: form["household"] == "1", by: actor)
                return ("\(page.language("reason_\(reason.rawValue)")): " + answer.followUps.map(\.resident).joined(separator: ", "), nil)
            default:
                throw Problem.invalidField("action", "must be resolve or follow_up")
            }
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            return (nil, problem)
        }
    }

    /// "04-05 13:40" in the site's time zone (pages show the site's local time).
    static func localTime(_ text: String, timeZone: String?) -> String {
        guard let timeZone, let c = Timestamp.local(text, timeZone: timeZone) else { return text }
        let two = TwoDigits.text
        return "\(two(c.month!))-\(two(c.day!)) \(two(c.hour!)):\(two(c.minute!))"
    }
}
