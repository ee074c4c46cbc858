import Foundation
import Hummingbird
import HummingbirdTesting
import SwablineCore
import SwablineServer
import SwablineStore
import Testing

@Suite("A campaign over real HTTP: a round per site, a standing carried across rounds")
struct CampaignOverHTTPTests {
    @Test("Round 2 opens at one site while another has an open tube; a Round 1 pool-positive is refused by a pooled tube; a clearance is audited")
    func nextRound() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            let (staff, coordinator) = (server.staff, server.coordinator)
            func post(_ path: String, _ token: String, _ json: [String: Any] = [:]) async throws -> Reply {
                try await http.send("POST", path, token: token, json: json)
            }
            // Round 1 at fangfeiyuan: household 1-1-202 is pooled, shipped and called positive by the lab.
            let household = ["FFY000006", "FFY000007", "FFY000008", "FFY000009"]
            for code in household { #expect(try await post("/v1/sites/fangfeiyuan/checkins", staff, ["resident_code": code]).status == 201) }
            #expect(try await post("/v1/sites/fangfeiyuan/tubes", staff, ["tube": "R1-T1", "station": "s1"]).status == 201)
            for code in household { #expect(try await post("/v1/tubes/R1-T1/samples", staff, ["resident_code": code]).status == 201) }
            #expect(try await post("/v1/tubes/R1-T1/seal", staff).status == 200)
            #expect(try await post("/v1/sites/fangfeiyuan/boxes", staff, ["box": "R1-B1"]).status == 201)
            #expect(try await post("/v1/boxes/R1-B1/tubes", staff, ["tube": "R1-T1"]).status == 200)
            #expect(try await post("/v1/boxes/R1-B1/seal", staff).status == 200)
            #expect(try await post("/v1/boxes/R1-B1/pickup", server.courier, ["tube_count": 1, "temperature_c": 4]).status == 200)
            #expect(try await post("/v1/boxes/R1-B1/handover", server.courier).status == 200)
            for body in [
                #"{"type":"box.received","data":{"box":"R1-B1","tube_count":1}}"#,
                #"{"type":"tube.results","data":{"results":[{"tube":"R1-T1","result":"positive","tested_at":"\#(Timestamp.string(Date()))"}]}}"#,
            ] {
                let data = Data(body.utf8)
                let reply = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: data, headers: server.labHeaders(data))
                #expect(reply.status == 200, "\(reply)")
            }
            // huaxiali has a tube open: a district round is refused there, naming it; fangfeiyuan alone opens.
            #expect(try await post("/v1/sites/huaxiali/tubes", server.otherStaff, ["tube": "HXL-T1", "station": "s1"]).status == 201)
            let district = try await post("/v1/rounds", coordinator, ["name": "Round 2", "district": "廊坊市广阳区"])
            #expect(district.status == 409 && district.json["code"] as? String == "tubes_open", "\(district)")
            #expect((district.json["detail"] as? String)?.contains("huaxiali") == true)
            let both = try await post("/v1/rounds", coordinator, ["name": "Round 2", "district": "廊坊", "sites": ["fangfeiyuan"]])
            #expect(both.status == 422 && both.json["code"] as? String == "invalid_field", "\(both)")
            let opened = try await post("/v1/rounds", coordinator, ["name": "Round 2", "sites": ["fangfeiyuan"]])
            #expect(opened.status == 201 && opened.json["sites"] as? [String] == ["fangfeiyuan"], "\(opened)")
            #expect(try await http.send("GET", "/v1/rounds/current", token: staff).json["name"] as? String == "Round 2")
            #expect(try await http.send("GET", "/v1/rounds/current", token: server.otherStaff).json["name"] as? String == "Round 1")
            #expect(try await http.send("GET", "/v1/rounds/current?site=huaxiali", token: staff).status == 403)

            // The standing is carried: outcome history, Round 1's list by ?round=, Round 2's list carries them.
            let outcome = try await http.send("GET", "/v1/residents/FFY000006/outcome", token: staff)
            #expect(outcome.json["round"] as? String == "Round 2" && outcome.json["standing"] as? String == "pool_positive", "\(outcome)")
            #expect((outcome.json["history"] as? [[String: Any]])?.first?["outcome"] as? String == "pool_positive")
            let rounds = try await http.send("GET", "/v1/sites/fangfeiyuan/rounds", token: staff)
            let round1 = ((rounds.json["rounds"] as? [[String: Any]])?.last?["id"] as? Int) ?? 0
            #expect(try await http.send("GET", "/v1/sites/fangfeiyuan/retests?round=\(round1)", token: staff).json["total"] as? Int == 4)
            let carried = try await http.send("GET", "/v1/sites/fangfeiyuan/retests", token: staff)
            #expect(carried.json["round"] as? String == "Round 2" && carried.json["total"] as? Int == 4, "\(carried)")
            #expect(try await http.send("GET", "/v1/sites/fangfeiyuan/coverage?round=x", token: staff).json["code"] as? String == "invalid_field")
            #expect(try await http.send("GET", "/v1/sites/fangfeiyuan/coverage?round=999", token: staff).json["code"] as? String == "round_not_found")

            // Round 2: checked in, not called to a pooled tube, refused by it, taken by a single tube.
            #expect(try await post("/v1/sites/fangfeiyuan/checkins", staff, ["resident_code": "FFY000006"]).status == 201)
            #expect(try await post("/v1/sites/fangfeiyuan/tubes", staff, ["tube": "R2-T1", "station": "s1"]).status == 201)
            let call = try await post("/v1/sites/fangfeiyuan/stations/s1/call", staff)
            #expect((call.json["called"] as? [Any])?.isEmpty == true && call.json["single_tube_waiting"] as? Int == 1, "\(call)")
            let refused = try await post("/v1/tubes/R2-T1/samples", staff, ["resident_code": "FFY000006"])
            #expect(refused.status == 409 && refused.json["code"] as? String == "not_cleared", "\(refused)")

            // Only a coordinator clears, with a reason, into the audit log; then a pooled tube takes them.
            #expect(try await post("/v1/residents/FFY000006/clearance", staff, ["reason": "x"]).status == 403)
            #expect(try await post("/v1/residents/FFY000006/clearance", coordinator, ["reason": " "]).status == 422)
            let cleared = try await post("/v1/residents/FFY000006/clearance", coordinator, ["reason": "single tube negative at 人民医院"])
            #expect(cleared.status == 200 && cleared.json["was"] as? String == "pool_positive" && cleared.json["standing"] as? String == "cleared")
            let audit = try await http.send("GET", "/v1/audit?resident=FFY000006", token: coordinator)
            let entries = audit.json["entries"] as? [[String: Any]] ?? []
            #expect(entries.contains { $0["action"] as? String == "cleared" && ($0["detail"] as? String)?.contains("人民医院") == true })
            #expect(try await post("/v1/tubes/R2-T1/samples", staff, ["resident_code": "FFY000006"]).status == 201)
        }
    }
}
