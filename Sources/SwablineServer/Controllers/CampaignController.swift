import Hummingbird
import SwablineCore
import SwablineStore

/// Round after round: opening rounds for sites, a standing cleared by a
/// coordinator, and why a missing resident was not sampled (应检尽检).
struct CampaignController {
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

    /// Why a resident (or every not-yet-sampled member of their household) was not sampled this round.
    struct FollowUpRequest: Decodable {
        var reason: MissingReason
        var note: String?
        var household: Bool?
    }

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("rounds/current", use: currentRound)
        routes.post("rounds", use: openRound)
        routes.get("sites/:site/rounds", use: siteRounds)
        routes.post("residents/:code/clearance", use: clear)
        routes.post("residents/:code/follow-up", use: followUp)
        routes.get("sites/:site/isolation", use: siteIsolation)
        routes.get("isolation", use: isolation)
        routes.get("sites/:site/referrals", use: referrals)
        routes.get("sites/:site/home-visits", use: homeVisits)
        routes.post("residents/:code/homebound", use: homebound)
        return routes
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

    @Sendable func followUp(_ request: Request, context: AppContext) async throws -> FollowUpAnswer {
        let actor = try context.requireActor()
        let code = try context.code("code")
        let body = try await request.decode(as: FollowUpRequest.self, context: context)
        return try await store.recordFollowUp(resident: code, reason: body.reason, note: body.note, household: body.household ?? false, by: actor)
    }

    /// The isolation follow-up list of one site: staff of it or a coordinator.
    @Sendable func siteIsolation(_ request: Request, context: AppContext) async throws -> IsolationReport {
        try await store.isolation(site: try context.code("site"), by: try context.requireActor())
    }

    /// Who the gate referred (fever, symptoms) in a round of a site.
    @Sendable func referrals(_ request: Request, context: AppContext) async throws -> ReferralReport {
        try await store.referrals(site: try context.code("site"), round: try ReportController.round(request), by: try context.requireActor())
    }

    /// The mobile team's home-visit list of a round, by building and floor.
    @Sendable func homeVisits(_ request: Request, context: AppContext) async throws -> HomeVisitReport {
        try await store.homeVisits(site: try context.code("site"), round: try ReportController.round(request), by: try context.requireActor())
    }

    struct HomeboundRequest: Decodable { var homebound: Bool }

    @Sendable func homebound(_ request: Request, context: AppContext) async throws -> HomeboundFlag {
        let actor = try context.requireActor()
        let code = try context.code("code")
        let body = try await request.decode(as: HomeboundRequest.self, context: context)
        return try await store.setHomebound(resident: code, homebound: body.homebound, by: actor)
    }

    /// Every site's isolation follow-up list: a coordinator.
    @Sendable func isolation(_ request: Request, context: AppContext) async throws -> IsolationReport {
        try await store.isolation(site: nil, by: try context.requireActor())
    }
}

extension FollowUpAnswer: ResponseEncodable {}
extension ReferralReport: ResponseEncodable {}
extension HomeVisitReport: ResponseEncodable {}
extension HomeboundFlag: ResponseEncodable {}
extension IsolationReport: ResponseEncodable {}
