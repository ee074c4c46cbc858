import Hummingbird
import SwablineCore
import SwablineStore

/// The gate and the stations: check-in and calling the next group.
struct QueueController {
    let store: any QueueDesk

    struct CheckInRequest: Decodable {
        var residentCode: String
        var priority: Bool?
        // Walk-in fields, for a code the roster does not know.
        var name: String?
        var idNumber: String?
        var phone: String?
        var building: String?
        var unit: String?
        var room: String?
        var singleTube: Bool?
        // What the gate measured (扫码、登记、测温): optional.
        var temperatureC: Double?
        var symptoms: [Triage.Symptom]?

        /// The gate's triage, if it measured or asked anything.
        var triage: Triage? {
            temperatureC == nil && symptoms == nil ? nil : Triage(temperatureC: temperatureC, symptoms: symptoms ?? [])
        }

        /// The walk-in, if any walk-in field was sent; all of them are then required.
        func walkIn() throws -> WalkIn? {
            let fields: [(String, String?)] = [
                ("name", name), ("id_number", idNumber), ("phone", phone), ("building", building), ("unit", unit), ("room", room),
            ]
            guard fields.contains(where: { $0.1 != nil }) else { return nil }
            let missing = fields.filter { ($0.1 ?? "").isEmpty }.map(\.0)
            guard missing.isEmpty else {
                throw Problem(.unprocessableContent, code: "invalid_field",
                    detail: "A walk-in needs name, id_number, phone, building, unit and room; missing: \(missing.joined(separator: ", ")).",
                    errors: missing.map { .init(field: $0, why: "is required for a walk-in") })
            }
            return WalkIn(name: name!, idNumber: idNumber!, phone: phone!, building: building!, unit: unit!, room: room!,
                singleTube: singleTube ?? false)
        }
    }

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.post("sites/:site/checkins", use: checkIn)
        routes.post("sites/:site/stations/:station/call", use: call)
        return routes
    }

    @Sendable func checkIn(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decode(as: CheckInRequest.self, context: context)
        let site = try context.code("site")
        let walkIn = try body.walkIn()
        return try await AnsweredWrite.json(status: { (result: CheckInResult) in result.repeated ? .ok : .created }) {
            try await store.checkIn(
                site: site, code: body.residentCode, walkIn: walkIn, priority: body.priority ?? false, triage: body.triage, by: actor)
        }
    }

    @Sendable func call(_ request: Request, context: AppContext) async throws -> Response {
        let (site, station, actor) = (try context.code("site"), try context.code("station"), try context.requireActor())
        return try await AnsweredWrite.json(status: { (_: CallResult) in .ok }) {
            try await store.callNext(site: site, station: station, by: actor)
        }
    }
}
