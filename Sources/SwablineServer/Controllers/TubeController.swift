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

    @Sendable func open(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decode(as: OpenRequest.self, context: context)
        var mode: TubeMode?
        if let text = body.mode {
            guard let value = TubeMode(rawValue: text) else {
                throw Problem.invalidField("mode", "must be one of \(TubeMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            mode = value
        }
        let site = try context.code("site")
        return try await AnsweredWrite.json(status: { (_: TubeView) in .created }) { [mode] in
            try await store.openTube(site: site, code: body.tube, station: body.station, mode: mode, by: actor)
        }
    }

    @Sendable func addSample(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.requireActor()
        let body = try await request.decode(as: SampleRequest.self, context: context)
        let tube = try context.code("tube")
        return try await AnsweredWrite.json(status: { (result: SampleResult) in result.repeated ? .ok : .created }) {
            try await store.addSample(tube: tube, resident: body.residentCode, checkIn: body.checkIn ?? false, by: actor)
        }
    }

    @Sendable func seal(_ request: Request, context: AppContext) async throws -> Response {
        let (tube, actor) = (try context.code("tube"), try context.requireActor())
        return try await AnsweredWrite.json(status: { (_: TubeView) in .ok }) { try await store.sealTube(tube, by: actor) }
    }

    @Sendable func lost(_ request: Request, context: AppContext) async throws -> TubeView {
        let actor = try context.requireActor()
        let body = try await request.decode(as: LostRequest.self, context: context)
        return try await store.reportTubeLost(try context.code("tube"), reason: body.reason, by: actor)
    }
}
