import Foundation
import Testing

@Suite("Rule 8: personal data never reaches a log line")
struct PersonalDataLogTests {
    @Test("a round's worth of requests at trace level, a coordinator's reveal included, logs no ID number and no phone number")
    func logsCarryNoPersonalData() async throws {
        let workspace = try await Workspace("log")
        let staff = try workspace.token("staff", site: "fangfeiyuan")
        let coordinator = try workspace.token("coordinator")
        // Every ID and phone number of the compound, as the roster holds them.
        let roster = try String(contentsOf: TestServer.repository.appendingPathComponent("sites/芳菲苑/roster.csv"), encoding: .utf8)
        let people = roster.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let secrets = people.flatMap { [$0[2], $0[3]] }
        #expect(secrets.count > 100)

        let log = workspace.directory.appendingPathComponent("server.log")
        let server = try await workspace.start(log: log, logLevel: "trace")
        let http = Client(port: server.port)
        let first = people[0]
        for person in people.prefix(12) {
            try await http.send("POST", "/v1/sites/fangfeiyuan/checkins", token: staff, json: ["resident_code": person[0]])
        }
        // Full numbers in request bodies: a walk-in whose ID is registered, one with a bad phone.
        try await http.send("POST", "/v1/sites/fangfeiyuan/checkins", token: staff, json: [
            "resident_code": "LOG-WALK-1", "name": "测试", "id_number": first[2], "phone": first[3], "building": "1", "unit": "1", "room": "101",
        ])
        try await http.send("POST", "/v1/sites/fangfeiyuan/checkins", token: staff, json: [
            "resident_code": "LOG-WALK-2", "name": "测试", "id_number": first[2], "phone": "1" + first[3], "building": "1", "unit": "1", "room": "101",
        ])
        try await http.send("POST", "/v1/sites/fangfeiyuan/checkins", token: staff, body: Data("{\"resident_code\": \(first[2])}".utf8))
        try await http.send("GET", "/v1/sites/fangfeiyuan/coverage", token: coordinator)
        try await http.send("GET", "/v1/residents/\(first[0])/outcome", token: staff)
        try await http.send("GET", "/v1/residents/\(first[2])/outcome", token: staff)
        try await http.send("GET", "/sites/fangfeiyuan/dashboard", headers: ["Cookie": "swabline_session=\(coordinator)"])
        // Only a coordinator sees the numbers unmasked, and the reveal is in the audit trail.
        let refused = try await http.send("POST", "/v1/residents/\(first[0])/reveal", token: staff, json: ["reason": "door-to-door"])
        #expect(refused.status == 403 && !refused.text.contains(first[2]), "\(refused)")
        let revealed = try await http.send("POST", "/v1/residents/\(first[0])/reveal", token: coordinator, json: ["reason": "door-to-door"])
        #expect(revealed.status == 200 && revealed.json["id_number"] as? String == first[2] && revealed.json["phone"] as? String == first[3])
        let trail = try await http.send("GET", "/v1/audit?resident=\(first[0])", token: coordinator)
        let actions = (trail.json["entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
        #expect(actions == ["checked_in", "revealed"], "\(trail)")
        #expect(try await http.send("GET", "/v1/audit?resident=\(first[0])", token: staff).status == 403)
        #expect(http.all.contains { $0.status == 409 } && http.all.contains { $0.status == 422 })
        server.kill9()

        let written = try String(contentsOf: log, encoding: .utf8)
        #expect(written.split(separator: "\n").count >= http.all.count, "the server logged less than a line a request at trace level")
        let leaked = secrets.filter { written.contains($0) }
        #expect(leaked.isEmpty, "personal numbers in the log: \(leaked.prefix(3).map { String($0.prefix(3)) + "…" })")
        #expect(!written.contains(staff) && !written.contains(coordinator), "a bearer token reached the log")
    }
}
