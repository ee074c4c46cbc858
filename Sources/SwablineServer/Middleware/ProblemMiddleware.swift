import Hummingbird
import Logging
import NIOHTTP1
import SwablineStore

/// Turns every error into problem+json: store refusals into their own
/// problem, Hummingbird's errors (unknown route, body too large) into a
/// problem with the same status, anything unexpected into a 500 that is
/// logged by its type only, never with request data (rule 8).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Problem.response(for: error, from: request, context: context)
        }
    }
}

extension Problem {
    /// The problem+json answer for any error a route throws. Shared by the
    /// problem middleware and the idempotency middleware, which must
    /// remember a refusal exactly as the caller saw it.
    static func response(for error: any Error, from request: Request, context: some RequestContext) throws -> Response {
        switch error {
        case let problem as Problem:
            return try problem.response(from: request, context: context)
        case let error as StoreError:
            return try Problem(error).response(from: request, context: context)
        case let error as HTTPResponseError:
            if error.status == .notFound, let allowed = DocumentedRoutes.api.methods(for: request.uri.path),
                !allowed.contains(request.method.rawValue)
            {
                var problem = Problem(.methodNotAllowed, code: "method_not_allowed",
                    detail: "\(request.method.rawValue) is not used on this path; it takes \(allowed.joined(separator: ", ")).")
                problem.headers[.allow] = allowed.joined(separator: ", ")
                return try problem.response(from: request, context: context)
            }
            let code: String
            switch error.status {
            case .notFound: code = "not_found"
            case .methodNotAllowed: code = "method_not_allowed"
            case .contentTooLarge: code = "body_too_large"
            case .badRequest: code = "invalid_body"
            default: code = "http_\(error.status.code)"
            }
            let detail = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            return try Problem(error.status, code: code, detail: detail).response(from: request, context: context)
        case is HTTPParserError:
            // A body that breaks HTTP itself (a malformed chunk, say) is the client's error, not ours.
            context.logger.notice("malformed request", metadata: ["error.type": "\(type(of: error))"])
            var problem = Problem(.badRequest, code: "malformed_request", detail: "The request does not follow HTTP/1.1 (a malformed chunk or header).")
            problem.headers[.connection] = "close"
            return try problem.response(from: request, context: context)
        default:
            context.logger.error("unexpected error", metadata: ["error.type": "\(type(of: error))"])
            return try Problem(.internalServerError, code: "internal_error", detail: "Something went wrong on our side; nothing was acknowledged.")
                .response(from: request, context: context)
        }
    }
}
