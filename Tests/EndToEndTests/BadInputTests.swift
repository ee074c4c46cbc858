import Foundation
import Hummingbird
import HummingbirdTesting
import SwablineStore
import Testing

@Suite("Bad input gets a clear problem and changes nothing")
struct BadInputTests {
    struct Case {
        var method = "POST"
        var path: String
        var token: Token? = .staff
        var body: String? = nil
        var signed = false
        var headers: [String: String] = [:]
        var status: Int
        var code: String
    }

    enum Token { case staff, otherStaff, courier, coordinator, bogus }

    @Test("each bad request is refused with its status and code, and the database is unchanged")
    func refusals() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            // Something to refuse things against: a packing box with a sealed tube, an open tube.
            for (path, body) in [
                ("/v1/sites/fangfeiyuan/checkins", #"{"resident_code":"FFY000005"}"#),
                ("/v1/sites/fangfeiyuan/checkins", #"{"resident_code":"FFY000097"}"#),
                ("/v1/sites/fangfeiyuan/tubes", #"{"tube":"T-OPEN","station":"s1"}"#),
                ("/v1/tubes/T-OPEN/samples", #"{"resident_code":"FFY000005"}"#),
                ("/v1/sites/fangfeiyuan/boxes", #"{"box":"B-PACK"}"#),
            ] {
                let reply = try await http.send("POST", path, token: server.staff, body: Data(body.utf8))
                #expect(reply.status == 201, "\(reply)")
            }
            let long = String(repeating: "X", count: 65)
            let cases: [Case] = [
                Case(path: "/v1/sites/fangfeiyuan/checkins", token: nil, body: #"{"resident_code":"FFY000006"}"#, status: 401, code: "unauthorized"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", token: .bogus, body: #"{"resident_code":"FFY000006"}"#, status: 401, code: "unauthorized"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", token: .courier, body: #"{"resident_code":"FFY000006"}"#, status: 403, code: "forbidden"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", token: .otherStaff, body: #"{"resident_code":"FFY000006"}"#, status: 403, code: "forbidden"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", token: .coordinator, body: #"{"resident_code":"FFY000006"}"#, status: 403, code: "forbidden"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", body: "{not json", status: 400, code: "invalid_body"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", body: #"{"code":"FFY000006"}"#, status: 400, code: "invalid_body"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", body: #"{"resident_code":12}"#, status: 400, code: "invalid_body"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", body: #"{"resident_code":"FFY 0006"}"#, status: 422, code: "invalid_field"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", body: #"{"resident_code":"\#(long)"}"#, status: 422, code: "invalid_field"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", body: #"{"resident_code":"核酸"}"#, status: 422, code: "invalid_field"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", body: #"{"resident_code":"NOBODY"}"#, status: 404, code: "resident_not_found"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", body: #"{"resident_code":"NEW1","name":"李四"}"#, status: 422, code: "invalid_field"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", body: #"{"resident_code":"NEW1","name":"李四","id_number":"110105194912310021","phone":"13812345678","building":"1","unit":"1","room":"101"}"#, status: 422, code: "invalid_field"),
                Case(path: "/v1/sites/fangfeiyuan/checkins", body: #"{"resident_code":"HXL000001"}"#, status: 404, code: "resident_not_found"),
                Case(path: "/v1/sites/nowhere/checkins", token: .coordinator, body: #"{"resident_code":"FFY000006"}"#, status: 403, code: "forbidden"),
                Case(path: "/v1/sites/fangfeiyuan/stations/s9/call", status: 404, code: "station_not_found"),
                Case(path: "/v1/sites/fangfeiyuan/stations/s2/call", status: 409, code: "no_open_tube"),
                Case(path: "/v1/sites/fangfeiyuan/tubes", body: #"{"tube":"T-NEW","station":"s1"}"#, status: 409, code: "station_has_open_tube"),
                Case(path: "/v1/sites/fangfeiyuan/tubes", body: #"{"tube":"T-OPEN","station":"s2"}"#, status: 409, code: "tube_exists"),
                Case(path: "/v1/sites/fangfeiyuan/tubes", body: #"{"tube":"T-NEW","station":"s2","mode":"pooled30"}"#, status: 422, code: "invalid_field"),
                Case(path: "/v1/tubes/T-OPEN/samples", body: #"{"resident_code":"FFY000100"}"#, status: 409, code: "not_checked_in"),
                Case(path: "/v1/labs/lab-dian/webhooks", token: nil, body: #"{"type":"tube.results","data":{"results":[{"tube":"T-OPEN","result":"negative","tested_at":"2099-01-01T00:00:00Z"}]}}"#, signed: true, status: 422, code: "tested_at_out_of_range"),
                Case(path: "/v1/sites/fangfeiyuan/tubes", body: #"{"tube":"T-NEW","station":"s9"}"#, status: 404, code: "station_not_found"),
                Case(path: "/v1/tubes/T-NONE/samples", body: #"{"resident_code":"FFY000006"}"#, status: 404, code: "tube_not_found"),
                Case(path: "/v1/tubes/T-OPEN/samples", token: .otherStaff, body: #"{"resident_code":"FFY000006"}"#, status: 404, code: "tube_not_found"),
                Case(path: "/v1/tubes/T-OPEN/samples", body: #"{"resident_code":"FFY000097"}"#, status: 409, code: "single_tube_person"),
                Case(path: "/v1/tubes/T-OPEN/seal", token: .courier, status: 403, code: "forbidden"),
                Case(path: "/v1/boxes/B-PACK/tubes", body: #"{"tube":"T-OPEN"}"#, status: 409, code: "tube_step_skipped"),
                Case(path: "/v1/boxes/B-PACK/seal", status: 409, code: "empty_box"),
                Case(path: "/v1/boxes/B-PACK/pickup", token: .courier, body: #"{"tube_count":0,"temperature_c":4}"#, status: 409, code: "box_step_skipped"),
                Case(path: "/v1/boxes/B-PACK/pickup", token: .courier, body: #"{"tube_count":0,"temperature_c":1000}"#, status: 422, code: "invalid_field"),
                Case(path: "/v1/boxes/B-PACK/pickup", token: .staff, body: #"{"tube_count":0,"temperature_c":4}"#, status: 403, code: "forbidden"),
                Case(path: "/v1/boxes/B-PACK/handover", token: .courier, status: 404, code: "box_not_found"),
                Case(path: "/v1/rounds", token: .staff, body: #"{"name":"R2"}"#, status: 403, code: "forbidden"),
                Case(path: "/v1/rounds", token: .coordinator, body: #"{"name":"  "}"#, status: 422, code: "invalid_field"),
                Case(method: "GET", path: "/v1/residents/FFY000001/outcome", token: .courier, status: 403, code: "forbidden"),
                Case(method: "GET", path: "/v1/sites/fangfeiyuan/coverage", token: .otherStaff, status: 403, code: "forbidden"),
                Case(method: "GET", path: "/v1/sites/nowhere/coverage", token: .coordinator, status: 404, code: "site_not_found"),
                Case(method: "GET", path: "/v1/nothing/here", status: 404, code: "not_found"),
                Case(path: "/v1/labs/lab-dian/webhooks", token: nil, body: #"{"type":"box.received","data":{"box":"B-PACK","tube_count":0}}"#, status: 401, code: "missing_signature"),
                Case(path: "/v1/labs/lab-dian/webhooks", token: nil, body: #"{"type":"box.received","data":{"box":"B-PACK","tube_count":0}}"#,
                     headers: ["webhook-id": "m1", "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"], status: 401, code: "stale_timestamp"),
                Case(path: "/v1/labs/lab-jinyu/webhooks", token: nil, body: #"{"type":"box.received","data":{"box":"B-PACK","tube_count":0}}"#, signed: true, status: 401, code: "bad_signature"),
                Case(path: "/v1/labs/lab-dian/webhooks", token: nil, body: #"{"type":"box.lost","data":{}}"#, signed: true, status: 422, code: "unknown_event_type"),
                Case(path: "/v1/labs/lab-dian/webhooks", token: nil, body: #"{"type":"tube.results","data":{"results":[]}}"#, signed: true, status: 422, code: "invalid_field"),
                Case(path: "/v1/labs/lab-dian/webhooks", token: nil, body: #"{"type":"tube.results","data":{"results":[{"tube":"T-OPEN","result":"maybe","tested_at":"2022-04-05T10:00:00Z"}]}}"#, signed: true, status: 422, code: "invalid_field"),
                Case(path: "/v1/labs/lab-dian/webhooks", token: nil, body: #"{"type":"tube.results","data":{"results":[{"tube":"T-OPEN","result":"negative","tested_at":"yesterday"}]}}"#, signed: true, status: 422, code: "invalid_field"),
                Case(path: "/v1/labs/lab-dian/webhooks", token: nil, body: #"{"type":"box.received","data":{"box":"B-PACK","tube_count":0}}"#, signed: true, status: 409, code: "box_step_skipped"),
                Case(path: "/v1/labs/lab-dian/webhooks", token: nil, body: "[1,2", signed: true, status: 400, code: "invalid_body"),
            ]
            let before = try await server.fingerprint()
            for test in cases {
                let token: String? = switch test.token {
                case .staff: server.staff
                case .otherStaff: server.otherStaff
                case .courier: server.courier
                case .coordinator: server.coordinator
                case .bogus: "swb_forged"
                case nil: nil
                }
                let body = test.body.map { Data($0.utf8) }
                var headers = test.headers
                if test.signed, let body { headers.merge(server.labHeaders(body)) { $1 } }
                let reply = try await http.send(test.method, test.path, token: token, body: body, headers: headers)
                #expect(reply.status == test.status, "\(reply)")
                #expect(reply.json["code"] as? String == test.code, "\(reply)")
                #expect(reply.contentType == "application/problem+json", "\(reply)")
                #expect((reply.json["detail"] as? String)?.isEmpty == false, "\(reply)")
            }
            #expect(try await server.fingerprint() == before, "a refused request changed the database")
            let document = try await http.send("GET", "/v1/openapi.json")
            let checker = try OpenAPIChecker(data: document.body)
            for reply in http.all where reply.path != "/v1/openapi.json" && reply.path != "/v1/nothing/here" {
                #expect(checker.problems(reply).isEmpty, "\(checker.problems(reply))")
            }
        }
    }

    @Test("over HTTP: check in and sample at the station in one request; a webhook-id reused for another message is 409")
    func stationCheckInAndReusedWebhookID() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            let open = try await http.send("POST", "/v1/sites/fangfeiyuan/tubes", token: server.staff, json: ["tube": "T-A", "station": "s1"])
            #expect(open.status == 201, "\(open)")
            let refused = try await http.send("POST", "/v1/tubes/T-A/samples", token: server.staff, json: ["resident_code": "FFY000100"])
            #expect(refused.status == 409 && refused.json["code"] as? String == "not_checked_in", "\(refused)")
            let both = try await http.send(
                "POST", "/v1/tubes/T-A/samples", token: server.staff, json: ["resident_code": "FFY000100", "check_in": true])
            #expect(both.status == 201, "\(both)")
            #expect((both.json["ticket"] as? [String: Any])?["status"] as? String == "sampled", "\(both)")
            // A lab message counter that restarted: the same id over another message.
            let first = Data(#"{"type":"tube.results","data":{"results":[{"tube":"T-A","result":"negative","tested_at":"\#(Timestamp.string(Date()))"}]}}"#.utf8)
            let second = Data(#"{"type":"tube.results","data":{"results":[{"tube":"T-A","result":"positive","tested_at":"\#(Timestamp.string(Date()))"}]}}"#.utf8)
            let applied = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: first, headers: server.labHeaders(first, id: "mX"))
            #expect(applied.status == 200, "\(applied)")
            let again = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: first, headers: server.labHeaders(first, id: "mX"))
            #expect(again.status == 200 && again.headers["webhook-replayed"] == "true", "\(again)")
            let reused = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: second, headers: server.labHeaders(second, id: "mX"))
            #expect(reused.status == 409 && reused.json["code"] as? String == "webhook_id_reused", "\(reused)")
            let document = try await http.send("GET", "/v1/openapi.json")
            let checker = try OpenAPIChecker(data: document.body)
            for reply in http.all where reply.path != "/v1/openapi.json" {
                #expect(checker.problems(reply).isEmpty, "\(checker.problems(reply))")
            }
        }
    }

    @Test("the OpenAPI checker itself notices drift")
    func checkerNotices() throws {
        let document = #"{"paths":{"/v1/x/{id}":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"object","required":["a"],"additionalProperties":false,"properties":{"a":{"type":"integer"},"b":{"type":"string","enum":["p","q"]}}}}}}}}}}}"#
        let checker = try OpenAPIChecker(data: Data(document.utf8))
        func reply(_ status: Int, _ body: String, path: String = "/v1/x/7") -> Reply {
            Reply(status: status, headers: ["content-type": "application/json"], body: Data(body.utf8), method: "GET", path: path)
        }
        #expect(checker.problems(reply(200, #"{"a":1,"b":"p"}"#)).isEmpty)
        #expect(!checker.problems(reply(200, #"{"b":"p"}"#)).isEmpty, "missing required")
        #expect(!checker.problems(reply(200, #"{"a":1,"c":2}"#)).isEmpty, "extra property")
        #expect(!checker.problems(reply(200, #"{"a":"1"}"#)).isEmpty, "wrong type")
        #expect(!checker.problems(reply(200, #"{"a":true}"#)).isEmpty, "boolean is not integer")
        #expect(!checker.problems(reply(200, #"{"a":1,"b":"z"}"#)).isEmpty, "not in enum")
        #expect(!checker.problems(reply(404, "{}")).isEmpty, "undocumented status")
        #expect(!checker.problems(reply(200, "{}", path: "/v1/y")).isEmpty, "undocumented path")
    }
}
