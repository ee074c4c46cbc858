import Hummingbird
import SwablineCore
import SwablineStore

/// What the coordinator and the site watch: coverage, retests, one
/// resident's outcome, and the round.
struct ReportController {
    let store: any RoundReports

    /// A round for the sites named (`sites`), for a district (`district`:
    /// the beginning of their address), or for every site (neither).
    struct OpenRoundRequest: Decodable {
        var name: String
        var sites: [String]?
        var district: String?

        func scope() throws -> RoundScope {
            switch (sites, district) {
            case (nil, nil): .everySite
            case let (sites?, nil): .sites(sites)
            case let (nil, district?): .district(district)
            case (_?, _?): throw Problem.invalidField("district", "cannot be given with sites: name the sites or the district")
            }
        }
    }

    struct ClearanceRequest: Decodable { var reason: String }
    struct Rounds: ResponseEncodable, Codable { var rounds: [RoundInfo] }

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("sites/:site/coverage", use: coverage)
        routes.get("sites/:site/retests", use: retests)
        routes.get("sites/:site/rounds", use: siteRounds)
        routes.get("residents/:code/outcome", use: outcome)
        routes.post("residents/:code/clearance", use: clear)
        routes.get("rounds/current", use: currentRound)
        routes.post("rounds", use: openRound)
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

    @Sendable func siteRounds(_ request: Request, context: AppContext) async throws -> Rounds {
        Rounds(rounds: try await store.siteRounds(site: try context.code("site"), by: try context.requireActor()))
    }

    /// A site's current round (`?site=`; staff default to their own site);
    /// without a site, the round opened last.
    @Sendable func currentRound(_ request: Request, context: AppContext) async throws -> RoundInfo {
        let actor = try context.requireActor()
        var site = request.uri.queryParameters.get("site")
        if site == nil, case let .staff(_, own) = actor { site = own }
        guard let site else { return try await store.latestRound() }
        return try await store.currentRound(site: site, by: actor)
    }

    @Sendable func openRound(_ request: Request, context: AppContext) async throws -> EditedResponse<OpenedRound> {
        let actor = try context.requireActor()
        guard case .coordinator = actor else { throw Problem(StoreError.forbidden("Only a coordinator opens a round.")) }
        let body = try await request.decode(as: OpenRoundRequest.self, context: context)
        return EditedResponse(status: .created, response: try await store.openRound(name: body.name, for: try body.scope()))
    }

    /// A coordinator clears a resident's standing; refused before the body is read for anyone else.
    @Sendable func clear(_ request: Request, context: AppContext) async throws -> StandingChange {
        let actor = try context.requireActor()
        guard case .coordinator = actor else { throw Problem(StoreError.forbidden("Only a coordinator clears a resident's standing.")) }
        let code = try context.code("code")
        let body = try await request.decode(as: ClearanceRequest.self, context: context)
        return try await store.clearStanding(resident: code, reason: body.reason, by: actor)
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
