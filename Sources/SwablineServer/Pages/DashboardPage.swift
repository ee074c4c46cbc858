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
        let (notice, problem) = try await act(request, actor, page)
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
        let (notice, problem) = try await act(request, actor, page)
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
            sites: sites.map { site in
                .init(
                    id: site.id, name: site.name, round: site.report.round, counts: Counts(site.report.counts), retests: site.retests,
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

    func legend(_ page: PageEnvironment) -> [String] {
        [page.language("checked_in"), page.language("sampled"), page.language("resulted")]
    }

    /// A value as it goes into a link's query (building names may be Chinese).
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
