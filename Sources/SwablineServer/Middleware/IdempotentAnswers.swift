import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import SwablineCore
import SwablineStore

extension HTTPField.Name {
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}

/// Answers a request once per caller and key, and the same answer after:
/// what the API's `Idempotency-Key` header and the pages' hidden
/// `idempotency_key` field both stand on. One instance serves both, so a
/// key is in flight once, whichever door it came through.
///
/// The answer is remembered in the request's own transaction where the
/// route answers through `AnsweredWrite` (check-ins, calls, tubes, samples:
/// the gate's path). Elsewhere it is remembered in its own transaction
/// right after the request's: if the server dies between the two, a retry
/// runs the request again, and the domain's own rules (rule 3: same
/// ticket, same slot; a resent custody step answers the current state)
/// keep it from making a second of anything.
struct IdempotentAnswers: Sendable {
    let store: any AnswerMemory
    let inFlight = InFlightKeys()

    /// What a second copy does while the first copy is still being answered.
    enum WhileRunning {
        /// 409 `idempotency_key_in_flight`: an API client retries by itself.
        case refuse
        /// Wait (up to the bound) and answer with the first copy's answer:
        /// a browser shows only the answer to the last of two taps, so
        /// that one must be the real answer, not "try again".
        case wait(Duration)
    }

    /// A digest of what a key was used for: method, path and body.
    static func fingerprint(_ request: Request, body: ByteBuffer) -> String {
        var digest = SHA256()
        digest.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        digest.update(data: Data(buffer: body))
        return Hex.string(digest.finalize())
    }

    /// The remembered answer for `key`, or `run`'s answer, remembered.
    ///
    /// `run` must turn refusals into responses itself, so they are
    /// remembered exactly as the caller saw them. A 5xx says nothing was
    /// done and a redirect's meaning is in a header not kept, so neither is
    /// remembered: a retry with the same key runs again. With
    /// `replayWithin`, an answer older than that is not replayed: the
    /// request runs again and its answer replaces the old one.
    func answer(
        scope: String, key: String, fingerprint: String, whileRunning: WhileRunning, replayWithin: TimeInterval? = nil,
        run: () async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        // The key is claimed before the store is asked, and the store is asked
        // once: a copy that finished before the claim has its answer stored
        // (it releases the key only after remembering), and no copy on this
        // node can finish after it. While this node answers the first copy,
        // the others wait without asking the store (ten copies polling every
        // 20 ms were most of a loaded PostgreSQL's work).
        while !inFlight.claim(scope, key) {
            guard case let .wait(bound) = whileRunning, ContinuousClock.now - started < bound else {
                throw Problem(.conflict, code: "idempotency_key_in_flight",
                    detail: "A request with this Idempotency-Key is still being answered; retry in a moment.")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        defer { inFlight.release(scope, key) }
        if let first = try await store.rememberedAnswer(scope: scope, key: key, within: replayWithin) {
            return try Self.replay(first, fingerprint: fingerprint)
        }
        // Page taps replace an answer too old to replay; only API keys are remembered in the write's batch.
        let pending = replayWithin == nil ? Pending(scope: scope, key: key, fingerprint: fingerprint) : nil
        var response = try await Self.$pending.withValue(pending) { try await run() }
        guard response.status.code < 300 || (400..<500).contains(response.status.code) else { return response }
        let collector = BodyCollector()
        try await response.body.write(CollectingWriter(collector: collector))
        let answer = RememberedAnswer(
            fingerprint: fingerprint, status: response.status.code,
            contentType: response.headers[.contentType] ?? "application/json", body: Data(buffer: collector.buffer))
        if pending?.rendered.withLock({ $0 }) != answer {
            try await store.rememberAnswer(scope: scope, key: key, answer, replacing: replayWithin != nil)
        }
        response.body = .init(byteBuffer: collector.buffer)
        return response
    }

    /// The first answer again, marked `Idempotent-Replayed: true`; 409
    /// `idempotency_key_reused` when the key was first used for something else.
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

    func contains(_ scope: String, _ key: String) -> Bool {
        keys.withLock { $0.contains("\(scope)\n\(key)") }
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
