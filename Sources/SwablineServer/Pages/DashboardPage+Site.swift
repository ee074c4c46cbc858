import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// One site's dashboard in a round (`?round=`, the site's current one by
/// default): coverage with sampled / closed with a reason / still open per
/// building, the missing list with a one-tap reason per person or
/// household (current round only), retests, referrals, turnaround.
extension DashboardPage {
    func renderSite(
        _ page: PageEnvironment, _ actor: Actor, _ site: String, _ request: Request, notice: String? = nil, problem: Problem? = nil
    ) async throws -> Response {
        let summary = try await store.siteSummary(site, by: actor)
        let rounds = try await store.siteRounds(site: site, by: actor)
        let asked = try ReportController.round(request)
        let coverage = try await store.coverage(site: site, round: asked, by: actor)
        let retests = try await store.retests(site: site, round: asked, by: actor)
        let turnaround = try await store.turnaround(site: site, round: asked, by: actor)
        let referrals = try await store.referrals(site: site, round: asked, by: actor)
        let missing = try MissingPage(coverage.missing, request: request, perPage: Self.missingPerPage)
        let roundID = asked ?? rounds.first?.id
        let current = asked == nil || asked == rounds.first?.id
        let query = asked.map { "&round=\($0)" } ?? ""
        let values = SiteValues(
            site: SiteName(id: summary.id, name: summary.name), round: coverage.round,
            rounds: rounds.map { RoundOption(id: $0.id, name: $0.name, selected: $0.id == roundID) }, current: current,
            total: Counts(coverage.counts),
            buildings: coverage.buildings.map { building in
                .init(
                    building: building.building, counts: Counts(building.counts),
                    hasMissing: building.counts.sampled < building.counts.expected,
                    missingHref: "/sites/\(site)/dashboard/missing?building=\(Self.queryValue(building.building))\(query)")
            },
            chart: CoverageChart.svg(coverage.buildings.map { ($0.building, $0.counts) }, legend: legend(page)),
            turnaround: TurnaroundCharts.values(
                toReceipt: turnaround.sampleToReceipt, toResult: turnaround.receiptToResult, awaitingReceipt: turnaround.awaitingReceipt,
                awaitingResult: turnaround.awaitingResult, page),
            missing: missing.rows.map { Person($0, page) }, missingCount: coverage.missing.count,
            missingPages: missing.navigation(path: "/sites/\(site)/dashboard", query: query, page),
            reasons: MissingReason.allCases.map { ReasonOption(value: $0.rawValue, label: page.language("reason_\($0.rawValue)")) },
            retests: retests.buildings.flatMap(\.households).flatMap(\.residents).map { Person($0, page) },
            retestCount: retests.total, hasRetests: retests.total > 0,
            referrals: referrals.referrals.map { Referral($0, page) }, referralCount: referrals.referrals.count,
            roundQuery: asked.map { "?round=\($0)" } ?? "", notice: notice.map { PageNotice(text: $0) })
        let anomalies = try await anomalies(site: site, actor, page, sites: [summary.id: summary])
        return page.render("site-dashboard", title: "\(page.language("dashboard")) · \(summary.name)", values, anomalies, problem: problem)
    }

    /// One building's whole not-yet-sampled list, to print for a door-to-door team.
    @Sendable func missingByBuilding(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        let site = try context.code("site")
        let page = PageEnvironment(request: request, actor: actor)
        let summary = try await store.siteSummary(site, by: actor)
        let coverage = try await store.coverage(site: site, round: try ReportController.round(request), by: actor)
        guard let building = request.uri.queryParameters.get("building"), !building.isEmpty else {
            throw Problem.invalidField("building", "is required: the building whose list to print")
        }
        guard coverage.buildings.contains(where: { $0.building == building }) else {
            throw Problem(.notFound, code: "building_not_found", detail: "No building '\(building)' at \(summary.name).")
        }
        let people = coverage.missing.filter { $0.building == building }
        let values = BuildingValues(
            site: SiteName(id: summary.id, name: summary.name), round: coverage.round, building: building,
            missing: people.map { Person($0, page) }, missingCount: people.count, hasMissing: !people.isEmpty)
        return page.render("missing", title: "\(page.language("missing")) · \(summary.name) · \(building)", values)
    }
}
