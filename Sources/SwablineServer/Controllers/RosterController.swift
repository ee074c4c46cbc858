import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// A site's roster uploaded while the server runs: the residents who are
/// expected (应检尽检), checked row by row before anything is written.
struct RosterController {
    let store: any RoundReports

    struct Answer: ResponseEncodable {
        var site: String
        var residents: Int
        var added: Int
    }

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.put("sites/:site/roster", use: upload)
        return routes
    }

    @Sendable func upload(_ request: Request, context: AppContext) async throws -> Answer {
        let site = try context.code("site")
        let actor = try context.requireActor()
        try Self.requireCSV(request, of: "the roster", columns: "with the columns of sites/README.md")
        let body = Data(buffer: try await BodyReading.collect(request, upTo: context.maxUploadSize))
        return try await Self.answer(try await store.uploadRoster(site: site, data: body, by: actor), site: site)
    }

    /// An upload that must be CSV (a roster, a lab's results): anything
    /// else is named before a byte is read.
    static func requireCSV(_ request: Request, of what: String, columns: String) throws {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("text/csv") || type.hasPrefix("text/plain") else {
            throw Problem(.unsupportedMediaType, code: "unsupported_media_type",
                detail: "Send \(what) as CSV (Content-Type: text/csv), \(columns).")
        }
    }

    /// The upload's answer, or every row problem as one 422 `invalid_roster`.
    static func answer(_ result: RosterImport, site: String) throws -> Answer {
        guard result.problems.isEmpty else {
            let errors = result.problems.map { problem in
                Problem.FieldError(field: problem.line.map { "line \($0): \(problem.field)" } ?? problem.field, why: problem.why)
            }
            throw Problem(.unprocessableContent, code: "invalid_roster",
                detail: "The roster has \(errors.count) problem(s); nothing was changed. Fix the rows named and upload it again.",
                errors: errors)
        }
        return Answer(site: site, residents: result.residents, added: result.added)
    }
}
