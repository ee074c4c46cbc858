import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// A site's roster uploaded from the dashboard while the server runs:
/// choose the file (pages.js reads it into the form) or paste it; every
/// row problem is listed by line, as `swabline sites check` lists them,
/// and one problem writes nothing.
struct RosterPage {
    let store: any ServerStore

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("sites/:site/roster", use: show)
        routes.post("sites/:site/roster", use: upload)
        return routes
    }

    struct Values: PageValues {
        struct Site: PageValues {
            var id: String
            var name: String
        }
        struct Problem: PageValues {
            var line: String
            var field: String
            var why: String
        }
        var site: Site
        var problems: [Problem]
        var hasProblems: Bool
        var notice: PageNotice?
    }

    @Sendable func show(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        return try await render(PageEnvironment(request: request, actor: actor), actor, site: try context.code("site"))
    }

    @Sendable func upload(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        let site = try context.code("site")
        let page = PageEnvironment(request: request, actor: actor)
        let form = PageForm(encoded: String(buffer: try await BodyReading.collect(request, upTo: PageForm.uploadSize)))
        do {
            let result = try await store.uploadRoster(site: site, data: Data(form["roster"].utf8), by: actor)
            guard result.problems.isEmpty else { return try await render(page, actor, site: site, problems: result.problems) }
            let notice = PageNotice(text: "\(page.language("roster_uploaded")): \(result.residents) · \(page.language("roster_added")) \(result.added)")
            return try await render(page, actor, site: site, notice: notice)
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            return try await render(page, actor, site: site, problem: problem)
        }
    }

    func render(
        _ page: PageEnvironment, _ actor: Actor, site: String, problems: [SiteProblem] = [], notice: PageNotice? = nil,
        problem: Problem? = nil
    ) async throws -> Response {
        let summary = try await store.siteSummary(site, by: actor)
        let rows = problems.map { Values.Problem(line: $0.line.map(String.init) ?? "", field: $0.field, why: $0.why) }
        let values = Values(
            site: .init(id: site, name: summary.name), problems: rows, hasProblems: !rows.isEmpty, notice: notice)
        return page.render("roster", title: page.language("roster_upload"), values, problem: problem)
    }
}
