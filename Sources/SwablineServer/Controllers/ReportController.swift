import Hummingbird
import SwablineCore
import SwablineStore

/// What the coordinator and the site watch: coverage, retests, one
/// resident's outcome, and the round.
struct ReportController {
    let store: any RoundReports

    struct OpenRoundRequest: Decodable { var name: String }

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("sites/:site/coverage", use: coverage)
        routes.get("sites/:site/retests", use: retests)
        routes.get("residents/:code/outcome", use: outcome)
        routes.get("rounds/current", use: currentRound)
        routes.post("rounds", use: openRound)
        return routes
    }

    @Sendable func coverage(_ request: Request, context: AppContext) async throws -> CoverageReport {
        try await store.coverage(site: try context.code("site"), by: try context.requireActor())
    }

    @Sendable func retests(_ request: Request, context: AppContext) async throws -> RetestReport {
        try await store.retests(site: try context.code("site"), by: try context.requireActor())
    }

    @Sendable func outcome(_ request: Request, context: AppContext) async throws -> OutcomeReport {
        try await store.outcome(resident: try context.code("code"), by: try context.requireActor())
    }

    @Sendable func currentRound(_ request: Request, context: AppContext) async throws -> RoundInfo {
        _ = try context.requireActor()
        return try await store.currentRound()
    }

    @Sendable func openRound(_ request: Request, context: AppContext) async throws -> EditedResponse<RoundInfo> {
        let actor = try context.requireActor()
        guard case .coordinator = actor else { throw Problem(StoreError.forbidden("Only a coordinator opens a round.")) }
        let body = try await request.decode(as: OpenRoundRequest.self, context: context)
        return EditedResponse(status: .created, response: try await store.openRound(name: body.name))
    }
}

extension CheckInResult: ResponseEncodable {}
extension CallResult: ResponseEncodable {}
extension TubeView: ResponseEncodable {}
extension SampleResult: ResponseEncodable {}
extension BoxView: ResponseEncodable {}
extension CoverageReport: ResponseEncodable {}
extension RetestReport: ResponseEncodable {}
extension OutcomeReport: ResponseEncodable {}
extension RoundInfo: ResponseEncodable {}
