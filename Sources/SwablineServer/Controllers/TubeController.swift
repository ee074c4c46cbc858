import Hummingbird
import SwablineCore
import SwablineStore

/// Tubes at a station: open, fill, seal; or report one lost.
struct TubeController {
    let store: any TubeDesk

    struct OpenRequest: Decodable {
        var tube: String
        var station: String
        var mode: String?
    }

    struct SampleRequest: Decodable {
        var residentCode: String
        /// Check the resident in at the station first, when they skipped the gate.
        var checkIn: Bool?
    }

    struct LostRequest: Decodable {
        var reason: String
    }

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.post("sites/:site/tubes", use: open)
        routes.post("tubes/:tube/samples", use: addSample)
        routes.post("tubes/:tube/seal", use: seal)
        routes.post("tubes/:tube/lost", use: lost)
        return routes
    }

    @Sendable func open(_ request: Request, context: AppContext) async throws -> EditedResponse<TubeView> {
        let actor = try context.requireActor()
        let body = try await request.decode(as: OpenRequest.self, context: context)
        var mode: TubeMode?
        if let text = body.mode {
            guard let value = TubeMode(rawValue: text) else {
                throw Problem.invalidField("mode", "must be one of \(TubeMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            mode = value
        }
        let tube = try await store.openTube(site: try context.code("site"), code: body.tube, station: body.station, mode: mode, by: actor)
        return EditedResponse(status: .created, response: tube)
    }

    @Sendable func addSample(_ request: Request, context: AppContext) async throws -> EditedResponse<SampleResult> {
        let actor = try context.requireActor()
        let body = try await request.decode(as: SampleRequest.self, context: context)
        let result = try await store.addSample(
            tube: try context.code("tube"), resident: body.residentCode, checkIn: body.checkIn ?? false, by: actor)
        return EditedResponse(status: result.repeated ? .ok : .created, response: result)
    }

    @Sendable func seal(_ request: Request, context: AppContext) async throws -> TubeView {
        try await store.sealTube(try context.code("tube"), by: try context.requireActor())
    }

    @Sendable func lost(_ request: Request, context: AppContext) async throws -> TubeView {
        let actor = try context.requireActor()
        let body = try await request.decode(as: LostRequest.self, context: context)
        return try await store.reportTubeLost(try context.code("tube"), reason: body.reason, by: actor)
    }
}
