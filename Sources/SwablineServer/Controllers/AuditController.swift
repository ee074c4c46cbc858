import Hummingbird
import SwablineCore
import SwablineStore

/// The coordinator's audit: one resident's, tube's or box's trail, and
/// revealing a resident's unmasked numbers (which itself goes in the trail).
struct AuditController {
    let store: any RoundReports

    struct RevealRequest: Decodable { var reason: String }
    struct Trail: ResponseEncodable, Codable { var entries: [AuditEntry] }

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("audit", use: trail)
        routes.post("residents/:code/reveal", use: reveal)
        return routes
    }

    @Sendable func trail(_ request: Request, context: AppContext) async throws -> Trail {
        let actor = try context.requireActor()
        let query = request.uri.queryParameters
        let given = [("resident", query["resident"]), ("tube", query["tube"]), ("box", query["box"])].compactMap { name, value in
            value.map { (name, String($0)) }
        }
        guard given.count == 1, let (name, code) = given.first else {
            throw Problem.invalidField("resident", "or tube or box: give exactly one of them")
        }
        let subject: AuditSubject = switch name {
        case "resident": .resident(code)
        case "tube": .tube(code)
        default: .box(code)
        }
        return Trail(entries: try await store.auditTrail(subject, by: actor))
    }

    @Sendable func reveal(_ request: Request, context: AppContext) async throws -> RevealedResident {
        let actor = try context.requireActor()
        // Refused before the body is read: only a coordinator may ever see these numbers.
        guard case .coordinator = actor else {
            throw Problem(StoreError.forbidden("Only a coordinator may reveal a resident's numbers, and it is audited."))
        }
        let body = try await request.decode(as: RevealRequest.self, context: context)
        return try await store.revealResident(code: try context.code("code"), reason: body.reason, by: actor)
    }
}

extension RevealedResident: ResponseEncodable {}
