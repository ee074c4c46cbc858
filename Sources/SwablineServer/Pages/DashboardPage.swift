import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// The coordinator's view: coverage (应检尽检) per site and per building,
/// turnaround, anomalies to resolve, who is not yet sampled (paged, and in
/// full per building for door-to-door teams), and who must be retested.
struct DashboardPage {
    let store: any ServerStore

    /// Rows of the not-yet-sampled list per page: 华夏里社区 alone has over 5,000.
    static let missingPerPage = 200

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("dashboard", use: overview)
        routes.post("dashboard", use: resolveOnOverview)
        routes.get("sites/:site/dashboard", use: site)
        routes.post("sites/:site/dashboard", use: resolveOnSite)
        routes.get("sites/:site/dashboard/missing", use: missingByBuilding)
        return routes
    }

    @Sendable func overview(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        if case let .staff(_, site) = actor { return PageRenderer.redirect("/sites/\(site)/dashboard") }
        return try await renderOverview(PageEnvironment(request: request, actor: actor), actor)
    }

    @Sendable func resolveOnOverview(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        let page = PageEnvironment(request: request, actor: actor)
        let (notice, problem) = try await resolve(request, actor, page)
        return try await renderOverview(page, actor, notice: notice, problem: problem)
    }

    @Sendable func site(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        return try await renderSite(PageEnvironment(request: request, actor: actor), actor, try context.code("site"), request)
    }

    @Sendable func resolveOnSite(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        let site = try context.code("site")
        try Store.checkReader(actor, site: site)
        let page = PageEnvironment(request: request, actor: actor)
        let (notice, problem) = try await resolve(request, actor, page)
        return try await renderSite(page, actor, site, request, notice: notice, problem: problem)
    }

    func renderOverview(_ page: PageEnvironment, _ actor: Actor, notice: String? = nil, problem: Problem? = nil) async throws -> Response {
        guard case .coordinator = actor else { throw StoreError.forbidden("This needs a coordinator token.") }
        var sites: [(id: String, name: String, report: CoverageReport, retests: Int, turnaround: TurnaroundReport)] = []
        var summaries: [String: SiteSummary] = [:]
        for site in try await store.siteList() {
            let report = try await store.coverage(site: site.id, by: actor)
            let retests = try await store.retests(site: site.id, by: actor).total
            sites.append((site.id, site.name, report, retests, try await store.turnaround(site: site.id, by: actor)))
            summaries[site.id] = try await store.siteSummary(site.id, by: actor)
        }
        let values = OverviewValues(
            round: sites.first?.report.round ?? "",
            sites: sites.map { site in
                .init(
                    id: site.id, name: site.name, counts: Counts(site.report.counts), retests: site.retests,
                    receiptMedian: TurnaroundCharts.duration(site.turnaround.sampleToReceipt.median, page),
                    latePercent: TurnaroundCharts.lateShare(site.turnaround.sampleToReceipt))
            },
            chart: CoverageChart.svg(sites.map { ($0.name, $0.report.counts) }, legend: legend(page)),
            turnaround: TurnaroundCharts.values(
                toReceipt: sites.map(\.turnaround.sampleToReceipt).reduce(Turnaround([]), +),
                toResult: sites.map(\.turnaround.receiptToResult).reduce(Turnaround([]), +),
                awaitingReceipt: sites.map(\.turnaround.awaitingReceipt).reduce(0, +),
                awaitingResult: sites.map(\.turnaround.awaitingResult).reduce(0, +), page),
            notice: notice.map { PageNotice(text: $0) })
        let anomalies = try await anomalies(site: nil, actor, page, sites: summaries)
        return page.render("dashboard", title: page.language("dashboard"), values, anomalies, problem: problem)
    }

    func renderSite(
        _ page: PageEnvironment, _ actor: Actor, _ site: String, _ request: Request, notice: String? = nil, problem: Problem? = nil
    ) async throws -> Response {
        let summary = try await store.siteSummary(site, by: actor)
        let coverage = try await store.coverage(site: site, by: actor)
        let retests = try await store.retests(site: site, by: actor)
        let turnaround = try await store.turnaround(site: site, by: actor)
        let missing = try MissingPage(coverage.missing, request: request, perPage: Self.missingPerPage)
        let values = SiteValues(
            site: SiteName(id: summary.id, name: summary.name), round: coverage.round, total: Counts(coverage.counts),
            buildings: coverage.buildings.map { building in
                .init(
                    building: building.building, counts: Counts(building.counts),
                    hasMissing: building.counts.sampled < building.counts.expected,
                    missingHref: "/sites/\(site)/dashboard/missing?building=\(Self.queryValue(building.building))")
            },
            chart: CoverageChart.svg(coverage.buildings.map { ($0.building, $0.counts) }, legend: legend(page)),
            turnaround: TurnaroundCharts.values(
                toReceipt: turnaround.sampleToReceipt, toResult: turnaround.receiptToResult, awaitingReceipt: turnaround.awaitingReceipt,
                awaitingResult: turnaround.awaitingResult, page),
            missing: missing.rows.map { Person($0, page) }, missingCount: coverage.missing.count,
            missingPages: missing.navigation(path: "/sites/\(site)/dashboard", page),
            retests: retests.buildings.flatMap(\.households).flatMap(\.residents).map { Person($0, page) },
            retestCount: retests.total, hasRetests: retests.total > 0, notice: notice.map { PageNotice(text: $0) })
        let anomalies = try await anomalies(site: site, actor, page, sites: [summary.id: summary])
        return page.render("site-dashboard", title: "\(page.language("dashboard")) · \(summary.name)", values, anomalies, problem: problem)
    }

    /// One building's whole not-yet-sampled list, to print for a door-to-door team.
    @Sendable func missingByBuilding(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        let site = try context.code("site")
        let page = PageEnvironment(request: request, actor: actor)
        let summary = try await store.siteSummary(site, by: actor)
        let coverage = try await store.coverage(site: site, by: actor)
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

    func legend(_ page: PageEnvironment) -> [String] {
        [page.language("checked_in"), page.language("sampled"), page.language("resulted")]
    }

    /// A value as it goes into a link's query (building names may be Chinese).
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
