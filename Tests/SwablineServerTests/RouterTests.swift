import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import SwablineServer
import SwablineStore

@Suite("Routes, the OpenAPI document and problem answers")
struct RouterTests {
    /// The router over a store on an in-memory database: routes and
    /// problems need no file (rule 5 is the store tests' and the kill -9 tests').
    func makeRouter() throws -> Router<AppContext> {
        buildRouter(store: try Store.inMemory())
    }

    @Test("every route is in the OpenAPI document, and every documented operation is a route")
    func documented() throws {
        let router = try makeRouter()
        try router.validate()
        // The pages (HTML for people, outside /v1) are not part of the API and not in its document.
        let routes = Set(router.routes.filter { route in
            let path = "\(route.path)"
            return path.hasPrefix("v1/") || path.hasPrefix("/v1/") || ["healthz", "/healthz", "readyz", "/readyz"].contains(path)
        }.map { route in
            let path = "\(route.path)".split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            return "\(route.method) /" + path.joined(separator: "/")
        })
        let document = try JSONSerialization.jsonObject(with: MetaController.openAPIDocument) as! [String: Any]
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = document["paths"] as! [String: [String: Any]]
        let operations = Set(paths.flatMap { path, item in
            item.keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }.map { "\($0.uppercased()) \(path)" }
        })
        #expect(routes == operations, "undocumented: \(routes.subtracting(operations)); not served: \(operations.subtracting(routes))")
    }

    @Test("unknown routes, missing tokens and unreadable bodies answer problem+json with a stable code")
    func problems() async throws {
        let app = Application(router: try makeRouter())
        try await app.test(.router) { client in
            func expectProblem(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: String, detail: String? = nil) throws {
                #expect(response.status == status)
                #expect(response.headers[.contentType] == "application/problem+json")
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                #expect(body["code"] as? String == code)
                #expect(body["status"] as? Int == Int(status.code))
                if let detail { #expect(body["detail"] as? String == detail) }
            }
            try await client.execute(uri: "/v1/nothing", method: .get) { try expectProblem($0, .notFound, "not_found") }
            // A documented path with a method it does not take: 405 and the methods it does.
            try await client.execute(uri: "/v1/sites/fangfeiyuan/checkins", method: .get) {
                try expectProblem($0, .methodNotAllowed, "method_not_allowed")
                #expect($0.headers[.allow] == "POST")
            }
            try await client.execute(uri: "/readyz", method: .delete) { #expect($0.headers[.allow] == "GET") }
            // No round yet in this fresh store: not ready; live all the same.
            try await client.execute(uri: "/readyz", method: .get) { try expectProblem($0, .serviceUnavailable, "not_ready") }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/sites/fangfeiyuan/checkins", method: .post, body: ByteBuffer(string: "{}")) {
                try expectProblem($0, .unauthorized, "unauthorized")
            }
            try await client.execute(
                uri: "/v1/sites/fangfeiyuan/checkins", method: .post, headers: [.authorization: "Bearer swb_not_a_token"], body: ByteBuffer(string: "{}")
            ) { try expectProblem($0, .unauthorized, "unauthorized") }
            try await client.execute(uri: "/v1/labs/lab-dian/webhooks", method: .post, body: ByteBuffer(string: "{}")) {
                try expectProblem($0, .unauthorized, "missing_signature")
            }
        }
    }

    @Test("a body that does not decode names the field")
    func decodeMessages() throws {
        struct Payload: Decodable { struct Item: Decodable { var tubeCount: Int }; var items: [Item] }
        for (json, detail) in [
            (#"{"items":[{"tube_count":"x"}]}"#, "items[0].tube_count has the wrong type."),
            (#"{"items":[{}]}"#, "items[0].tube_count is missing."),
            ("not json", "The body is not valid JSON."),
        ] {
            #expect(throws: Problem.self) { try APIDecoder.decode(Payload.self, from: Data(json.utf8)) }
            do { _ = try APIDecoder.decode(Payload.self, from: Data(json.utf8)) } catch let problem as Problem {
                #expect(problem.detail == detail)
                #expect(problem.code == "invalid_body")
            } catch { Issue.record("unexpected \(error)") }
        }
    }
}
