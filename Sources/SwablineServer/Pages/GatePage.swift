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
        try await StaffSite.open(store, request, context).render("gate", title: "gate_title")
    }

    @Sendable func checkIn(_ request: Request, context: AppContext) async throws -> Response {
        let site = try await StaffSite.open(store, request, context)
        let form = try await PageForm.read(request)
        let code = form["resident_code"]
        // The same request the API decodes, so a walk-in is checked the same way.
        let body = QueueController.CheckInRequest(
            residentCode: code, priority: form.checked("priority"), name: form.optional("name"), idNumber: form.optional("id_number"),
            phone: form.optional("phone"), building: form.optional("building"), unit: form.optional("unit"), room: form.optional("room"),
            singleTube: form.checked("single_tube"))
        do {
            let result = try await store.checkIn(
                site: site.id, code: code, walkIn: try body.walkIn(), priority: body.priority ?? false, by: site.actor)
            return site.render("gate", title: "gate_title", Values(result: Ticket(result, site.page)))
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            var values = Values()
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
