import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One answer from the server, as a real client sees it.
struct Reply: CustomStringConvertible {
    var status: Int
    var headers: [String: String]
    var body: Data
    var method: String
    var path: String

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
    var contentType: String { headers["content-type"] ?? "" }
    var description: String { "\(method) \(path) → \(status) \(text.prefix(400))" }
}

/// A real HTTP client (URLSession, libcurl underneath) against the server
/// on a loopback port. Every reply is kept so tests can check all of them.
final class Client: @unchecked Sendable {
    let base: String
    let session: URLSession
    private let lock = NSLock()
    private var replies: [Reply] = []

    init(port: Int) {
        base = "http://127.0.0.1:\(port)"
        let configuration = URLSessionConfiguration.ephemeral
        // Generous: on the PostgreSQL pass several servers and their databases share two cores,
        // and a request that is merely slow there is not what these tests judge.
        configuration.timeoutIntervalForRequest = 120
        session = URLSession(configuration: configuration)
    }

    var all: [Reply] { lock.withLock { replies } }

    @discardableResult
    func send(
        _ method: String, _ path: String, token: String? = nil, json: Any? = nil, body: Data? = nil, headers: [String: String] = [:]
    ) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)".lowercased()] = "\(value)" }
        let reply = Reply(status: http.statusCode, headers: fields, body: data, method: method, path: path)
        lock.withLock { replies.append(reply) }
        return reply
    }
}
