import Hummingbird
import SwablineCore
import SwablineStore

/// The printable lists a campaign's teams carry: the isolation follow-up
/// list (居家隔离: who, since, until, which test is due or overdue) of a site
/// or of every site, the home-visit list (上门采样) by building and floor,
/// and the site's lists as CSV for the district office.
struct FollowUpPages {
    let store: any ServerStore

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("sites/:site/isolation", use: siteIsolation)
        routes.get("isolation", use: allIsolation)
        routes.get("sites/:site/home-visits", use: homeVisits)
        // The CSV exports behind the dashboard's download links, signed in with the page's session.
        routes.get("sites/:site/exports/:list") { request, context in
            try await ExportController(store: store).export(request, context: context, by: try context.pageActor())
        }
        return routes
    }

    struct IsolationValues: PageValues {
        struct Household: PageValues {
            var site: String
            var household: String
            var since: String
            var until: String
            var testDays: String
            var residents: [Resident]
        }
        struct Resident: PageValues {
            var code: String
            var name: String
            var phone: String
            var standing: String
            var due: String?
            var overdue: String?
        }
        var heading: String
        var households: [Household]
        var hasHouseholds: Bool
        // Not `due`/`overdue`: a resident's nil would read these from further up the stack.
        var residentCount: Int
        var dueCount: Int
        var overdueCount: Int
    }

    @Sendable func siteIsolation(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        let site = try context.code("site")
        let summary = try await store.siteSummary(site, by: actor)
        return try await renderIsolation(PageEnvironment(request: request, actor: actor), actor, site: site, heading: summary.name)
    }

    @Sendable func allIsolation(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        if case let .staff(_, site) = actor { return PageRenderer.redirect("/sites/\(site)/isolation") }
        let page = PageEnvironment(request: request, actor: actor)
        return try await renderIsolation(page, actor, site: nil, heading: page.language("dashboard"))
    }

    func renderIsolation(_ page: PageEnvironment, _ actor: Actor, site: String?, heading: String) async throws -> Response {
        let report = try await store.isolation(site: site, by: actor)
        let values = IsolationValues(
            heading: heading,
            households: report.households.map { household in
                .init(
                    site: household.site, household: household.household, since: household.since, until: household.until,
                    testDays: household.testDays.map { String($0.dropFirst(5)) }.joined(separator: " "),
                    residents: household.residents.map {
                        .init(
                            code: $0.code, name: $0.name, phone: $0.phone, standing: page.language("standing_\($0.standing.rawValue)"),
                            due: $0.testDue, overdue: $0.testOverdue)
                    })
            },
            hasHouseholds: !report.households.isEmpty, residentCount: report.residents, dueCount: report.due,
            overdueCount: report.overdue)
        return page.render("isolation", title: "\(page.language("isolation_title")) · \(heading)", values)
    }

    struct HomeVisitValues: PageValues {
        struct Floor: PageValues {
            var building: String
            var floor: String
            var visits: [Visit]
        }
        struct Visit: PageValues {
            var code: String
            var name: String
            var phone: String
            var household: String
            var why: String
            var tube: String
        }
        var site: SiteName
        var round: String
        var total: Int
        var floors: [Floor]
    }

    @Sendable func homeVisits(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        let site = try context.code("site")
        let page = PageEnvironment(request: request, actor: actor)
        let summary = try await store.siteSummary(site, by: actor)
        let report = try await store.homeVisits(site: site, round: try ReportController.round(request), by: actor)
        let floors = report.buildings.flatMap { building in
            building.floors.map { floor in
                HomeVisitValues.Floor(
                    building: building.building, floor: floor.floor,
                    visits: floor.visits.map {
                        .init(
                            code: $0.code, name: $0.name, phone: $0.phone, household: $0.household,
                            why: $0.why.map { page.language("visit_\($0.rawValue)") }.joined(separator: "、"),
                            tube: page.language("mode_\($0.tubeMode.rawValue)"))
                    })
            }
        }
        let values = HomeVisitValues(site: SiteName(id: summary.id, name: summary.name), round: report.round, total: report.total, floors: floors)
        return page.render("home-visits", title: "\(page.language("home_visits_title")) · \(summary.name)", values)
    }
}
