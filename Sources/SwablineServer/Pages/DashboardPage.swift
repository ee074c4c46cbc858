import Hummingbird
import SwablineCore
import SwablineStore

/// The coordinator's view: coverage (应检尽检) per site and per building, who
/// is not yet sampled, and who must be retested. Printable.
struct DashboardPage {
    let store: Store

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("dashboard", use: overview)
        routes.get("sites/:site/dashboard", use: site)
        return routes
    }

    @Sendable func overview(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        if case let .staff(_, site) = actor { return PageRenderer.redirect("/sites/\(site)/dashboard") }
        guard case .coordinator = actor else { throw StoreError.forbidden("This needs a coordinator token.") }
        let page = PageEnvironment(request: request, actor: actor)
        var sites: [(id: String, name: String, report: CoverageReport, retests: Int)] = []
        for site in try await store.siteList() {
            let report = try await store.coverage(site: site.id, by: actor)
            let retests = try await store.retests(site: site.id, by: actor).total
            sites.append((site.id, site.name, report, retests))
        }
        let values: [String: Any] = [
            "round": sites.first?.report.round ?? "",
            "sites": sites.map { site in
                Self.counts(site.report.counts).merging(["id": site.id, "name": site.name, "retests": site.retests]) { _, new in new }
            },
            "chart": BarChart.svg(sites.map { ($0.name, $0.report.counts) }, legend: legend(page)),
        ]
        return page.render("dashboard", title: page.language("dashboard"), values)
    }

    @Sendable func site(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        let site = try context.code("site")
        let page = PageEnvironment(request: request, actor: actor)
        let summary = try await store.siteSummary(site, by: actor)
        let coverage = try await store.coverage(site: site, by: actor)
        let retests = try await store.retests(site: site, by: actor)
        func person(_ line: PersonLine) -> [String: Any] {
            var values: [String: Any] = ["code": line.code, "name": line.name, "phone": line.phone, "household": line.household]
            if let outcome = line.outcome { values["outcome"] = page.language("outcome_\(outcome.rawValue)") }
            return values
        }
        let values: [String: Any] = [
            "site": ["id": summary.id, "name": summary.name], "round": coverage.round,
            "total": Self.counts(coverage.counts),
            "buildings": coverage.buildings.map { Self.counts($0.counts).merging(["building": $0.building]) { _, new in new } },
            "chart": BarChart.svg(coverage.buildings.map { ($0.building, $0.counts) }, legend: legend(page)),
            "missing": coverage.missing.map(person), "missing_count": coverage.missing.count,
            "retests": retests.buildings.flatMap(\.households).flatMap(\.residents).map(person), "retest_count": retests.total,
            "has_retests": retests.total > 0,
        ]
        return page.render("site-dashboard", title: "\(page.language("dashboard")) · \(summary.name)", values)
    }

    func legend(_ page: PageEnvironment) -> [String] {
        [page.language("checked_in"), page.language("sampled"), page.language("resulted")]
    }

    static func counts(_ counts: CoverageCounts) -> [String: Any] {
        func percent(_ value: Int) -> Int { counts.expected == 0 ? 0 : value * 100 / counts.expected }
        return [
            "expected": counts.expected, "checked_in": counts.checkedIn, "sampled": counts.sampled, "resulted": counts.resulted,
            "sampled_percent": percent(counts.sampled),
        ]
    }
}
