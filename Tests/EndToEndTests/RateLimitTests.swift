import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import HummingbirdTesting
import SwablineServer
import SwablineStore
import Testing

/// Failed sign-ins and bad lab signatures are limited per client address
/// (and per lab), answered 429 with `Retry-After`, and counted in /metrics.
@Suite("Rate limits on failed sign-ins and bad signatures")
struct RateLimitTests {
    /// Small limits with a slow refill (one a minute), so the test never waits on the clock.
    static let limits = AccessLimits(
        signIns: RateLimit(burst: 3, perMinute: 1), signaturesPerAddress: RateLimit(burst: 3, perMinute: 1),
        signaturesPerLab: RateLimit(burst: 5, perMinute: 1))

    static func expectTooMany(_ reply: Reply, _ comment: String) {
        #expect(reply.status == 429, "\(comment): \(reply)")
        #expect(reply.contentType == "application/problem+json", "\(comment): \(reply)")
        #expect(reply.json["code"] as? String == "too_many_attempts", "\(comment): \(reply)")
        let retryAfter = reply.headers["retry-after"].flatMap { Int($0) } ?? 0
        #expect((1...60).contains(retryAfter), "\(comment): Retry-After \(reply.headers["retry-after"] ?? "missing")")
    }

    @Test("bad tokens: N failures, then 429 with Retry-After; good tokens still work; another address is unaffected; nothing changes")
    func signIns() async throws {
        let server = try await TestServer.make()
        var configuration = server.configuration
        configuration.accessLimits = Self.limits
        let (revokedID, revoked) = try await server.store.createToken(role: .courier, site: nil, label: nil)
        try await server.store.revokeToken(id: revokedID)
        try await buildApplication(configuration, store: server.store).test(.live) { live in
            let port = live.port!
            let http = Client(port: port)  // from 127.0.0.1
            let before = try await server.fingerprint()
            // Successes are not counted: many of them leave the whole burst.
            for _ in 0..<10 { #expect(try await http.send("GET", "/v1/rounds/current", token: server.staff).status == 200) }
            for token in ["swb_forged", revoked, "swb_forged"] {
                let reply = try await http.send("GET", "/v1/rounds/current", token: token)
                #expect(reply.status == 401 && reply.json["code"] as? String == "unauthorized", "\(reply)")
            }
            Self.expectTooMany(try await http.send("GET", "/v1/rounds/current", token: "swb_forged"), "4th bad token")
            Self.expectTooMany(try await http.send("GET", "/v1/rounds/current", token: revoked), "revoked, over the limit")
            Self.expectTooMany(
                try await http.send("GET", "/v1/rounds/current", headers: ["Authorization": "Basic eDp5"]), "malformed header")
            // The page form shares the address's bucket.
            let login = try await Self.raw(port: port, from: "127.0.0.1", "POST", "/login", body: "token=swb_forged")
            #expect(login.status == 429 && login.headers["retry-after"] != nil, "\(login.status)")
            #expect(login.body.contains("too_many_attempts"), "the page shows the code")
            // A valid token is never limited, even from this address: a gate behind one NAT keeps working.
            #expect(try await http.send("GET", "/v1/rounds/current", token: server.coordinator).status == 200)
            // No token is not a failed sign-in: still the plain 401.
            #expect(try await http.send("GET", "/v1/rounds/current").status == 401)

            // Another address has its own bucket.
            let other = try await Self.raw(port: port, from: "127.0.0.2", "GET", "/v1/rounds/current", token: "swb_forged")
            #expect(other.status == 401 && other.body.contains("\"unauthorized\""), "\(other.status) \(other.body)")
            let otherLogin = try await Self.raw(port: port, from: "127.0.0.2", "POST", "/login", body: "token=swb_forged")
            #expect(otherLogin.status == 401, "\(otherLogin.status)")
            let good = try await Self.raw(port: port, from: "127.0.0.2", "GET", "/v1/rounds/current", token: server.staff)
            #expect(good.status == 200)
            #expect(try await server.fingerprint() == before, "failed sign-ins changed the store")

            let document = try await http.send("GET", "/v1/openapi.json")
            let checker = try OpenAPIChecker(data: document.body)
            for reply in http.all where reply.path != "/v1/openapi.json" {
                let problems = checker.problems(reply)
                #expect(problems.isEmpty, "\(reply): \(problems)")
            }
        }
    }

    @Test("bad lab signatures: limited per address and per lab; the lab's good signature still goes through")
    func signatures() async throws {
        let server = try await TestServer.make()
        var configuration = server.configuration
        configuration.accessLimits = Self.limits
        try await buildApplication(configuration, store: server.store).test(.live) { live in
            let port = live.port!
            let http = Client(port: port)
            // A box handed over to lab-dian, so a good receipt can succeed at the end.
            for step in AccessMatrix.boxHandedOver {
                let token = step.who == .courier ? server.courier : server.staff
                let reply = try await http.send(step.method, step.path, token: token, body: step.body.map { Data($0.utf8) })
                try #require((200..<300).contains(reply.status), "\(reply)")
            }
            let body = Data(#"{"type":"box.received","data":{"box":"B1","tube_count":1}}"#.utf8)
            let forged = server.labHeaders(body, secret: "whsec_" + Data(repeating: 7, count: 24).base64EncodedString())
            let path = "/v1/labs/lab-dian/webhooks"
            let before = try await server.fingerprint()
            for _ in 0..<3 {
                let reply = try await http.send("POST", path, body: body, headers: forged)
                #expect(reply.status == 401 && reply.json["code"] as? String == "bad_signature", "\(reply)")
            }
            Self.expectTooMany(try await http.send("POST", path, body: body, headers: forged), "4th bad signature from one address")
            // From a second address: its own bucket, but the lab's (5, of which 4 are spent) runs out.
            let text = String(decoding: body, as: UTF8.self)
            let first = try await Self.raw(port: port, from: "127.0.0.2", "POST", path, body: text, headers: forged)
            #expect(first.status == 401 && first.body.contains("bad_signature"), "\(first.status) \(first.body)")
            let second = try await Self.raw(port: port, from: "127.0.0.2", "POST", path, body: text, headers: forged)
            #expect(second.status == 429 && second.body.contains("too_many_attempts") && second.headers["retry-after"] != nil)
            #expect(try await server.fingerprint() == before, "bad signatures changed the store")
            // The lab itself, signing with its real secret, is not limited.
            let good = try await http.send("POST", path, body: body, headers: server.labHeaders(body))
            #expect(good.status == 200, "\(good)")
            let document = try await http.send("GET", "/v1/openapi.json")
            let checker = try OpenAPIChecker(data: document.body)
            for reply in http.all where reply.path == path {
                let problems = checker.problems(reply)
                #expect(problems.isEmpty, "\(reply): \(problems)")
            }
        }
    }

    @Test("failures and refusals are counted in /metrics by route of entry and reason")
    func counted() async throws {
        let workspace = try await Workspace("limits")
        let staff = try workspace.token("staff", site: "fangfeiyuan")
        _ = try workspace.cli(["labs", "add", "lab-dian"])
        let server = try await workspace.start(arguments: ["--failed-sign-ins-per-minute", "2"])
        defer { server.kill9() }
        let http = Client(port: server.port)
        // Two failures a minute: the third in a row is refused. On a loaded machine a request may
        // take long enough for the bucket to refill a little, so keep failing until it says 429.
        for _ in 0..<8 where http.all.last?.status != 429 {
            try await http.send("GET", "/v1/rounds/current", token: "swb_forged")
        }
        let failed = http.all.count
        #expect(http.all.map(\.status) == Array(repeating: 401, count: failed - 1) + [429])
        #expect(failed >= 3)
        #expect(try await http.send("GET", "/v1/rounds/current", token: staff).status == 200)
        try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: Data("{}".utf8))
        let text = try await http.send("GET", "/metrics").text
        let lines = text.split(separator: "\n").map(String.init)
        func value(_ name: String, _ labels: [String]) -> String? {
            lines.first { $0.hasPrefix(name + "{") && labels.allSatisfy($0.contains) }?.split(separator: " ").last.map(String.init)
        }
        #expect(value("swabline_auth_failures_total", [#"via="token""#, #"reason="unknown_token""#]) == String(failed), "\(text.prefix(4000))")
        #expect(value("swabline_rate_limited_total", [#"via="token""#, #"limit="address""#]) == "1")
        #expect(value("swabline_auth_failures_total", [#"via="webhook""#, #"reason="missing_signature""#]) == "1")
        #expect(!text.contains("swb_forged"), "a token became a label")
    }

    // MARK: - A client from a chosen loopback address

    struct RawReply {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// One HTTP/1.1 request over a socket bound to `from` (any 127.x.y.z
    /// reaches the server on 127.0.0.1), so the server sees another client address.
    static func raw(
        port: Int, from source: String, _ method: String, _ path: String, token: String? = nil, body: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> RawReply {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let payload = Data((body ?? "").utf8)
        if body != nil {
            let type = path == "/login" ? "application/x-www-form-urlencoded" : "application/json"
            head += "Content-Type: \(type)\r\nContent-Length: \(payload.count)\r\n"
        }
        let request = Data((head + "\r\n").utf8) + payload
        let response: Data = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try exchange(request, port: port, from: source) }) }.start()
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { throw POSIXError(.EPROTO) }
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return RawReply(status: status, headers: fields, body: String(text[end.upperBound...]))
    }

    static func exchange(_ request: Data, port: Int, from source: String) throws -> Data {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EBADF) }
        defer { close(fd) }
        func address(_ ip: String, _ port: Int) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, ip, &address.sin_addr)
            return address
        }
        var local = address(source, 0)
        var remote = address("127.0.0.1", port)
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        guard withUnsafePointer(to: &local, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) } }) == 0,
            withUnsafePointer(to: &remote, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, size) } }) == 0
        else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response.append(contentsOf: buffer[0..<count])
        }
        return response
    }
}
