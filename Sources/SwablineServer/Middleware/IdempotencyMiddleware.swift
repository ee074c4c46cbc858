import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
}

/// Makes a retried POST safe: a phone on a mobile network resends when the
/// answer is lost, and a scanner gets pressed twice.
///
/// A POST with `Idempotency-Key` is answered once; the same caller sending
/// the same key with the same method, path and body gets the first answer
/// again (same status, same body, `Idempotent-Replayed: true`); the same key
/// with anything else is 409 `idempotency_key_reused`; the same key while
/// its first request is still running is 409 `idempotency_key_in_flight`.
/// Keys belong to the caller's token and are kept at least 24 hours.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let answers: IdempotentAnswers

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[.idempotencyKey] else {
            return try await next(request, context)
        }
        guard Self.isValidKey(key) else {
            throw Problem(.badRequest, code: "invalid_idempotency_key",
                detail: "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces (a UUID is a good key).")
        }
        let scope = try context.requireActor().label
        let body = try await BodyReading.collect(request, upTo: context.maxUploadSize)
        var forwarded = request
        forwarded.body = .init(buffer: body)
        return try await answers.answer(
            scope: scope, key: key, fingerprint: IdempotentAnswers.fingerprint(request, body: body), whileRunning: .refuse
        ) {
            do {
                return try await next(forwarded, context)
            } catch {
                return try Problem.response(for: error, from: request, context: context)
            }
        }
    }

    /// 1 to 255 printable ASCII characters without spaces: safe to store,
    /// to log, and to join with the caller's scope by a line break.
    static func isValidKey(_ key: String) -> Bool {
        (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
