import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwablineServer

/// One answer from the server: its status and body.
struct APIAnswer: Sendable {
    var status: Int
    var body: Data

    /// The problem's stable `code` (RFC 9457 body), when it is one.
    var problemCode: String? { (try? JSONDecoder().decode(Problem.self, from: body))?.code }

    /// What a person reads: `409 household_in_other_tube: <detail>`.
    var summary: String {
        if let problem = try? JSONDecoder().decode(Problem.self, from: body) {
            return "\(status) \(problem.code ?? "")" + (problem.detail.map { ": \($0)" } ?? "")
        }
        return "\(status) " + String(decoding: body.prefix(300), as: UTF8.self)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: body)
    }

    private struct Problem: Decodable {
        var code: String?
        var detail: String?
    }
}

/// Sends the replay's requests with AsyncHTTPClient, one at a time unless
/// the caller runs several, each bounded by the replay's deadline, and
/// counts them.
final class ReplayClient: Sendable {
    let target: ReplayTarget
    let deadline: ContinuousClock.Instant
    private let client = HTTPClient.shared
    private let sent = RequestCounter()

    init(target: ReplayTarget, deadline: ContinuousClock.Instant) {
        self.target = target
        self.deadline = deadline
    }

    var requests: Int { sent.value }

    /// Sends a request with a bearer token (or the extra headers given) and
    /// a JSON body; answers whatever status came back.
    /// - Throws: `ReplayError.timedOut` past the deadline, `.unreachable`
    ///   when the server does not answer.
    func send(
        _ method: HTTPMethod, _ path: String, token: String? = nil, headers extra: [(String, String)] = [], body: Data? = nil
    ) async throws -> APIAnswer {
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { throw ReplayError.timedOut }
        var request = HTTPClientRequest(url: target.base + path)
        request.method = method
        request.headers.add(name: "user-agent", value: "swabline-simulate")
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        sent.add()
        let timeout = TimeAmount.nanoseconds(Int64(min(left, .seconds(60)).components.seconds) * 1_000_000_000 + 1_000_000)
        do {
            let response = try await client.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: 64 << 20)
            return APIAnswer(status: Int(response.status.code), body: Data(buffer.readableBytesView))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw ContinuousClock.now >= deadline ? ReplayError.timedOut : ReplayError.unreachable(target.base, String(describing: error))
        } catch {
            throw ReplayError.unreachable(target.base, String(describing: error))
        }
    }

    /// A JSON body: snake_case keys, sorted, as the API takes them.
    static func json<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(value)
    }

    /// A lab's delivery, signed with Standard Webhooks as its LIS would.
    func webhook<T: Encodable>(lab: String, secret: String, id: String, _ payload: T) async throws -> APIAnswer {
        let body = Self.json(payload)
        let timestamp = Int(Date().timeIntervalSince1970)
        guard let signature = StandardWebhooks.sign(id: id, timestamp: timestamp, body: body, secret: secret) else {
            throw ReplayError.badLabSecret
        }
        return try await send(
            .POST, "/v1/labs/\(lab)/webhooks",
            headers: [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature)], body: body)
    }
}

/// A count several tasks add to.
final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}
