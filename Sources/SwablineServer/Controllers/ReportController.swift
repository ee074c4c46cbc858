import Hummingbird
import SwablineCore
import SwablineStore

/// What the coordinator and the site watch: coverage, retests and one
/// resident's outcome, in a round (`?round=`, default the site's current one).
struct ReportController {
    let store: any RoundReports

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("sites/:site/coverage", use: coverage)
        routes.get("sites/:site/retests", use: retests)
        routes.get("residents/:code/outcome", use: outcome)
        return routes
    }

    @Sendable func coverage(_ request: Request, context: AppContext) async throws -> CoverageReport {
        try await store.coverage(site: try context.code("site"), round: try Self.round(request), by: try context.requireActor())
    }

    @Sendable func retests(_ request: Request, context: AppContext) async throws -> RetestReport {
        try await store.retests(site: try context.code("site"), round: try Self.round(request), by: try context.requireActor())
    }

    @Sendable func outcome(_ request: Request, context: AppContext) async throws -> OutcomeReport {
        try await store.outcome(resident: try context.code("code"), round: try Self.round(request), by: try context.requireActor())
    }

    /// `?round=`: a round's id, as `GET /v1/sites/{site}/rounds` lists them; none means the current round.
    static func round(_ request: Request) throws -> Int64? {
        guard let text = request.uri.queryParameters.get("round") else { return nil }
        guard let id = Int64(text), id > 0 else { throw Problem.invalidField("round", "must be a round's id, a positive whole number") }
        return id
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
extension OpenedRound: ResponseEncodable {}
extension StandingChange: ResponseEncodable {}
