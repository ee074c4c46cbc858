import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import SwablineCore
import SwablineServer
import Testing
@testable import SwablineStore

#if canImport(Glibc)
import Glibc
#endif

@Suite("Outcome callbacks reach a real receiver over loopback")
struct CallbackTests {
    /// What the receiver got: every delivery, in arrival order.
    final class Inbox: Sendable {
        struct Delivery: Sendable {
            var path: String
            var id: String
            var type: String
            var resident: String?
            var outcome: String?
            var signatureValid: Bool
        }

        private let state = Mutex<(deliveries: [Delivery], failing: Bool)>(([], true))
        let secrets: Mutex<[String: String]> = Mutex([:])

        var deliveries: [Delivery] { state.withLock { $0.deliveries } }
        func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }

        /// Records a delivery; `/flaky` answers 500 while failing is set.
        func receive(path: String, headers: [String: String], body: Data) -> HTTPResponse.Status {
            if path == "/flaky", state.withLock({ $0.failing }) { return .internalServerError }
            let secret = secrets.withLock { $0[path] } ?? ""
            let valid = (try? StandardWebhooks.verify(
                id: headers["webhook-id"], timestamp: headers["webhook-timestamp"], signature: headers["webhook-signature"], body: body,
                secrets: [secret], now: Date())) != nil
            let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
            let data = json["data"] as? [String: Any] ?? [:]
            let delivery = Delivery(
                path: path, id: headers["webhook-id"] ?? "", type: json["type"] as? String ?? "",
                resident: data["resident"] as? String, outcome: data["outcome"] as? String, signatureValid: valid)
            state.withLock { $0.deliveries.append(delivery) }
            return .noContent
        }
    }

    /// A loopback port nobody listens on yet: the receiver is "down" until it starts there.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw CocoaError(.featureUnsupported) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func receiver(port: Int, inbox: Inbox) -> some ApplicationProtocol {
        let router = Router()
        router.post("/:hook") { request, context -> Response in
            let body = Data(buffer: try await request.body.collect(upTo: 1 << 20))
            let headers = Dictionary(request.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { first, _ in first })
            return Response(status: inbox.receive(path: request.uri.path, headers: headers, body: body))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    }

    /// Waits (bounded) until `done` holds.
    static func eventually(_ what: String, seconds: Double = 30, _ done: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await done() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for: \(what)")
    }

    /// Checks in, swabs, seals, packs, ships and has the lab receive one tube, through the store.
    static func ship(_ server: TestServer, tube: String, box: String, residents: [String], mode: TubeMode? = nil) async throws {
        let staff = try await server.store.actor(forToken: server.staff)!, courier = try await server.store.actor(forToken: server.courier)!
        for code in residents { _ = try await server.store.checkIn(site: "fangfeiyuan", code: code, walkIn: nil, priority: false, by: staff) }
        _ = try await server.store.openTube(site: "fangfeiyuan", code: tube, station: "s1", mode: mode, by: staff)
        for code in residents { _ = try await server.store.addSample(tube: tube, resident: code, by: staff) }
        _ = try await server.store.sealTube(tube, by: staff)
        _ = try await server.store.createBox(site: "fangfeiyuan", code: box, by: staff)
        _ = try await server.store.addTubeToBox(box: box, tube: tube, by: staff)
        _ = try await server.store.sealBox(box, by: staff)
        _ = try await server.store.pickUpBox(box, tubeCount: 1, temperature: 4, by: courier)
        _ = try await server.store.handOverBox(box, by: courier)
        _ = try await server.store.receiveLabDelivery(lab: "lab-dian", webhookID: "recv-\(box)", event: .boxReceived(box: box, tubeCount: 1))
    }

    @Test("a receiver that is down gets every callback once it is back, signed, in order per resident; dead letters replay over the API")
    func downThenBack() async throws {
        let server = try await TestServer.make()
        var configuration = server.configuration
        var callbacks = CallbackConfiguration()
        callbacks.schedule = RetrySchedule(base: 0.02, cap: 0.1, maxAttempts: 25)
        callbacks.pollInterval = .milliseconds(20)
        configuration.callbacks = callbacks
        let port = try Self.freePort()
        let inbox = Inbox()
        let (outcomes, outcomeSecret) = try await server.store.addSubscriber(
            url: "http://127.0.0.1:\(port)/outcomes", events: [.residentOutcome], label: "health code")
        let (flaky, flakySecret) = try await server.store.addSubscriber(url: "http://127.0.0.1:\(port)/flaky", events: [.tubeSealed], label: nil)
        inbox.secrets.withLock { $0 = ["/outcomes": outcomeSecret, "/flaky": flakySecret] }
        let roster = try Roster.load()
        let household = roster.people.filter { $0.household == "1-2-401" }.map(\.code)

        try await buildApplication(configuration, store: server.store).test(.live) { live in
            let http = Client(port: live.port!)
            func post(_ id: String, _ results: [(String, String)]) async throws {
                let body = try JSONSerialization.data(withJSONObject: [
                    "type": "tube.results", "timestamp": "2022-04-05T12:00:00Z",
                    "data": ["results": results.map { ["tube": $0.0, "result": $0.1, "tested_at": Timestamp.string(Date())] }],
                ])
                let reply = try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: body, headers: server.labHeaders(body, id: id))
                #expect(reply.status == 200, "\(reply)")
            }
            // The pool is positive; then the first member's single-tube retest is negative.
            try await Self.ship(server, tube: "CB-P1", box: "CB-B1", residents: household)
            try await post("msg_cb_1", [("CB-P1", "positive")])
            try await Self.ship(server, tube: "CB-S1", box: "CB-B2", residents: [household[0]], mode: .single)
            try await post("msg_cb_2", [("CB-S1", "negative")])

            // Nobody listens yet: attempts fail and the subscriber is paused between them.
            try await Self.eventually("failed attempts while the receiver is down") {
                let view = try await server.store.subscriber(id: outcomes)
                let tried = try await server.store.read { db in
                    try Int.fetchOne(db, sql: "SELECT max(attempts) FROM outbox WHERE subscriber_id = ?", arguments: [outcomes]) ?? 0
                }
                return tried >= 2 && view.pending == household.count + 1
            }
            #expect(inbox.deliveries.isEmpty)

            // The receiver comes back on the same port.
            let receiver = Task { try await Self.receiver(port: port, inbox: inbox).runService() }
            defer { receiver.cancel() }
            do {
                try await Self.eventually("every outcome delivered") { try await server.store.subscriber(id: outcomes).pending == 0 }
                let got = inbox.deliveries.filter { $0.path == "/outcomes" }
                #expect(got.count == household.count + 1)
                #expect(Set(got.map(\.id)).count == got.count, "each callback once")
                #expect(got.allSatisfy { $0.signatureValid })
                #expect(Set(got.compactMap(\.resident)) == Set(household))
                // One resident's callbacks in order: the pool's positive before the retest's negative.
                #expect(got.filter { $0.resident == household[0] }.map(\.outcome) == ["pool_positive", "negative"])

                // /flaky answered 500 every time: its two tube.sealed callbacks were dead-lettered.
                try await Self.eventually("dead letters") { try await server.store.subscriber(id: flaky).dead == 2 }
                let dead = try await http.send("GET", "/v1/outbox/dead?subscriber=\(flaky)", token: server.coordinator)
                let letters = dead.json["dead_letters"] as? [[String: Any]] ?? []
                let reasons = letters.compactMap { $0["last_error"] as? String }
                #expect(reasons.count == 2, "\(dead)")
                #expect(reasons.allSatisfy { $0.hasPrefix("HTTP 500") }, "\(reasons)")
                // Only the coordinator may replay; a refusal changes nothing.
                let refused = try await http.send("POST", "/v1/outbox/replay", token: server.staff, json: ["subscriber": flaky])
                #expect(refused.status == 403 && refused.json["code"] as? String == "forbidden", "\(refused)")
                #expect(try await server.store.subscriber(id: flaky).dead == 2)
                inbox.setFailing(false)
                let replay = try await http.send("POST", "/v1/outbox/replay", token: server.coordinator, json: ["subscriber": flaky])
                #expect(replay.status == 200 && replay.json["replayed"] as? Int == 2, "\(replay)")
                try await Self.eventually("replayed callbacks delivered") { inbox.deliveries.filter { $0.path == "/flaky" }.count == 2 }
                #expect(inbox.deliveries.filter { $0.path == "/flaky" }.allSatisfy { $0.type == "tube.sealed" && $0.signatureValid })
                // The receiver has them; the outbox records so right after each answer.
                try await Self.eventually("the outbox empty") {
                    let status = try await http.send("GET", "/v1/outbox", token: server.coordinator)
                    return status.json["pending"] as? Int == 0 && status.json["dead"] as? Int == 0
                }
            }
        }
    }
}
