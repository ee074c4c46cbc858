import Foundation
import Hummingbird
import HummingbirdTesting
import SwablineServer
import Testing

/// The pages over a real loopback socket: sign-in and its cookie, redirects,
/// rule 7, a gate scan, and forms from another origin refused.
@Suite("Pages: sign-in, access and forms")
struct PageTests {
    static func form(_ fields: [String: String]) -> ByteBuffer {
        ByteBuffer(string: fields.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&"))
    }

    static func cookie(_ token: String) -> HTTPFields {
        [.cookie: "swabline_session=\(token)", .contentType: "application/x-www-form-urlencoded"]
    }

    @Test("signing in sets an HttpOnly, Secure, SameSite=Strict cookie and goes to the role's page; signing out clears it")
    func signIn() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { client in
            for (token, home) in [(server.staff, "/sites/fangfeiyuan/gate"), (server.courier, "/courier"), (server.coordinator, "/dashboard")] {
                try await client.execute(
                    uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: Self.form(["token": token])
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == home)
                    let cookie = response.headers[.setCookie] ?? ""
                    #expect(cookie.hasPrefix("swabline_session=\(token);"))
                    for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] { #expect(cookie.contains(flag), "\(cookie)") }
                }
            }
            try await client.execute(uri: "/login", method: .post, body: Self.form(["token": "swb_not_a_token"])) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.setCookie] == nil)
                #expect(String(buffer: response.body).contains("id=\"problem\""))
            }
            try await client.execute(uri: "/logout", method: .post, headers: Self.cookie(server.staff)) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/login")
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
        }
    }

    @Test("a page without a session redirects to sign-in; a revoked or unknown cookie too")
    func redirects() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { client in
            for path in ["/", "/sites/fangfeiyuan/gate", "/sites/fangfeiyuan/stations/s1", "/sites/fangfeiyuan/packing", "/courier",
                         "/dashboard", "/sites/fangfeiyuan/board"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .seeOther, "\(path)")
                    #expect(response.headers[.location] == "/login", "\(path)")
                }
            }
            try await client.execute(uri: "/courier", method: .get, headers: Self.cookie("swb_unknown")) { response in
                #expect(response.headers[.location] == "/login")
            }
            try await client.execute(uri: "/login", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<html lang=\"zh-CN\">"))
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(!html.contains("http://") && !html.contains("https://"), "a page loads nothing from elsewhere")
            }
            try await client.execute(uri: "/login?lang=en", method: .get) { response in
                #expect(String(buffer: response.body).contains("<html lang=\"en\">"))
            }
            try await client.execute(uri: "/login", method: .get, headers: [.acceptLanguage: "en-GB,en;q=0.8"]) { response in
                #expect(String(buffer: response.body).contains("<html lang=\"en\">"))
            }
        }
    }

    @Test("staff of another site get 403 on this site's pages, and their forms change nothing; a courier gets 403 on the gate")
    func otherSite() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { client in
            for path in ["/sites/fangfeiyuan/gate", "/sites/fangfeiyuan/stations/s1", "/sites/fangfeiyuan/packing",
                         "/sites/fangfeiyuan/dashboard", "/sites/fangfeiyuan/board"] {
                try await client.execute(uri: path, method: .get, headers: Self.cookie(server.otherStaff)) { response in
                    #expect(response.status == .forbidden, "\(path)")
                    #expect(String(buffer: response.body).contains("huaxiali"), "the page says which site the token is for")
                }
            }
            let before = try await server.fingerprint()
            try await client.execute(
                uri: "/sites/fangfeiyuan/gate", method: .post, headers: Self.cookie(server.otherStaff), body: Self.form(["resident_code": "FFY000006"])
            ) { response in #expect(response.status == .forbidden) }
            try await client.execute(uri: "/sites/fangfeiyuan/gate", method: .get, headers: Self.cookie(server.courier)) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try await server.fingerprint() == before)
        }
    }

    @Test("the gate takes a temperature and ticked symptoms: a fever refers the resident to the single-tube lane; a misread is refused")
    func gateTriage() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { client in
            try await client.execute(uri: "/sites/fangfeiyuan/gate", method: .get, headers: Self.cookie(server.staff)) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("name=\"temperature_c\"") && html.contains("name=\"symptom_cough\""))
                #expect(!html.contains("name=\"temperature_c\" inputmode=\"decimal\" autocomplete=\"off\" maxlength=\"5\" required"),
                    "芳菲苑's site.toml does not ask for a temperature")
            }
            try await client.execute(
                uri: "/sites/fangfeiyuan/gate", method: .post, headers: Self.cookie(server.staff),
                body: Self.form(["resident_code": "FFY000006", "temperature_c": "38,2"])
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("id=\"referred\""))
            }
            try await client.execute(
                uri: "/sites/fangfeiyuan/gate", method: .post, headers: Self.cookie(server.staff),
                body: Self.form(["resident_code": "FFY000007", "temperature_c": "36.6", "symptom_sore_throat": "on"])
            ) { response in
                #expect(String(buffer: response.body).contains("id=\"referred\""))
            }
            try await client.execute(
                uri: "/sites/fangfeiyuan/gate", method: .post, headers: Self.cookie(server.staff),
                body: Self.form(["resident_code": "FFY000008", "temperature_c": "365"])
            ) { response in
                #expect(response.status == .unprocessableContent && String(buffer: response.body).contains("temperature_c"))
            }
            try await client.execute(uri: "/v1/sites/fangfeiyuan/referrals", method: .get, headers: [.authorization: "Bearer \(server.staff)"]) {
                response in
                let codes = try PageTests.referralCodes(response)
                #expect(codes == ["FFY000006", "FFY000007"])
            }
        }
    }

    static func referralCodes(_ response: TestResponse) throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
        return (json["referrals"] as! [[String: Any]]).map { $0["code"] as! String }
    }

    @Test("a gate scan checks the resident in and shows the ticket; a repeat says so; an unknown code offers the walk-in form")
    func gateScan() async throws {
        let server = try await TestServer.make()
        let roster = try Roster.load()
        let person = roster.people.first { $0.code == "FFY000006" }!
        try await server.application.test(.live) { client in
            try await client.execute(
                uri: "/sites/fangfeiyuan/gate", method: .post, headers: Self.cookie(server.staff), body: Self.form(["resident_code": "FFY000006"])
            ) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("id=\"ticket-label\">A001<"))
                #expect(!html.contains("id=\"repeated\""))
                #expect(!html.contains(person.idNumber) && !html.contains(person.phone), "ID and phone numbers are masked (rule 8)")
            }
            try await client.execute(
                uri: "/sites/fangfeiyuan/gate", method: .post, headers: Self.cookie(server.staff), body: Self.form(["resident_code": "FFY000006"])
            ) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("id=\"ticket-label\">A001<") && html.contains("id=\"repeated\""))
            }
            try await client.execute(
                uri: "/sites/fangfeiyuan/gate", method: .post, headers: Self.cookie(server.staff), body: Self.form(["resident_code": "FFY-NEW-1"])
            ) { response in
                #expect(response.status == .notFound)
                let html = String(buffer: response.body)
                #expect(html.contains("id=\"walk-in\"") && html.contains("value=\"FFY-NEW-1\"") && html.contains("resident_not_found"))
            }
            // The API sees the same ticket: the page wrote through the same store method.
            let answer = try await client.execute(
                uri: "/v1/sites/fangfeiyuan/checkins", method: .post,
                headers: [.authorization: "Bearer \(server.staff)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"resident_code":"FFY000006"}"#))
            #expect(answer.status == .ok)
            #expect(String(buffer: answer.body).contains("\"label\":\"A001\""))
        }
    }

    @Test("a desk gives up a tube opened by a wrong scan: the station is free again and the tube is lost")
    func giveUpTube() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { client in
            let path = "/sites/fangfeiyuan/stations/s1"
            try await client.execute(uri: path, method: .post, headers: Self.cookie(server.staff), body: Self.form(["action": "open", "tube": "WRONG-9"])) {
                #expect(String(buffer: $0.body).contains(#"id="lost-form""#))
            }
            try await client.execute(uri: path, method: .post, headers: Self.cookie(server.staff), body: Self.form(["action": "lost", "tube": "WRONG-9", "reason": ""])) {
                #expect($0.status == .unprocessableContent && String(buffer: $0.body).contains("invalid_field"))
            }
            try await client.execute(
                uri: path, method: .post, headers: Self.cookie(server.staff), body: Self.form(["action": "lost", "tube": "WRONG-9", "reason": "扫错条码"])
            ) {
                #expect($0.status == .unprocessableContent && String(buffer: $0.body).contains("confirm"), "the box must be ticked")
            }
            try await client.execute(
                uri: path, method: .post, headers: Self.cookie(server.staff),
                body: Self.form(["action": "lost", "tube": "WRONG-9", "reason": "扫错条码", "confirm": "on"])
            ) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok && html.contains(#"id="notice""#) && html.contains("WRONG-9"))
                #expect(html.contains(#"id="open-form""#), "the station can open a new tube")
            }
            let tube = try await client.execute(uri: "/v1/audit?tube=WRONG-9", method: .get, headers: [.authorization: "Bearer \(server.coordinator)"])
            #expect(String(buffer: tube.body).contains("扫错条码"), "the reason is in the audit log")
        }
    }

    @Test("a station offers one tap to check in and sample someone who skipped the gate")
    func checkInAndSampleAtStation() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { client in
            let path = "/sites/fangfeiyuan/stations/s1"
            _ = try await client.execute(uri: path, method: .post, headers: Self.cookie(server.staff), body: Self.form(["action": "open", "tube": "T-S1"]))
            try await client.execute(
                uri: path, method: .post, headers: Self.cookie(server.staff), body: Self.form(["action": "sample", "resident_code": "FFY000100"])
            ) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .conflict && html.contains("not_checked_in"))
                #expect(html.contains(#"id="check-in-sample-form""#) && html.contains(#"value="FFY000100""#), "the refusal offers the one tap")
            }
            try await client.execute(
                uri: path, method: .post, headers: Self.cookie(server.staff), body: Self.form(["action": "check_in_sample", "resident_code": "FFY000100"])
            ) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok && html.contains(#"id="notice""#) && html.contains("FFY000100"), "\(html)")
                #expect(!html.contains(#"id="check-in-sample-form""#))
            }
            let outcome = try await client.execute(
                uri: "/v1/residents/FFY000100/outcome", method: .get, headers: [.authorization: "Bearer \(server.coordinator)"])
            #expect(String(buffer: outcome.body).contains("T-S1"), "sampled into the station's tube")
        }
    }

    @Test("a form posted from another origin is refused and changes nothing")
    func crossOrigin() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { client in
            let before = try await server.fingerprint()
            for foreign: HTTPFields in [
                [.origin: "http://evil.example"], [.origin: "null"], [.init("Sec-Fetch-Site")!: "cross-site"],
            ] {
                var headers = Self.cookie(server.staff)
                headers.append(contentsOf: foreign)
                try await client.execute(
                    uri: "/sites/fangfeiyuan/gate", method: .post, headers: headers, body: Self.form(["resident_code": "FFY000006"])
                ) { response in
                    #expect(response.status == .forbidden)
                    #expect(String(buffer: response.body).contains("cross_origin"))
                }
                try await client.execute(uri: "/login", method: .post, headers: headers, body: Self.form(["token": server.staff])) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.headers[.setCookie] == nil)
                }
            }
            #expect(try await server.fingerprint() == before)
        }
    }
}
