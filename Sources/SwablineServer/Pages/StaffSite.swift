import Hummingbird
import SwablineCore
import SwablineStore

/// The site a staff page is about, opened for the signed-in staff member of
/// that site (rule 7: staff of another site get 403, like the API answers).
struct StaffSite {
    var page: PageEnvironment
    var actor: Actor
    var summary: SiteSummary

    var id: String { summary.id }

    static func open(_ store: any RoundReports, _ request: Request, _ context: AppContext) async throws -> StaffSite {
        let actor = try context.pageActor()
        let site = try context.code("site")
        try Store.checkStaff(actor, site: site)
        return StaffSite(page: PageEnvironment(request: request, actor: actor), actor: actor, summary: try await store.siteSummary(site, by: actor))
    }

    /// The site as templates see it, beneath the page's own values.
    struct Values: PageValues {
        struct Site: PageValues {
            var id: String
            var name: String
            var stations: [SiteName]
        }
        var site: Site
    }

    var values: Values {
        Values(site: .init(id: summary.id, name: summary.name, stations: summary.stations.map { SiteName(id: $0.id, name: $0.name) }))
    }

    func render(_ template: String, title key: String, _ values: any PageValues = NoPageValues(), problem: Problem? = nil) -> Response {
        page.render(template, title: "\(page.language(key)) · \(summary.name)", values, self.values, problem: problem)
    }
}
