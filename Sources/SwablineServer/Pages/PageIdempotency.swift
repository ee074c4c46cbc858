import Foundation
import Hummingbird

/// A double-tapped button or a resent scan on a page is answered once: the
/// second copy gets the first copy's page, not a refusal of its own.
///
/// Every form carries a hidden `idempotency_key`, fresh for each rendered
/// page. Unlike an API client, which picks its key and makes a mistake if
/// it sends something else under it, one rendered page may send different
/// things on purpose (a second resident scanned before the page came back,
/// a second button), so a page's request is named by the render's key
/// together with everything sent: the same form sent again from the same
/// page is one request; anything else is a new one. A copy that arrives
/// while the first is still running waits for its answer, because a
/// browser shows only the answer to the last tap.
struct PageIdempotencyMiddleware: RouterMiddleware {
    typealias Context = AppContext
    static let field = "idempotency_key"
    /// How long a second tap waits for the first tap's answer before it is told to try again.
    static let patience: Duration = .seconds(10)
    /// How long a page's answer is replayed. A double tap or a resent scan
    /// comes within seconds; a page brought back hours later from the
    /// browser's history whose button is pressed again means it.
    static let replayWithin: TimeInterval = 10 * 60
    let answers: IdempotentAnswers

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard request.method == .post, let actor = context.actor else { return try await next(request, context) }
        let body = try await BodyReading.collect(request, upTo: PageForm.limit(for: request.uri.path))
        var forwarded = request
        forwarded.body = .init(buffer: body)
        // A form without the field (a page from an older version, a script) is answered as it comes.
        guard PageForm(encoded: String(buffer: body)).optional(Self.field) != nil else { return try await next(forwarded, context) }
        let fingerprint = IdempotentAnswers.fingerprint(request, body: body)
        let page = PageEnvironment(request: request, actor: actor)
        var response = try await answers.answer(
            scope: actor.label, key: "page:\(fingerprint)", fingerprint: fingerprint, whileRunning: .wait(Self.patience),
            replayWithin: Self.replayWithin
        ) {
            do {
                return try await next(forwarded, context)
            } catch {
                return try page.response(for: error)
            }
        }
        if response.headers[.idempotentReplayed] != nil { response.headers.append(contentsOf: PageRenderer.pageHeaders) }
        return response
    }
}
