import Foundation
import Hummingbird
import HummingbirdTesting
import SwablineServer
import Testing

/// Pages use the API's idempotency too: a double-tapped button or a resent
/// scan makes nothing twice and shows the first answer, not a refusal.
@Suite("Pages: double taps and resent scans")
struct PageIdempotencyTests {
    /// The form keys on a page, one per form that writes (sign-out has none).
    static func keys(_ html: String) -> [String] {
        html.components(separatedBy: #"<form method="post""#).dropFirst().compactMap { form in
            if form.hasPrefix(#" action="/logout""#) { return nil }
            let inside = form.components(separatedBy: "</form>")[0]
            guard let start = inside.range(of: #"name="idempotency_key" value=""#) else { return "" }
            return String(inside[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// A signed-in browser's headers for a form post.
    static func session(_ token: String) -> [String: String] {
        ["Cookie": "swabline_session=\(token)", "Content-Type": "application/x-www-form-urlencoded"]
    }

    static func form(_ fields: [String: String]) -> Data { Data(buffer: PageTests.form(fields)) }

    @Test("every form on a page carries the page's own fresh key")
    func everyFormHasAKey() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            let cookie = Self.session(server.staff)
            _ = try await http.send("POST", "/v1/sites/fangfeiyuan/tubes", token: server.staff, body: Data(#"{"tube":"T-KEYS","station":"s1"}"#.utf8))
            _ = try await http.send("POST", "/v1/sites/fangfeiyuan/boxes", token: server.staff, body: Data(#"{"box":"B-KEYS"}"#.utf8))
            for (path, forms) in [("/sites/fangfeiyuan/gate", 1), ("/sites/fangfeiyuan/stations/s1", 4), ("/sites/fangfeiyuan/packing", 3)] {
                let first = try await http.send("GET", path, headers: cookie)
                let again = try await http.send("GET", path, headers: cookie)
                let keys = Self.keys(first.text)
                #expect(keys.count == forms, "\(path): \(keys)")
                #expect(keys.allSatisfy { UUID(uuidString: $0) != nil }, "\(path): a form without a key: \(keys)")
                #expect(Set(keys).isDisjoint(with: Self.keys(again.text)), "\(path): a key was used for two renders")
            }
            // The walk-in form (an unknown code) beside the scan form, and the courier's pickup form.
            let walkIn = try await http.send("POST", "/sites/fangfeiyuan/gate", body: Self.form(["resident_code": "FFY-NEW-7"]), headers: cookie)
            #expect(Self.keys(walkIn.text).count == 2 && Self.keys(walkIn.text).allSatisfy { UUID(uuidString: $0) != nil }, "\(walkIn)")
            for (path, body) in [
                ("/v1/sites/fangfeiyuan/checkins", #"{"resident_code":"FFY000005"}"#), ("/v1/tubes/T-KEYS/samples", #"{"resident_code":"FFY000005"}"#),
                ("/v1/tubes/T-KEYS/seal", "{}"), ("/v1/boxes/B-KEYS/tubes", #"{"tube":"T-KEYS"}"#), ("/v1/boxes/B-KEYS/seal", "{}"),
            ] {
                let reply = try await http.send("POST", path, token: server.staff, body: Data(body.utf8))
                #expect(reply.status < 300, "\(reply)")
            }
            let courier = try await http.send("GET", "/courier", headers: Self.session(server.courier))
            #expect(Self.keys(courier.text).count == 1 && UUID(uuidString: Self.keys(courier.text)[0]) != nil, "\(courier)")
        }
    }

    @Test("a scanner's double Enter opens one tube: ten copies at once all get the first page")
    func doubleTapOpensOneTube() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            let cookie = Self.session(server.staff)
            let path = "/sites/fangfeiyuan/stations/s1"
            let key = try #require(Self.keys(try await http.send("GET", path, headers: cookie).text).first)
            let open = Self.form(["idempotency_key": key, "action": "open", "tube": "T-PAGE-1"])
            let before = try await server.fingerprint()["tube"] ?? []
            // Ten copies at once: a second copy waits for the first one's page instead of being told to retry,
            // since the browser shows only the answer to the last tap.
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<10 { group.addTask { try await http.send("POST", path, body: open, headers: cookie) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for reply in replies {
                #expect(reply.status == 200 && reply.text.contains("T-PAGE-1") && !reply.text.contains(#"id="problem""#), "\(reply)")
                #expect(reply.body == replies[0].body, "every copy shows the same page")
                #expect(reply.headers["content-security-policy"]?.contains("default-src 'none'") == true, "a replayed page keeps its headers")
            }
            #expect(replies.filter { $0.headers["idempotent-replayed"] == "true" }.count == 9)
            #expect((try await server.fingerprint()["tube"] ?? []).count == before.count + 1, "one tube opened")

            // The same form from the same page a minute later: still the first page.
            let later = try await http.send("POST", path, body: open, headers: cookie)
            #expect(later.status == 200 && later.body == replies[0].body && later.headers["idempotent-replayed"] == "true")
            // Without the key (an old page, a script) it is a new request, and the store refuses it:
            // what the key spares the person at the desk.
            let unkeyed = try await http.send("POST", path, body: Self.form(["action": "open", "tube": "T-PAGE-1"]), headers: cookie)
            #expect(unkeyed.status == 409 && unkeyed.text.contains("(tube_exists)"), "\(unkeyed)")
            // Another form from the same page is another request, not a reuse of the key.
            let call = try await http.send("POST", path, body: Self.form(["idempotency_key": key, "action": "call"]), headers: cookie)
            #expect(call.status == 200 && call.headers["idempotent-replayed"] == nil, "\(call)")
        }
    }

    @Test("a resent gate scan shows the first ticket; a new scan of the same person from a new page says it is a repeat")
    func resentScan() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            let staff = Self.session(server.staff)
            let path = "/sites/fangfeiyuan/gate"
            let key = try #require(Self.keys(try await http.send("GET", path, headers: staff).text).first)
            let scan = Self.form(["idempotency_key": key, "resident_code": "FFY000006"])
            let first = try await http.send("POST", path, body: scan, headers: staff)
            let resent = try await http.send("POST", path, body: scan, headers: staff)
            #expect(first.status == 200 && first.text.contains(#"id="ticket-label">A001<"#) && !first.text.contains(#"id="repeated""#))
            #expect(resent.body == first.body && resent.headers["idempotent-replayed"] == "true")

            // Two residents scanned from one page before it came back are two check-ins.
            let second = try await http.send("POST", path, body: Self.form(["idempotency_key": key, "resident_code": "FFY000007"]), headers: staff)
            #expect(second.status == 200 && second.headers["idempotent-replayed"] == nil && !second.text.contains(#"id="repeated""#), "\(second)")

            let nextKey = try #require(Self.keys(first.text).first)
            let again = try await http.send("POST", path, body: Self.form(["idempotency_key": nextKey, "resident_code": "FFY000006"]), headers: staff)
            #expect(again.text.contains(#"id="ticket-label">A001<"#) && again.text.contains(#"id="repeated""#))

            // Keys are the signed-in token's own: a colleague's page sending the same form is their own request.
            let colleague = try await server.store.createToken(role: .staff, site: "fangfeiyuan", label: "gate 2").token
            let theirs = try await http.send("POST", path, body: scan, headers: Self.session(colleague))
            #expect(theirs.headers["idempotent-replayed"] == nil && theirs.text.contains(#"id="repeated""#), "\(theirs)")
        }
    }
}
