import Foundation
import Hummingbird
import Synchronization
import SwablineCore
import SwablineStore

/// The JSON answer to a route's one store write.
///
/// Under an `Idempotency-Key` the answer is rendered inside the write's own
/// savepoint and remembered in the same transaction (`AnswerToRemember`):
/// a check-in is one job of the writer, not two, and there is no moment
/// where the write is on disk and its answer is not. Without a key, or for
/// a refusal, it is the plain answer and `IdempotentAnswers` does the rest.
enum AnsweredWrite {
    static func json<T: Encodable & Sendable>(
        status: @escaping @Sendable (T) -> HTTPResponse.Status, _ write: () async throws -> T
    ) async throws -> Response {
        guard let pending = IdempotentAnswers.pending else {
            let value = try await write()
            return response(status: status(value), body: try WireFormat.encoder().encode(value))
        }
        let remember = AnswerToRemember(scope: pending.scope, key: pending.key) { value in
            guard let value = value as? T else { return nil }
            let answer = RememberedAnswer(
                fingerprint: pending.fingerprint, status: Int(status(value).code), contentType: "application/json",
                body: try WireFormat.encoder().encode(value))
            pending.rendered.withLock { $0 = answer }
            return answer
        }
        let value = try await AnswerToRemember.$current.withValue(remember) { try await write() }
        // The bytes remembered are the bytes sent.
        if let answer = pending.rendered.withLock({ $0 }) {
            return response(status: .init(code: answer.status), body: answer.body)
        }
        return response(status: status(value), body: try WireFormat.encoder().encode(value))
    }

    private static func response(status: HTTPResponse.Status, body: Data) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension IdempotentAnswers {
    /// The API request with an `Idempotency-Key` this task is answering, and
    /// the answer its write rendered, if any.
    final class Pending: Sendable {
        let scope: String
        let key: String
        let fingerprint: String
        let rendered = Mutex<RememberedAnswer?>(nil)

        init(scope: String, key: String, fingerprint: String) {
            self.scope = scope
            self.key = key
            self.fingerprint = fingerprint
        }
    }

    @TaskLocal static var pending: Pending?
}
