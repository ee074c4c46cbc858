import Foundation
import Hummingbird
import HummingbirdTesting
import SwablineCore
import SwablineServer
import Testing

@testable import SwablineStore

/// The coordinator's dashboard: turnaround charts, anomalies and their
/// resolve form, the paged not-yet-sampled list; and what every page does
/// with a session that ended, and with a refusal in Chinese.
extension PageTests {
    /// The rows of the table with this id.
    static func rows(_ html: String, table id: String) -> Int {
        guard let start = html.range(of: "<table id=\"\(id)\"") else { return -1 }
        let rest = html[start.upperBound...]
        let table = rest[..<(rest.range(of: "</table>")?.lowerBound ?? rest.endIndex)]
        // A row of data: `<tr …>` followed by a `<td>` (the header row holds `<th>`).
        return table.matches(of: /<tr[^>]*>\s*<td/).count
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
    }

    /// A tube of 1-1-101 through the whole chain, resulted positive, then a
    /// conflicting negative from the lab: one anomaly. Returns its id.
    static func conflictingResult(_ server: TestServer) async throws -> Int64 {
        let store = server.store
        let staff = try await store.actor(forToken: server.staff)!, courier = try await store.actor(forToken: server.courier)!
        for code in ["FFY000001", "FFY000002"] { _ = try await store.checkIn(site: "fangfeiyuan", code: code, walkIn: nil, priority: false, by: staff) }
        _ = try await store.openTube(site: "fangfeiyuan", code: "PT-1", station: "s1", mode: nil, by: staff)
        for code in ["FFY000001", "FFY000002"] { _ = try await store.addSample(tube: "PT-1", resident: code, by: staff) }
        _ = try await store.sealTube("PT-1", by: staff)
        _ = try await store.createBox(site: "fangfeiyuan", code: "PB-1", by: staff)
        _ = try await store.addTubeToBox(box: "PB-1", tube: "PT-1", by: staff)
        _ = try await store.sealBox("PB-1", by: staff)
        _ = try await store.pickUpBox("PB-1", tubeCount: 1, temperature: 4, by: courier)
        _ = try await store.handOverBox("PB-1", by: courier)
        _ = try await store.receiveLabDelivery(lab: "lab-dian", webhookID: "p-recv", event: .boxReceived(box: "PB-1", tubeCount: 1))
        for (id, result) in [("p-1", TubeResult.positive), ("p-2", .negative)] {
            _ = try await store.receiveLabDelivery(
                lab: "lab-dian", webhookID: id,
                event: .tubeResults([PostedResult(tube: "PT-1", result: result, testedAt: Timestamp.string(Date()), ct: nil)]))
        }
        return try #require(try await store.anomalies(by: .coordinator(token: 0)).first?.id)
    }

    @Test("the dashboards draw turnaround as inline SVG and list anomalies; a coordinator resolves one with a note, refusals as the API words them")
    func dashboardAnomalies() async throws {
        let server = try await TestServer.make()
        let id = try await Self.conflictingResult(server)
        try await server.application.test(.live) { client in
            let site = try await client.execute(uri: "/sites/fangfeiyuan/dashboard", method: .get, headers: Self.cookie(server.coordinator))
            var html = String(buffer: site.body)
            #expect(site.status == .ok)
            #expect(html.contains("id=\"received-count\">2<") && html.contains("id=\"resulted-tubes\">1<"))
            for chart in ["receipt-chart", "result-chart"] {
                #expect(html.contains("<figure class=\"chart\" id=\"\(chart)\"><svg xmlns=\"http://www.w3.org/2000/svg\""), "\(chart)")
            }
            #expect(html.contains("采样 → 实验室接收") && html.contains("4小时"), "titles and the 4-hour line in Chinese")
            #expect(html.contains("id=\"anomaly-\(id)\"") && html.contains("id=\"resolve-\(id)\""))
            #expect(html.contains("<td>阳性</td><td><strong>阴性</strong></td>"), "recorded and posted results")

            // Staff of the site see the anomaly but get no resolve form.
            html = String(buffer: try await client.execute(uri: "/sites/fangfeiyuan/dashboard", method: .get, headers: Self.cookie(server.staff)).body)
            #expect(html.contains("id=\"anomaly-\(id)\"") && !html.contains("id=\"resolve-\(id)\""))

            html = String(buffer: try await client.execute(uri: "/dashboard", method: .get, headers: Self.cookie(server.coordinator)).body)
            #expect(html.contains("id=\"anomaly-\(id)\"") && html.contains("<td>芳菲苑</td>"))
            #expect(html.contains("id=\"receipt-chart\"") && html.contains("id=\"anomaly-count\">1<"))

            // An empty note: the page shows the API's problem, in Chinese too; nothing changes.
            let before = try await server.fingerprint()
            let api = try await client.execute(
                uri: "/v1/anomalies/\(id)/resolve", method: .post,
                headers: [.authorization: "Bearer \(server.coordinator)", .contentType: "application/json"], body: ByteBuffer(string: #"{"note":"  "}"#))
            #expect(api.status == .unprocessableContent)
            let detail = try Self.json(api)["detail"] as! String
            #expect(try Self.json(api)["code"] as? String == "invalid_field")
            for (uri, chinese) in [("/dashboard", true), ("/dashboard?lang=en", false)] {
                let refused = try await client.execute(
                    uri: uri, method: .post, headers: Self.cookie(server.coordinator),
                    body: Self.form(["action": "resolve", "anomaly": "\(id)", "note": " "]))
                html = String(buffer: refused.body)
                #expect(refused.status == .unprocessableContent)
                #expect(html.contains("<span id=\"problem-detail\" lang=\"en\">\(detail)</span> <small>(invalid_field)</small>"), "\(uri)")
                #expect(html.contains("id=\"problem-zh\">填写有误") == chinese, "\(uri)")
            }
            let staffTry = try await client.execute(
                uri: "/sites/fangfeiyuan/dashboard", method: .post, headers: Self.cookie(server.staff),
                body: Self.form(["action": "resolve", "anomaly": "\(id)", "note": "checked"]))
            #expect(staffTry.status == .forbidden)
            #expect(String(buffer: staffTry.body).contains("(forbidden)"))
            let unknown = try await client.execute(
                uri: "/dashboard", method: .post, headers: Self.cookie(server.coordinator),
                body: Self.form(["action": "resolve", "anomaly": "99999", "note": "checked"]))
            #expect(unknown.status == .notFound && String(buffer: unknown.body).contains("anomaly_not_found"))
            #expect(try await server.fingerprint() == before)

            let done = try await client.execute(
                uri: "/sites/fangfeiyuan/dashboard", method: .post, headers: Self.cookie(server.coordinator),
                body: Self.form(["action": "resolve", "anomaly": "\(id)", "note": "实验室复核，原结果无误"]))
            html = String(buffer: done.body)
            #expect(done.status == .ok)
            #expect(html.contains("id=\"notice\">异常已处理: #\(id) · PT-1 · coordinator#"))
            #expect(html.contains("id=\"anomaly-count\">0<") && html.contains("id=\"no-anomalies\""))

            // The API sees the same resolution: the page wrote through the same store method.
            let list = try await client.execute(
                uri: "/v1/anomalies?status=resolved", method: .get, headers: [.authorization: "Bearer \(server.coordinator)"])
            let anomalies = try Self.json(list)["anomalies"] as! [[String: Any]]
            #expect(anomalies.count == 1)
            #expect(anomalies.first?["note"] as? String == "实验室复核，原结果无误")
            #expect((anomalies.first?["resolved_by"] as? String)?.hasPrefix("coordinator#") == true)
            let open = try await client.execute(uri: "/v1/anomalies", method: .get, headers: [.authorization: "Bearer \(server.staff)"])
            let stillOpen = try Self.json(open)["anomalies"] as! [Any]
            #expect(stillOpen.isEmpty)
            let bad = try await client.execute(uri: "/v1/anomalies?status=closed", method: .get, headers: [.authorization: "Bearer \(server.coordinator)"])
            let badCode = try Self.json(bad)["code"] as? String
            #expect(bad.status == .unprocessableContent && badCode == "invalid_field")
            let courier = try await client.execute(uri: "/v1/anomalies", method: .get, headers: [.authorization: "Bearer \(server.courier)"])
            #expect(courier.status == .forbidden)
            let notANumber = try await client.execute(
                uri: "/v1/anomalies/first/resolve", method: .post,
                headers: [.authorization: "Bearer \(server.coordinator)", .contentType: "application/json"], body: ByteBuffer(string: #"{"note":"x"}"#))
            #expect(notANumber.status == .unprocessableContent)
        }
    }

    @Test("the not-yet-sampled list is paged (200 a page), every building's whole list prints on its own page, bad page numbers say the range")
    func missingPages() async throws {
        let server = try await TestServer.make()
        let coverage = try await server.store.coverage(site: "huaxiali", by: .coordinator(token: 0))
        let total = coverage.missing.count, pages = (total + 199) / 200
        #expect(total > 5000)
        // In process, not over a socket: the live test client gives up after 20 s, and on the
        // PostgreSQL pass, six tests at a time on two cores, one of these 5,000-row pages took longer.
        try await server.application.test(.router) { client in
            var html = String(buffer: try await client.execute(uri: "/sites/huaxiali/dashboard", method: .get, headers: Self.cookie(server.coordinator)).body)
            #expect(Self.rows(html, table: "missing") == 200)
            #expect(html.contains("id=\"missing-count\">\(total)<") && html.contains("id=\"missing-page\">第 1 / \(pages) 页<"))
            #expect(html.contains("href=\"/sites/huaxiali/dashboard?page=2#missing\"") && !html.contains("id=\"missing-previous\""))
            #expect(html.contains(coverage.missing[0].code) && !html.contains(">\(coverage.missing[200].code)<"))

            html = String(buffer: try await client.execute(uri: "/sites/huaxiali/dashboard?page=2", method: .get, headers: Self.cookie(server.coordinator)).body)
            #expect(html.contains(">\(coverage.missing[200].code)<") && !html.contains(">\(coverage.missing[0].code)<"))

            html = String(buffer: try await client.execute(uri: "/sites/huaxiali/dashboard?page=\(pages)&lang=en", method: .get, headers: Self.cookie(server.coordinator)).body)
            #expect(Self.rows(html, table: "missing") == total - (pages - 1) * 200)
            #expect(html.contains("id=\"missing-page\">Page \(pages) of \(pages)<") && !html.contains("id=\"missing-next\""))

            for bad in ["0", "\(pages + 1)", "two", "-1"] {
                let refused = try await client.execute(uri: "/sites/huaxiali/dashboard?page=\(bad)", method: .get, headers: Self.cookie(server.coordinator))
                #expect(refused.status == .unprocessableContent, "page=\(bad)")
                #expect(String(buffer: refused.body).contains("page must be a whole number from 1 to \(pages)."), "page=\(bad)")
            }

            // A building's whole list, for the door-to-door team; its link is on the dashboard.
            let building = coverage.buildings.max { $0.counts.expected < $1.counts.expected }!
            let expected = coverage.missing.filter { $0.building == building.building }.count
            html = String(buffer: try await client.execute(uri: "/sites/huaxiali/dashboard", method: .get, headers: Self.cookie(server.coordinator)).body)
            #expect(html.contains("href=\"/sites/huaxiali/dashboard/missing?building=\(building.building)\""))
            let full = try await client.execute(
                uri: "/sites/huaxiali/dashboard/missing?building=\(building.building)", method: .get, headers: Self.cookie(server.coordinator))
            html = String(buffer: full.body)
            #expect(full.status == .ok)
            #expect(Self.rows(html, table: "missing") == expected && expected > 200)
            #expect(html.contains("id=\"missing-count\">\(expected)<"))
            let other = try await client.execute(uri: "/sites/huaxiali/dashboard/missing?building=99", method: .get, headers: Self.cookie(server.coordinator))
            #expect(other.status == .notFound && String(buffer: other.body).contains("building_not_found"))
            let none = try await client.execute(uri: "/sites/huaxiali/dashboard/missing", method: .get, headers: Self.cookie(server.coordinator))
            #expect(none.status == .unprocessableContent)
            let staff = try await client.execute(uri: "/sites/huaxiali/dashboard/missing?building=1", method: .get, headers: Self.cookie(server.staff))
            #expect(staff.status == .forbidden, "rule 7: staff of 芳菲苑 do not read 华夏里社区's list")
        }
    }

    @Test("a session whose token was revoked or has expired is signed out: redirected to sign-in, and its cookie cleared")
    func endedSession() async throws {
        let server = try await TestServer.make()
        let (id, revoked) = try await server.store.createToken(role: .courier, site: nil, label: "lost phone")
        let (_, expiring) = try await server.store.createToken(role: .courier, site: nil, label: "short", validFor: 0.05)
        try await server.application.test(.live) { client in
            #expect(try await client.execute(uri: "/courier", method: .get, headers: Self.cookie(revoked)).status == .ok)
            try await server.store.revokeToken(id: id)
            try await Task.sleep(for: .milliseconds(100))
            for token in [revoked, expiring] {
                let response = try await client.execute(uri: "/courier", method: .get, headers: Self.cookie(token))
                #expect(response.status == .seeOther && response.headers[.location] == "/login")
                let cookie = response.headers[.setCookie] ?? ""
                #expect(cookie.hasPrefix("swabline_session=;") && cookie.contains("Max-Age=0"), "\(cookie)")
            }
            // Signing in again over a stale cookie keeps the new one.
            var headers = Self.cookie(revoked)
            headers[.contentType] = "application/x-www-form-urlencoded"
            let signIn = try await client.execute(uri: "/login", method: .post, headers: headers, body: Self.form(["token": server.courier]))
            #expect(signIn.headers[values: .setCookie].count == 1)
            #expect(signIn.headers[.setCookie]?.hasPrefix("swabline_session=\(server.courier);") == true)
        }
    }

    @Test("a refusal on a Chinese page has a Chinese line above the API's sentence; packing and courier pages mark what refreshes")
    func chineseRefusalAndLiveRegions() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { client in
            let zh = try await client.execute(
                uri: "/sites/fangfeiyuan/gate", method: .post, headers: Self.cookie(server.staff), body: Self.form(["resident_code": "FFY-NOBODY"]))
            var html = String(buffer: zh.body)
            #expect(zh.status == .notFound)
            #expect(html.contains("<strong>未找到该居民</strong><br><span id=\"problem-zh\">没有这个居民码。"))
            #expect(html.contains("<span id=\"problem-detail\" lang=\"en\">No resident &#39;FFY-NOBODY&#39; here.</span>"), "Mustache escapes the quotes")
            html = String(buffer: try await client.execute(
                uri: "/sites/fangfeiyuan/gate?lang=en", method: .post, headers: Self.cookie(server.staff),
                body: Self.form(["resident_code": "FFY-NOBODY"])).body)
            #expect(html.contains("<strong>Resident not found</strong>") && !html.contains("problem-zh"))

            html = String(buffer: try await client.execute(uri: "/sites/fangfeiyuan/packing", method: .get, headers: Self.cookie(server.staff)).body)
            #expect(html.contains("<section id=\"loose-section\" data-live data-refresh=\"5\">") && html.contains("<section id=\"sealed-section\" data-live>"))
            html = String(buffer: try await client.execute(uri: "/courier", method: .get, headers: Self.cookie(server.courier)).body)
            #expect(html.contains("<div id=\"boxes\" data-live data-refresh=\"5\">"))
        }
    }
}
