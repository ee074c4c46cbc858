import Foundation
import Hummingbird
import HummingbirdTesting
import SwablineServer
import SwablineStore
import Testing

@Suite("A whole round at 芳菲苑, driven over real HTTP")
struct WholeRoundTests {
    /// Residents who never come down: they must end up on the missing list.
    static let noShows: Set<String> = ["FFY000019", "FFY000071", "FFY000081"]

    @Test("check-in to outcomes, retests and coverage; replayed, forged, duplicate and conflicting webhooks")
    func wholeRound() async throws {
        let server = try await TestServer.make()
        let roster = try Roster.load()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            let staff = server.staff

            // The gate: everyone but the no-shows checks in; a repeat scan gives the same ticket.
            for person in roster.people where !Self.noShows.contains(person.code) {
                let reply = try await http.send("POST", "/v1/sites/fangfeiyuan/checkins", token: staff, json: ["resident_code": person.code])
                #expect(reply.status == 201, "\(reply)")
            }
            let first = try await http.send("POST", "/v1/sites/fangfeiyuan/checkins", token: staff, json: ["resident_code": "FFY000003"])
            #expect(first.status == 200 && first.json["repeated"] as? Bool == true)
            #expect((first.json["ticket"] as? [String: Any])?["label"] as? String == "A003")

            // Station s1 fills pooled tubes; station s2 takes the single-tube people.
            var tubes: [String: [String]] = [:]
            var tubeOrder: [String] = []
            func open(_ station: String, _ mode: String) async throws -> String {
                let code = "FFY-T\(tubeOrder.count + 1)"
                let reply = try await http.send("POST", "/v1/sites/fangfeiyuan/tubes", token: staff, json: ["tube": code, "station": station, "mode": mode])
                #expect(reply.status == 201, "\(reply)")
                tubeOrder.append(code)
                tubes[code] = []
                return code
            }
            func seal(_ tube: String) async throws {
                let reply = try await http.send("POST", "/v1/tubes/\(tube)/seal", token: staff)
                #expect(reply.status == 200 && reply.json["state"] as? String == "sealed", "\(reply)")
            }
            func fill(_ station: String, mode: String) async throws {
                var tube = try await open(station, mode)
                for _ in 0..<200 {
                    let call = try await http.send("POST", "/v1/sites/fangfeiyuan/stations/\(station)/call", token: staff)
                    if call.status == 409 {
                        #expect(call.json["code"] as? String == "seal_tube_first", "\(call)")
                        try await seal(tube)
                        tube = try await open(station, mode)
                        continue
                    }
                    #expect(call.status == 200, "\(call)")
                    let called = (call.json["called"] as? [[String: Any]] ?? []).map { $0["resident_code"] as! String }
                    for code in called {
                        let sample = try await http.send("POST", "/v1/tubes/\(tube)/samples", token: staff, json: ["resident_code": code])
                        #expect(sample.status == 201, "\(sample)")
                        tubes[tube]!.append(code)
                    }
                    let waiting = call.json["still_waiting"] as! Int, single = call.json["single_tube_waiting"] as! Int
                    let left = mode == "single" ? single : waiting - single
                    if called.isEmpty || tubes[tube]!.count == (mode == "single" ? 1 : 10) {
                        try await seal(tube)
                        if left == 0 { return }
                        tube = try await open(station, mode)
                    }
                }
                Issue.record("station \(station) never emptied the queue")
            }
            try await fill("s1", mode: "pooled10")
            try await fill("s2", mode: "single")

            // Rule 3 over HTTP: the same scan again gives the same slot; another tube refuses.
            let firstTube = tubeOrder[0], someone = tubes[firstTube]![0]
            let rescan = try await http.send("POST", "/v1/tubes/\(firstTube)/samples", token: staff, json: ["resident_code": someone])
            #expect(rescan.status == 409 || rescan.status == 200, "\(rescan)")

            // Everyone who came is in exactly one tube; households are never split (none is larger than 10).
            let sampled = tubes.values.flatMap { $0 }
            #expect(Set(sampled) == Set(roster.people.map(\.code)).subtracting(Self.noShows))
            #expect(sampled.count == Set(sampled).count)
            let pooledHousehold = Dictionary(uniqueKeysWithValues: roster.people.filter { !$0.singleTube }.map { ($0.code, $0.household) })
            for person in roster.people where !person.singleTube && !Self.noShows.contains(person.code) {
                let homes = tubes.filter { $0.value.contains { code in pooledHousehold[code] == person.household } }
                #expect(homes.count == 1, "household \(person.household) is in \(homes.count) tubes")
            }

            // Packing: two boxes; the courier checks the count and the cold box.
            let boxes = ["FFY-B1": Array(tubeOrder.prefix(tubeOrder.count / 2)), "FFY-B2": Array(tubeOrder.dropFirst(tubeOrder.count / 2))]
            for (box, inside) in boxes.sorted(by: { $0.key < $1.key }) {
                #expect(try await http.send("POST", "/v1/sites/fangfeiyuan/boxes", token: staff, json: ["box": box]).status == 201)
                for tube in inside {
                    #expect(try await http.send("POST", "/v1/boxes/\(box)/tubes", token: staff, json: ["tube": tube]).status == 200)
                }
                let sealed = try await http.send("POST", "/v1/boxes/\(box)/seal", token: staff)
                #expect(sealed.json["tube_count"] as? Int == inside.count)
                let wrong = try await http.send("POST", "/v1/boxes/\(box)/pickup", token: server.courier, json: ["tube_count": inside.count + 1, "temperature_c": 5.0])
                #expect(wrong.status == 409 && wrong.json["code"] as? String == "tube_count_mismatch")
                let pickup = try await http.send("POST", "/v1/boxes/\(box)/pickup", token: server.courier, json: ["tube_count": inside.count, "temperature_c": 5.0])
                #expect(pickup.status == 200 && pickup.json["state"] as? String == "picked_up", "\(pickup)")
                // Results before the lab has the box are refused per tube.
                let early = try JSONSerialization.data(withJSONObject: ["type": "tube.results", "timestamp": "2022-04-05T10:00:00Z",
                    "data": ["results": [["tube": inside[0], "result": "negative", "tested_at": Timestamp.string(Date())]]]])
                let notYet = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: early, headers: server.labHeaders(early))
                #expect((notYet.json["results"] as? [[String: Any]])?.first?["fate"] as? String == "not_received", "\(notYet)")
                #expect(try await http.send("POST", "/v1/boxes/\(box)/handover", token: server.courier).status == 200)
                let receipt = try JSONSerialization.data(withJSONObject: ["type": "box.received", "timestamp": "2022-04-05T10:00:00Z", "data": ["box": box, "tube_count": inside.count]])
                let received = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: receipt, headers: server.labHeaders(receipt))
                #expect(received.status == 200 && (received.json["box"] as? [String: Any])?["state"] as? String == "received", "\(received)")
            }

            // The lab posts every result in one delivery: tube 1 positive, tube 2 invalid, the rest negative.
            let positive = tubeOrder[0], invalid = tubeOrder[1]
            let results = tubeOrder.map { tube in
                ["tube": tube, "result": tube == positive ? "positive" : tube == invalid ? "invalid" : "negative",
                 "tested_at": Timestamp.string(Date()), "ct": tube == positive ? 28.5 : 38.0] as [String: Any]
            }
            let delivery = try JSONSerialization.data(withJSONObject: ["type": "tube.results", "timestamp": "2022-04-05T12:00:00Z", "data": ["results": results]])
            let headers = server.labHeaders(delivery, id: "msg_results_1")
            let applied = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: delivery, headers: headers)
            #expect(applied.status == 200, "\(applied)")
            #expect((applied.json["results"] as? [[String: Any]])?.allSatisfy { $0["fate"] as? String == "applied" } == true, "\(applied)")

            // The same delivery again (a lab retry): the same answer, nothing applied twice.
            let before = try await server.fingerprint()
            let replay = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: delivery, headers: headers)
            #expect(replay.status == 200 && replay.body == applied.body && replay.headers["webhook-replayed"] == "true")
            // A forged delivery: refused, nothing changed.
            let forged = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: delivery,
                headers: server.labHeaders(delivery, secret: "whsec_" + Data(repeating: 7, count: 24).base64EncodedString()))
            #expect(forged.status == 401 && forged.json["code"] as? String == "bad_signature")
            // An old delivery captured and replayed later: refused by its timestamp.
            let stale = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: delivery,
                headers: server.labHeaders(delivery, at: Date().addingTimeInterval(-600)))
            #expect(stale.status == 401 && stale.json["code"] as? String == "stale_timestamp")
            #expect(try await server.fingerprint() == before)

            // A new delivery with the same result is a duplicate; a different one an anomaly, kept, not applied.
            let third = tubeOrder[2]
            let again = try JSONSerialization.data(withJSONObject: ["type": "tube.results", "timestamp": "2022-04-05T13:00:00Z", "data": ["results": [
                ["tube": third, "result": "negative", "tested_at": Timestamp.string(Date())],
                ["tube": third, "result": "positive", "tested_at": Timestamp.string(Date())],
                ["tube": "NO-SUCH-TUBE", "result": "negative", "tested_at": Timestamp.string(Date())],
            ]]])
            let fates = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: again, headers: server.labHeaders(again))
            #expect((fates.json["results"] as? [[String: Any]])?.map { $0["fate"] as! String } == ["duplicate", "anomaly", "unknown_tube"], "\(fates)")
            let stillNegative = try await http.send("GET", "/v1/residents/\(tubes[third]![0])/outcome", token: staff)
            #expect(stillNegative.json["outcome"] as? String == "negative")

            // Outcomes: the positive pool's members isolate and retest; the invalid tube's resample.
            let outcome = try await http.send("GET", "/v1/residents/\(tubes[positive]![0])/outcome", token: server.coordinator)
            #expect(outcome.json["outcome"] as? String == "pool_positive", "\(outcome)")
            let retests = try await http.send("GET", "/v1/sites/fangfeiyuan/retests", token: staff)
            let listed = (retests.json["buildings"] as? [[String: Any]] ?? []).flatMap { ($0["households"] as? [[String: Any]] ?? []).flatMap { ($0["residents"] as? [[String: Any]] ?? []) } }
            #expect(Set(listed.map { $0["code"] as! String }) == Set(tubes[positive]! + tubes[invalid]!))
            #expect(listed.filter { $0["outcome"] as? String == "pool_positive" }.count == tubes[positive]!.count)
            #expect(retests.json["total"] as? Int == tubes[positive]!.count + tubes[invalid]!.count)

            // Coverage (应检尽检): everyone who came is sampled and resulted; the no-shows are missing.
            let coverage = try await http.send("GET", "/v1/sites/fangfeiyuan/coverage", token: server.coordinator)
            let counts = coverage.json["counts"] as? [String: Int] ?? [:]
            let came = roster.people.count - Self.noShows.count
            #expect(
                counts == [
                    "expected": roster.people.count, "checked_in": came, "sampled": came, "resulted": came, "closed": 0,
                    "open": Self.noShows.count,
                ], "\(coverage)")
            #expect(Set((coverage.json["missing"] as? [[String: Any]] ?? []).map { $0["code"] as! String }) == Self.noShows)

            // Rule 7 over HTTP: another site's staff and a courier see nothing here.
            #expect(try await http.send("GET", "/v1/sites/fangfeiyuan/coverage", token: server.otherStaff).status == 403)
            #expect(try await http.send("GET", "/v1/sites/fangfeiyuan/retests", token: server.courier).status == 403)
            #expect(try await http.send("GET", "/v1/residents/FFY000001/outcome", token: server.otherStaff).status == 404)

            // Every answer matches the served OpenAPI document, errors are problem+json,
            // and no answer carries a full ID number or phone number (rule 8).
            let document = try await http.send("GET", "/v1/openapi.json")
            let checker = try OpenAPIChecker(data: document.body)
            let secrets = roster.people.flatMap { [$0.idNumber, $0.phone] }
            for reply in http.all where reply.path != "/v1/openapi.json" {
                #expect(checker.problems(reply).isEmpty, "\(checker.problems(reply))")
                if reply.status >= 400 { #expect(reply.contentType == "application/problem+json", "\(reply)") }
                #expect(!secrets.contains { reply.text.contains($0) }, "personal data in \(reply)")
            }
        }
    }
}
