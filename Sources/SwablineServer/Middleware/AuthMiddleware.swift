import Hummingbird
import SwablineStore

/// Resolves `Authorization: Bearer <token>` into the request's actor. A
/// token that is present but unknown, expired or revoked is refused at once
/// (401, or 429 once the client has failed too often: `FailedAttempts`); routes
/// that need an actor refuse a request without one.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let store: any Credentials
    let failures: FailedAttempts

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        let reason: String
        if parts.count == 2, parts[0].lowercased() == "bearer" {
            let check = try await store.checkToken(String(parts[1]).trimmingCharacters(in: .whitespaces))
            if case let .valid(actor) = check {
                var context = context
                context.actor = actor
                return try await next(request, context)
            }
            reason = check.failure ?? "unknown_token"
        } else {
            reason = "malformed_header"
        }
        if let tooMany = failures.signInFailed(via: .token, reason: reason, address: context.clientAddress) { throw tooMany }
        throw Problem.unauthorized
    }
}
