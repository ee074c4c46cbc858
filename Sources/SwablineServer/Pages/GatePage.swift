import Hummingbird
import SwablineCore
import SwablineStore

/// The compound gate: a scanner types a resident code and presses Enter;
/// the ticket is shown big. An unknown code opens the walk-in form.
struct GatePage {
    let store: any ServerStore

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("sites/:site/gate", use: show)
        routes.post("sites/:site/gate", use: checkIn)
        return routes
    }

    @Sendable func show(_ request: Request, context: AppContext) async throws -> Response {
        let site = try await StaffSite.open(store, request, context)
        return site.render("gate", title: "gate_title", Values(triage: Self.triageForm(site)))
    }

    @Sendable func checkIn(_ request: Request, context: AppContext) async throws -> Response {
        let site = try await StaffSite.open(store, request, context)
        let form = try await PageForm.read(request)
        let code = form["resident_code"]
        do {
            // The same request the API decodes, so a walk-in is checked the same way.
            let body = QueueController.CheckInRequest(
                residentCode: code, priority: form.checked("priority"), name: form.optional("name"), idNumber: form.optional("id_number"),
                phone: form.optional("phone"), building: form.optional("building"), unit: form.optional("unit"), room: form.optional("room"),
                singleTube: form.checked("single_tube"), temperatureC: try Self.temperature(form),
                symptoms: Self.ticked(form))
            let result = try await store.checkIn(
                site: site.id, code: code, walkIn: try body.walkIn(), priority: body.priority ?? false,
                triage: body.triage, by: site.actor)
            return site.render("gate", title: "gate_title", Values(result: Ticket(result, site.page), triage: Self.triageForm(site)))
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            var values = Values(triage: Self.triageForm(site))
            // An unknown code, or a walk-in form that was refused: show the walk-in form again, filled in
            // except for the ID and phone numbers, which no answer carries in full (rule 8).
            if problem.code == "resident_not_found" || form.optional("name") != nil {
                values.walkIn = WalkIn(
                    residentCode: code, name: form["name"], building: form["building"], unit: form["unit"], room: form["room"],
                    priority: form.checked("priority"), singleTube: form.checked("single_tube"))
            }
            return site.render("gate", title: "gate_title", values, problem: problem)
        }
    }

    struct Values: PageValues {
        var result: Ticket?
        var walkIn: WalkIn?
        var triage: TriageForm
    }

    /// The gate's triage fields: the temperature is asked (required) where
    /// the site's `site.toml` says so; symptoms may always be ticked.
    struct TriageForm: PageValues {
        struct Symptom: PageValues {
            var value: String
            var label: String
        }
        var askTemperature: Bool
        var symptoms: [Symptom]
    }

    static func triageForm(_ site: StaffSite) -> TriageForm {
        TriageForm(
            askTemperature: site.summary.triageTemperature,
            symptoms: Triage.Symptom.allCases.map { .init(value: $0.rawValue, label: site.page.language("symptom_\($0.rawValue)")) })
    }

    /// The ticked symptom boxes; none ticked is no answer, as in the API.
    static func ticked(_ form: PageForm) -> [Triage.Symptom]? {
        let ticked = Triage.Symptom.allCases.filter { form.checked("symptom_\($0.rawValue)") }
        return ticked.isEmpty ? nil : ticked
    }

    /// The temperature field, "36,8" or "36.8"; empty is none.
    static func temperature(_ form: PageForm) throws -> Double? {
        guard let text = form.optional("temperature_c") else { return nil }
        guard let value = Double(text.replacingOccurrences(of: ",", with: ".")) else {
            throw Problem.invalidField("temperature_c", "must be a reading in °C, such as 36.8")
        }
        return value
    }

    /// The ticket shown big after a check-in.
    struct Ticket: PageValues {
        var label: String
        var lane: String
        var priority: Bool
        var status: String
        var repeated: Bool
        var registered: Bool
        var name: String
        var household: String
        var code: String
        var idNumber: String
        var phone: String
        var waiting: Bool
        var position: Int?
        var station: String?
        /// Fever or symptoms: the single-tube lane.
        var referred: Bool

        init(_ result: CheckInResult, _ page: PageEnvironment) {
            label = result.ticket.label
            lane = page.language("lane_\(result.ticket.lane.rawValue)")
            priority = result.ticket.lane == .priority
            status = result.ticket.status.rawValue
            repeated = result.repeated
            registered = result.registered
            name = result.resident.name
            household = result.resident.household
            code = result.resident.code
            idNumber = result.resident.idNumber
            phone = result.resident.phone
            waiting = result.ticket.position != nil
            position = result.ticket.position
            station = result.ticket.station
            referred = result.ticket.referred
        }
    }

    /// The walk-in form, filled in again after a refusal.
    struct WalkIn: PageValues {
        var residentCode: String
        var name: String
        var building: String
        var unit: String
        var room: String
        var priority: Bool
        var singleTube: Bool
    }
}
