import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Retries with Idempotency-Key are safe")
struct IdempotencyTests {
    @Test("the same key and body get the first answer again; another body is refused; nothing is made twice")
    func replays() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            let checkIn = Data(#"{"resident_code":"FFY000005"}"#.utf8)
            let first = try await http.send(
                "POST", "/v1/sites/fangfeiyuan/checkins", token: server.staff, body: checkIn, headers: ["Idempotency-Key": "scan-1"])
            #expect(first.status == 201, "\(first)")
            let unchanged = try await server.fingerprint()

            let again = try await http.send(
                "POST", "/v1/sites/fangfeiyuan/checkins", token: server.staff, body: checkIn, headers: ["Idempotency-Key": "scan-1"])
            #expect(again.status == 201)
            #expect(again.body == first.body)
            #expect(again.headers["idempotent-replayed"] == "true")
            #expect(first.headers["idempotent-replayed"] == nil)

            let other = try await http.send(
                "POST", "/v1/sites/fangfeiyuan/checkins", token: server.staff, body: Data(#"{"resident_code":"FFY000006"}"#.utf8),
                headers: ["Idempotency-Key": "scan-1"])
            #expect(other.status == 409 && other.json["code"] as? String == "idempotency_key_reused", "\(other)")
            let elsewhere = try await http.send(
                "POST", "/v1/sites/fangfeiyuan/stations/s1/call", token: server.staff, headers: ["Idempotency-Key": "scan-1"])
            #expect(elsewhere.status == 409 && elsewhere.json["code"] as? String == "idempotency_key_reused", "\(elsewhere)")

            let bad = try await http.send(
                "POST", "/v1/sites/fangfeiyuan/checkins", token: server.staff, body: checkIn, headers: ["Idempotency-Key": "two words"])
            #expect(bad.status == 400 && bad.json["code"] as? String == "invalid_idempotency_key", "\(bad)")
            #expect(bad.contentType.hasPrefix("application/problem+json"))
            #expect(try await server.fingerprint() == unchanged)

            // Keys are the caller's own: another token's same key is a new request (here, a rescan: 200, same ticket).
            let colleague = try await server.store.createToken(role: .staff, site: "fangfeiyuan", label: "gate 2").token
            let theirs = try await http.send(
                "POST", "/v1/sites/fangfeiyuan/checkins", token: colleague, body: checkIn, headers: ["Idempotency-Key": "scan-1"])
            #expect(theirs.status == 200 && theirs.json["repeated"] as? Bool == true, "\(theirs)")
        }
    }

    @Test("a double-tapped button opens one tube, and a refusal is remembered as it was")
    func doubleTap() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            let open = Data(#"{"tube":"T-TAP","station":"s1"}"#.utf8)
            // Ten copies at once, as a flaky network and an impatient thumb might send them.
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await http.send("POST", "/v1/sites/fangfeiyuan/tubes", token: server.staff, body: open, headers: ["Idempotency-Key": "tap-1"])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for reply in replies {
                #expect(reply.status == 201 || (reply.status == 409 && reply.json["code"] as? String == "idempotency_key_in_flight"), "\(reply)")
            }
            #expect(replies.contains { $0.status == 201 })
            let tubes = try await server.fingerprint()["tube"] ?? []
            #expect(tubes.count == 1)
            let later = try await http.send("POST", "/v1/sites/fangfeiyuan/tubes", token: server.staff, body: open, headers: ["Idempotency-Key": "tap-1"])
            #expect(later.status == 201 && later.headers["idempotent-replayed"] == "true", "\(later)")

            // A refusal is an answer too: retrying it gets the same refusal, even once the cause is gone.
            let second = Data(#"{"tube":"T-TWO","station":"s1"}"#.utf8)
            let refused = try await http.send("POST", "/v1/sites/fangfeiyuan/tubes", token: server.staff, body: second, headers: ["Idempotency-Key": "tap-2"])
            #expect(refused.status == 409 && refused.json["code"] as? String == "station_has_open_tube", "\(refused)")
            let retried = try await http.send("POST", "/v1/sites/fangfeiyuan/tubes", token: server.staff, body: second, headers: ["Idempotency-Key": "tap-2"])
            #expect(retried.status == 409 && retried.body == refused.body && retried.headers["idempotent-replayed"] == "true")
        }
    }

    @Test("at the gate and the station, a keyed request and its remembered answer are one write: no moment has one without the other")
    func answerInTheSameWrite() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            let steps = [
                ("/v1/sites/fangfeiyuan/tubes", #"{"tube":"T-SAME","station":"s1"}"#, 201),
                ("/v1/sites/fangfeiyuan/checkins", #"{"resident_code":"FFY000006"}"#, 201),
                ("/v1/sites/fangfeiyuan/stations/s1/call", "{}", 200),
                ("/v1/tubes/T-SAME/samples", #"{"resident_code":"FFY000006"}"#, 201),
                ("/v1/tubes/T-SAME/seal", "{}", 200),
            ]
            for (index, (path, body, status)) in steps.enumerated() {
                let key = ["Idempotency-Key": "same-\(index)"]
                let jobs = server.store.writerStats.requests
                let first = try await http.send("POST", path, token: server.staff, body: Data(body.utf8), headers: key)
                #expect(first.status == status, "\(path): \(first)")
                #expect(server.store.writerStats.requests == jobs + 1, "\(path): the write and its answer went to the writer as one job")
                let stored = try await server.fingerprint()["idempotency_key"] ?? []
                #expect(stored.count == index + 1 && stored.contains { $0.contains("\"same-\(index)\"|") }, "\(path): \(stored)")
                let again = try await http.send("POST", path, token: server.staff, body: Data(body.utf8), headers: key)
                #expect(again.status == status && again.body == first.body && again.headers["idempotent-replayed"] == "true", "\(again)")
                #expect(server.store.writerStats.requests == jobs + 1, "\(path): a replay writes nothing")
            }
            // Without a key nothing is remembered; the answer is the same kind.
            let plain = try await http.send(
                "POST", "/v1/sites/fangfeiyuan/checkins", token: server.staff, body: Data(#"{"resident_code":"FFY000006"}"#.utf8))
            #expect(plain.status == 200 && plain.json["repeated"] as? Bool == true && plain.contentType == "application/json", "\(plain)")
            #expect((try await server.fingerprint()["idempotency_key"] ?? []).count == steps.count)
        }
    }
}
