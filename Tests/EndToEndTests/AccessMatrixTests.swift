import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import SwablineServer
@testable import SwablineStore
import Testing

/// Rule 7, route by route: for every operation of the OpenAPI document (and
/// every page), every kind of actor sends one request. The actors the table
/// in `AccessMatrix` allows succeed; every other one gets 401, 403 or 404
/// with a stable code, and the store is unchanged.
@Suite("Role × route: the wrong actor is refused and nothing changes")
struct AccessMatrixTests {
    typealias Who = AccessMatrix.Who

    /// The base store and every kind of credential; each row runs on a copy.
    struct World {
        var base: TestServer
        var tokens: [Who: String]
        var otherLabSecret: String

        static func make() async throws -> World {
            let base = try await TestServer.make()
            let store = base.store
            let (revokedID, revoked) = try await store.createToken(role: .coordinator, site: nil, label: "lost phone")
            try await store.revokeToken(id: revokedID)
            let expired = try await store.createToken(role: .coordinator, site: nil, label: "last round", validFor: 0.05).token
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await store.checkToken(expired) == .expired)
            let otherCourier = try await store.createToken(role: .courier, site: "huaxiali", label: "van 9").token
            let otherLabSecret = try await store.addLab("lab-jinyu")
            let labDesk = try await store.createToken(role: .lab, site: nil, label: "bench 1", lab: "lab-dian").token
            return World(
                base: base,
                tokens: [
                    .staff: base.staff, .otherStaff: base.otherStaff, .courier: base.courier, .otherCourier: otherCourier,
                    .coordinator: base.coordinator, .labDesk: labDesk, .revoked: revoked, .expired: expired,
                ],
                otherLabSecret: otherLabSecret)
        }

        /// The request `who` sends: a bearer token, or a lab's signature of the body.
        func send(
            _ http: Client, _ method: String, _ path: String, as who: Who, body: String?, contentType: String? = nil
        ) async throws -> Reply {
            let data = body.map { Data($0.utf8) }
            var path = path
            var headers: [String: String] = contentType.map { ["Content-Type": $0] } ?? [:]
            switch who {
            case .lab: headers.merge(base.labHeaders(data ?? Data())) { $1 }
            case .otherLab:
                // lab-jinyu, correctly signed, on its own path: about lab-dian's box it must learn nothing.
                path = path.replacingOccurrences(of: "/labs/lab-dian/", with: "/labs/lab-jinyu/")
                headers.merge(base.labHeaders(data ?? Data(), secret: otherLabSecret)) { $1 }
            default: break
            }
            return try await http.send(method, path, token: tokens[who], body: data, headers: headers)
        }
    }

    @Test("every documented operation and API route is in the table, and the table names no route that is gone")
    func classified() async throws {
        let world = try await World.make()
        let documented = try AccessMatrix.operations(document: try Data(contentsOf: Self.documentURL))
        let served = AccessMatrix.routes(buildRouter(store: world.base.store)).filter { $0.contains(" /v1/") }
        let table = Set(AccessMatrix.api.keys)
        let undocumented = documented.subtracting(table).sorted()
        #expect(undocumented.isEmpty, "classify these routes in AccessMatrix.api: \(undocumented)")
        #expect(served.subtracting(table).isEmpty, "classify these routes in AccessMatrix.api: \(served.subtracting(table).sorted())")
        let gone = table.subtracting(documented).subtracting(served)
        #expect(gone.isEmpty, "rows for routes that are neither documented nor served: \(gone.sorted())")
    }

    @Test("API: allowed actors succeed; every other actor gets 401/403/404 problem+json with a stable code, and the store is unchanged")
    func api() async throws {
        let world = try await World.make()
        let documentData = try Data(contentsOf: Self.documentURL)
        let checker = try OpenAPIChecker(data: documentData)
        let documented = try AccessMatrix.operations(document: documentData)
        let served = AccessMatrix.routes(buildRouter(store: world.base.store)).filter { $0.contains(" /v1/") }
        var refusals = 0
        for operation in documented.union(served).sorted() {
            guard let row = AccessMatrix.api[operation] else { continue }  // `classified` fails for it
            let method = String(operation.split(separator: " ")[0])
            let server = try await world.base.copy()
            let (refused, replies) = try await server.application.test(.live) { live in
                var refused = 0
                let http = Client(port: live.port!)
                for step in row.setup {
                    let reply = try await world.send(http, step.method, step.path, as: step.who, body: step.body)
                    try #require((200..<300).contains(reply.status), "setup of \(operation): \(reply)")
                }
                let before = try await server.fingerprint()
                for who in Who.allCases.sorted() where !row.allowed.contains(who) {
                    let reply = try await world.send(http, method, row.path, as: who, body: row.body, contentType: row.contentType)
                    refused += 1
                    for problem in Self.refusalProblems(reply, who: who, webhook: operation.contains("/webhooks") || operation.hasSuffix("/hl7")) {
                        Issue.record("\(operation) as \(who): \(problem) — \(reply)")
                    }
                }
                #expect(try await server.fingerprint() == before, "\(operation): a refused actor changed the store")
                for who in row.allowed.sorted() {
                    let reply = try await world.send(http, method, row.path, as: who, body: row.body, contentType: row.contentType)
                    #expect((200..<300).contains(reply.status), "\(operation) as \(who) is allowed: \(reply)")
                }
                return (refused, http.all)
            }
            refusals += refused
            if documented.contains(operation) {
                for reply in replies {
                    let problems = checker.problems(reply)
                    #expect(problems.isEmpty, "\(reply.method) \(reply.path): \(problems)")
                }
            }
        }
        #expect(refusals > 100, "the matrix ran (\(refusals) refusals)")
    }

    @Test("pages: the allowed get the page; others are sent to sign in (no or dead session) or refused 403/404; nothing changes")
    func pages() async throws {
        let world = try await World.make()
        let pageRoutes = AccessMatrix.routes(buildRouter(store: world.base.store)).filter {
            !$0.contains(" /v1/") && !$0.contains(" /fhir/") && !["GET /healthz", "GET /readyz", "GET /metrics"].contains($0)
        }
        let unclassified = pageRoutes.subtracting(AccessMatrix.pages.keys)
        #expect(unclassified.isEmpty, "classify these pages in AccessMatrix.pages: \(unclassified.sorted())")
        let gone = Set(AccessMatrix.pages.keys).subtracting(pageRoutes)
        #expect(gone.isEmpty, "rows for pages that are not served: \(gone.sorted())")
        // Labs have no session; their kinds are the API's concern.
        let kinds = Who.allCases.filter { $0 != .lab && $0 != .otherLab }.sorted()
        for operation in pageRoutes.sorted() {
            guard let row = AccessMatrix.pages[operation] else { continue }
            let method = String(operation.split(separator: " ")[0])
            let stream = operation.hasSuffix("/events")
            let server = try await world.base.copy()
            try await server.application.test(.live) { live in
                let http = Client(port: live.port!)
                for step in row.setup {
                    let reply = try await world.send(http, step.method, step.path, as: step.who, body: step.body)
                    try #require((200..<300).contains(reply.status), "setup of \(operation): \(reply)")
                }
                let before = try await server.fingerprint()
                for who in kinds where !row.allowed.contains(who) {
                    let (status, headers, html) = try await Self.page(live, method, row.path, cookie: world.tokens[who], form: row.body)
                    if who.hasValidToken {
                        #expect([403, 404].contains(status), "\(operation) as \(who): \(status) \(html.prefix(300))")
                        let isHTML = headers[.contentType]?.hasPrefix("text/html") ?? false
                        #expect(isHTML, "\(operation) as \(who)")
                        let showsCode = html.contains("(forbidden)") || html.contains("_not_found)")
                        #expect(showsCode, "\(operation) as \(who): no stable code shown")
                    } else {
                        let location = headers[.location]
                        #expect(status == 303 && location == "/login", "\(operation) as \(who): \(status)")
                        let cleared = headers[values: .setCookie].contains { $0.hasPrefix("swabline_session=;") }
                        #expect(who == .none || cleared, "\(operation) as \(who): a dead session cookie is cleared")
                    }
                }
                #expect(try await server.fingerprint() == before, "\(operation): a refused actor changed the store")
                if stream {
                    // Probed together: a dropped stream is noticed by the server only at its next write.
                    let statuses = try await withThrowingTaskGroup(of: (Who, Int).self) { group in
                        for who in kinds where row.allowed.contains(who) {
                            group.addTask { (who, try await Self.streamStatus(port: live.port!, row.path, cookie: world.tokens[who]!)) }
                        }
                        return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
                    }
                    let allOK = statuses.count == row.allowed.count && !statuses.values.contains { $0 != 200 }
                    #expect(allOK, "\(operation): \(statuses)")
                }
                for who in kinds where row.allowed.contains(who) && !stream {
                    if row.isPublic {
                        let (status, _, _) = try await Self.page(live, method, row.path, cookie: world.tokens[who], form: row.body)
                        #expect(status < 500, "\(operation) as \(who): \(status)")
                    } else {
                        let (status, _, html) = try await Self.page(live, method, row.path, cookie: world.tokens[who], form: row.body)
                        #expect(status == 200 || status == 303, "\(operation) as \(who): \(status) \(html.prefix(300))")
                        #expect(!html.contains("id=\"problem\""), "\(operation) as \(who) shows a refusal: \(html.prefix(600))")
                    }
                }
                if row.isPublic { #expect(try await server.fingerprint() == before, "\(operation) changed the store") }
            }
        }
    }

    // MARK: - Checks and helpers

    static var documentURL: URL {
        TestServer.repository.appendingPathComponent("Sources/SwablineServer/Resources/openapi.json")
    }

    /// What is wrong with an answer to an actor who must be refused; empty when it is a proper refusal.
    static func refusalProblems(_ reply: Reply, who: Who, webhook: Bool) -> [String] {
        var problems: [String] = []
        let code = reply.json["code"] as? String ?? ""
        if reply.contentType != "application/problem+json" { problems.append("not problem+json") }
        if (reply.json["detail"] as? String)?.isEmpty != false { problems.append("no detail") }
        if reply.json["status"] as? Int != reply.status { problems.append("status in the body differs") }
        switch (webhook, who) {
        case (true, .otherLab):
            if reply.status != 404 || !code.hasSuffix("_not_found") { problems.append("another lab must get 404 *_not_found") }
        case (true, _):
            if reply.status != 401 || code != "missing_signature" {
                problems.append("a bearer token on a webhook must get 401 missing_signature")
            }
        case (false, .none), (false, .revoked), (false, .expired), (false, .lab), (false, .otherLab):
            if reply.status != 401 || code != "unauthorized" { problems.append("must get 401 unauthorized") }
            if reply.headers["www-authenticate"] != "Bearer" { problems.append("401 without WWW-Authenticate: Bearer") }
        case (false, _):
            switch reply.status {
            case 403 where code == "forbidden": break
            case 404 where code.hasSuffix("_not_found") && code != "not_found": break
            default: problems.append("a valid token of the wrong actor must get 403 forbidden or 404 <kind>_not_found")
            }
        }
        return problems
    }

    /// A page request with the session cookie, as a browser on this server sends it (no redirects followed).
    static func page(
        _ client: some TestClientProtocol, _ method: String, _ path: String, cookie token: String?, form: String?
    ) async throws -> (Int, HTTPFields, String) {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let token { headers[.cookie] = "swabline_session=\(token)" }
        let response = try await client.execute(
            uri: path, method: HTTPRequest.Method(method)!, headers: headers, body: form.map { ByteBuffer(string: $0) })
        return (Int(response.status.code), response.headers, String(buffer: response.body))
    }

    /// The status of a streaming answer (Server-Sent Events), read from its head; the stream is then dropped.
    static func streamStatus(port: Int, _ path: String, cookie token: String) async throws -> Int {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.setValue("swabline_session=\(token)", forHTTPHeaderField: "Cookie")
        let probe = HeadProbe()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.timeoutIntervalForRequest = 10
        let session = URLSession(configuration: configuration, delegate: probe, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        return try await withCheckedThrowingContinuation { continuation in
            probe.continuation.withLock { $0 = continuation }
            session.dataTask(with: request).resume()
        }
    }
}

/// Answers a data task's status as soon as its head arrives, then cancels it.
final class HeadProbe: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let continuation = OnceContinuation()

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        continuation.resume(.success((response as? HTTPURLResponse)?.statusCode ?? 0))
        completionHandler(.cancel)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        continuation.resume(.failure(error ?? URLError(.badServerResponse)))
    }
}

/// A continuation resumed once, whichever callback comes first.
final class OnceContinuation: @unchecked Sendable {
    private let lock = NSLock()
    private var value: CheckedContinuation<Int, any Error>?

    func withLock(_ body: (inout CheckedContinuation<Int, any Error>?) -> Void) { lock.withLock { body(&value) } }

    func resume(_ result: Result<Int, any Error>) {
        let taken: CheckedContinuation<Int, any Error>? = lock.withLock {
            defer { value = nil }
            return value
        }
        taken?.resume(with: result)
    }
}
