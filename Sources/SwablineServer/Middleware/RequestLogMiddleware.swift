import Foundation
import Hummingbird
import Logging
import SwablineCore

/// One log line per request: method, path, status, time taken, and
/// Hummingbird's request id on every line (it is in the logger's metadata).
///
/// Hummingbird's own request logger writes the raw path, and a path can
/// carry a person's number: a scanner fed an ID card instead of a resident
/// code sends `/v1/residents/310110193307232813/outcome`. Here every run of
/// eleven or more digits (a phone number, an ID number) is masked as the
/// answers mask it, so no log line ever holds one (rule 8).
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, since: start)
            return response
        } catch {
            log(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    func log(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "hb.request.method": "\(request.method.rawValue)",
            "hb.request.path": "\(Self.scrub(request.uri.path))",
            "hb.response.status": "\(status)",
            "duration_ms": "\((milliseconds * 100).rounded() / 100)",
        ])
    }

    /// The path with every long run of digits (and an ID's final X) masked.
    static func scrub(_ path: String) -> String { PersonalData.maskNumbers(in: path) }
}
