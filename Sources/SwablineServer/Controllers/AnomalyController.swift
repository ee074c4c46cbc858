import Hummingbird
import SwablineCore
import SwablineStore

/// Conflicting lab results kept for a person to resolve (rule 4): the list,
/// and a coordinator's resolution with a note.
struct AnomalyController {
    let store: any RoundReports

    struct ResolveRequest: Decodable { var note: String }

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("anomalies", use: list)
        routes.post("anomalies/:anomaly/resolve", use: resolve)
        return routes
    }

    @Sendable func list(_ request: Request, context: AppContext) async throws -> AnomalyList {
        let actor = try context.requireActor()
        let query = request.uri.queryParameters
        let filter = try query.get("status").map { value in
            guard let filter = AnomalyFilter(rawValue: value) else { throw Problem.invalidField("status", "must be open, resolved or all") }
            return filter
        } ?? .open
        let site = try query.get("site").map { value in
            if let why = Codes.problem(value) { throw Problem.invalidField("site", why) }
            return value
        }
        return AnomalyList(anomalies: try await store.anomalies(site: site, filter: filter, by: actor))
    }

    @Sendable func resolve(_ request: Request, context: AppContext) async throws -> AnomalyView {
        let actor = try context.requireActor()
        guard case .coordinator = actor else { throw Problem(StoreError.forbidden("Only a coordinator resolves an anomaly.")) }
        let id = try context.anomalyID()
        let body = try await request.decode(as: ResolveRequest.self, context: context)
        return try await store.resolveAnomaly(id: id, note: body.note, by: actor)
    }
}

/// The answer of `GET /v1/anomalies`: an object, so fields can be added.
struct AnomalyList: ResponseEncodable {
    var anomalies: [AnomalyView]
}

extension AnomalyView: ResponseEncodable {}

extension AppContext {
    /// The `{anomaly}` path parameter: a positive whole number.
    func anomalyID() throws -> Int64 {
        guard let id = Int64(try parameters.require("anomaly")), id > 0 else {
            throw Problem.invalidField("anomaly", "must be a positive whole number (the anomaly's id)")
        }
        return id
    }
}
