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

    /// The site as templates see it.
    var values: [String: Any] {
        ["id": summary.id, "name": summary.name, "stations": summary.stations.map { ["id": $0.id, "name": $0.name] }]
    }

    func render(_ template: String, title key: String, _ values: [String: Any], problem: Problem? = nil) -> Response {
        var values = values
        values["site"] = self.values
        return page.render(template, title: "\(page.language(key)) · \(summary.name)", values, problem: problem)
    }
}
