import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import SwablineStore

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
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
///
/// The answer is remembered in its own transaction right after the
/// request's own: if the server dies between the two, a retry runs the
/// request again, and the domain's own rules (rule 3: same ticket, same
/// slot; a resent custody step answers the current state) keep it from
/// making a second of anything.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let store: Store
    let inFlight = InFlightKeys()

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[.idempotencyKey] else {
            return try await next(request, context)
        }
        guard Self.isValidKey(key) else {
            throw Problem(.badRequest, code: "invalid_idempotency_key",
                detail: "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces (a UUID is a good key).")
        }
        let scope = try context.requireActor().label
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        var digest = SHA256()
        digest.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        digest.update(data: Data(buffer: body))
        let fingerprint = digest.finalize().map { String(format: "%02x", $0) }.joined()

        if let first = try await store.rememberedAnswer(scope: scope, key: key) {
            return try Self.replay(first, fingerprint: fingerprint)
        }
        guard inFlight.claim(scope, key) else {
            throw Problem(.conflict, code: "idempotency_key_in_flight",
                detail: "A request with this Idempotency-Key is still being answered; retry in a moment.")
        }
        defer { inFlight.release(scope, key) }
        // A request that finished between the lookup and the claim.
        if let first = try await store.rememberedAnswer(scope: scope, key: key) {
            return try Self.replay(first, fingerprint: fingerprint)
        }

        var forwarded = request
        forwarded.body = .init(buffer: body)
        var response: Response
        do {
            response = try await next(forwarded, context)
        } catch {
            response = try Problem.response(for: error, from: request, context: context)
        }
        // A 5xx says nothing was done: the caller may retry the same key and get a real answer.
        guard response.status.code < 500 else { return response }
        let collector = BodyCollector()
        try await response.body.write(CollectingWriter(collector: collector))
        let answer = RememberedAnswer(
            fingerprint: fingerprint, status: response.status.code,
            contentType: response.headers[.contentType] ?? "application/json", body: Data(buffer: collector.buffer))
        try await store.rememberAnswer(scope: scope, key: key, answer)
        response.body = .init(byteBuffer: collector.buffer)
        return response
    }

    /// 1 to 255 printable ASCII characters without spaces: safe to store,
    /// to log, and to join with the caller's scope by a line break.
    static func isValidKey(_ key: String) -> Bool {
        (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    static func replay(_ first: RememberedAnswer, fingerprint: String) throws -> Response {
        guard first.fingerprint == fingerprint else {
            throw Problem(.conflict, code: "idempotency_key_reused",
                detail: "This Idempotency-Key was used for a different request; use a new key for a new request.")
        }
        var headers = HTTPFields()
        headers[.contentType] = first.contentType
        headers[.idempotentReplayed] = "true"
        return Response(status: .init(code: first.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: first.body)))
    }
}

/// Keys whose first request is being answered right now, so two copies of
/// one request sent at once do not both run.
final class InFlightKeys: Sendable {
    private let keys = Mutex(Set<String>())

    func claim(_ scope: String, _ key: String) -> Bool {
        keys.withLock { $0.insert("\(scope)\n\(key)").inserted }
    }

    func release(_ scope: String, _ key: String) {
        _ = keys.withLock { $0.remove("\(scope)\n\(key)") }
    }
}

/// Where a response body is gathered so it can be remembered.
final class BodyCollector: @unchecked Sendable {
    // Written by one response writer at a time, read after it finished.
    var buffer = ByteBuffer()
}

struct CollectingWriter: ResponseBodyWriter {
    let collector: BodyCollector

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        collector.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
