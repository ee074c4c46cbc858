import Hummingbird
import SwablineStore

/// Resolves `Authorization: Bearer <token>` into the request's actor. A
/// token that is present but unknown or revoked is refused at once; routes
/// that need an actor refuse a request without one.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let store: Store

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
            let actor = try await store.actor(forToken: String(parts[1]).trimmingCharacters(in: .whitespaces))
        else { throw Problem.unauthorized }
        var context = context
        context.actor = actor
        return try await next(request, context)
    }
}
