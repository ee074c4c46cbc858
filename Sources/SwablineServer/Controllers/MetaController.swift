import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// The API's own description, liveness and readiness.
struct MetaController {
    let store: any RoundReports

    /// The OpenAPI 3.1 document, read once from the bundle.
    static let openAPIDocument: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url)
        else { fatalError("openapi.json is missing from the SwablineServer bundle") }
        return data
    }()

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("v1/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: Self.openAPIDocument)))
        }
        routes.get("healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        // Ready means the database answers and a round is open: a load balancer or an
        // operator's script sends no gate traffic before that (liveness stays /healthz).
        routes.get("readyz") { request, context in
            do {
                let round = try await store.latestRound()
                let body = try WireFormat.encoder().encode(["status": "ready", "round": round.name])
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
            } catch {
                return try Problem(.serviceUnavailable, code: "not_ready", detail: "The database does not answer or no round is open.")
                    .response(from: request, context: context)
            }
        }
        return routes
    }
}
