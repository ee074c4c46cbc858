import Foundation
import Hummingbird
import HummingbirdTesting
import GRDB
@testable import SwablineServer
@testable import SwablineStore
import Testing

/// A lab and a health authority speaking FHIR R4, checked with
/// fhir.resources' R4B models (Tests/interop/fhir_peer.py).
@Suite("FHIR R4: results in as Bundles, outcomes out as Observations")
struct FHIRTests {
    static func peer(_ arguments: [String]) throws -> String {
        let run = try PythonScript.run(["Tests/interop/fhir_peer.py"] + arguments)
        try #require(run.status == 0, "\(run.output)")
        return run.output
    }

    /// Saves answers and has the peer parse each as the resource it claims to be.
    static func peerParses(_ bodies: [Data]) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fhir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try bodies.enumerated().map { index, body in
            let file = folder.appendingPathComponent("\(index).json")
            try body.write(to: file)
            return file.path
        }
        return try peer(["check"] + files).split(separator: "\n").map(String.init)
    }

    @Test("a transaction of two tubes applies both; a resent Bundle is answered the same; a bad one changes nothing")
    func transaction() async throws {
        let server = try await TestServer.make()
        let labDesk = try await server.store.createToken(role: .lab, site: nil, label: "LIS", lab: "lab-dian").token
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            try await LabReceiptOverHTTPTests.shipTwoTubes(http, server)
            let receipt = try await LabReceiptOverHTTPTests.deliver(http, server, #"{"type":"box.received","data":{"box":"LB1","tube_count":2}}"#)
            try #require(receipt.status == 200)
            let now = ISO8601DateFormatter().string(from: Date())
            func post(_ bundle: String, token: String) async throws -> Reply {
                try await http.send("POST", "/fhir/r4", token: token, body: Data(bundle.utf8), headers: ["Content-Type": "application/fhir+json"])
            }

            let metadata = try await http.send("GET", "/fhir/r4/metadata")
            #expect(metadata.status == 200 && metadata.headers["content-type"]?.hasPrefix("application/fhir+json") == true)

            // One unknown tube in a transaction: nothing is applied.
            let unknown = try Self.peer(["bundle", "transaction", "-", now, "LT1=260373001", "NOPE1=260415000"])
            let refused = try await post(unknown, token: labDesk)
            #expect(refused.status == 409 && refused.json["resourceType"] as? String == "OperationOutcome", "\(refused)")
            let unread = try await post(#"{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient"}}]}"#, token: labDesk)
            #expect(unread.status == 400, "\(unread)")
            let asStaff = try await post(unknown, token: server.staff)
            #expect(asStaff.status == 403 && asStaff.json["resourceType"] as? String == "OperationOutcome", "\(asStaff)")
            let pending = try await http.send("GET", "/v1/residents/FFY000005/outcome", token: server.staff)
            #expect(pending.json["outcome"] as? String == "pending", "a refused transaction applied nothing: \(pending)")

            let bundle = try Self.peer(["bundle", "transaction", "day1-run7", now, "LT1=260373001:23.5", "LT2=260385009"])
            let applied = try await post(bundle, token: labDesk)
            #expect(applied.status == 200, "\(applied)")
            let statuses = (applied.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["response"] as? [String: Any])?["status"] as? String }
            #expect(statuses == ["200 OK", "201 Created", "200 OK", "200 OK", "200 OK", "201 Created", "200 OK"], "\(statuses)")
            let again = try await post(bundle, token: labDesk)
            #expect(again.body == applied.body, "the same Bundle again gets the same answer")

            let positive = try await http.send("GET", "/v1/residents/FFY000005/outcome", token: server.staff)
            #expect(positive.json["outcome"] as? String == "pool_positive", "\(positive)")
            let negative = try await http.send("GET", "/v1/residents/FFY000001/outcome", token: server.staff)
            #expect(negative.json["outcome"] as? String == "negative", "\(negative)")

            let observations = try await http.send("GET", "/fhir/r4/Observation?patient=FFY000005", token: server.coordinator)
            #expect(observations.status == 200, "\(observations)")
            let first = ((observations.json["entry"] as? [[String: Any]])?.first?["resource"]) as? [String: Any] ?? [:]
            let value = ((first["valueCodeableConcept"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String
            #expect(value == "720735008" && first["status"] as? String == "preliminary", "\(first)")
            #expect("\(first["derivedFrom"] ?? "")".contains("LT1"))
            #expect(!String(decoding: observations.body, as: UTF8.self).contains("薛"), "no name leaves Swabline (rule 8)")
            let foreign = try await http.send("GET", "/fhir/r4/Observation?patient=FFY000005", token: server.otherStaff)
            #expect(foreign.status == 403 || foreign.status == 404, "\(foreign)")

            let parsed = try Self.peerParses([metadata.body, refused.body, unread.body, applied.body, observations.body])
            #expect(parsed == ["CapabilityStatement", "OperationOutcome", "OperationOutcome", "Bundle", "Bundle"], "\(parsed)")
        }
    }

    @Test("a batch applies what it can and says per entry what it could not")
    func batch() async throws {
        let server = try await TestServer.make()
        let labDesk = try await server.store.createToken(role: .lab, site: nil, label: "LIS", lab: "lab-dian").token
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            try await LabReceiptOverHTTPTests.shipTwoTubes(http, server)
            _ = try await LabReceiptOverHTTPTests.deliver(http, server, #"{"type":"box.received","data":{"box":"LB1","tube_count":2}}"#)
            let now = ISO8601DateFormatter().string(from: Date())
            let bundle = try Self.peer(["bundle", "batch", "-", now, "LT1=260415000", "NOPE1=260415000", "LT2=1234567"])
            let reply = try await http.send("POST", "/fhir/r4", token: labDesk, body: Data(bundle.utf8), headers: ["Content-Type": "application/fhir+json"])
            #expect(reply.status == 200, "\(reply)")
            let statuses = (reply.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["response"] as? [String: Any])?["status"] as? String }
            #expect(statuses == ["200 OK", "201 Created", "200 OK", "200 OK", "404 Not Found", "200 OK", "200 OK", "201 Created", "200 OK"], "\(statuses)")
            let unknownCode = try await http.send("GET", "/v1/residents/FFY000001/outcome", token: server.staff)
            #expect(unknownCode.json["outcome"] as? String == "invalid", "an unknown SNOMED code is read as invalid: \(unknownCode)")
            #expect(try Self.peerParses([reply.body]) == ["Bundle"])
        }
    }

    @Test("a FHIR subscriber's resident.outcome goes out as an Observation the peer reads; FHIR takes resident.outcome alone")
    func callbacks() async throws {
        let server = try await TestServer.make()
        _ = try await server.store.addSubscriber(url: "http://127.0.0.1:9/fhir", events: [.residentOutcome], label: "authority", format: .fhir)
        let mixed = await #expect(throws: StoreError.self) {
            try await server.store.addSubscriber(url: "http://127.0.0.1:9/x", events: [.residentOutcome, .tubeLost], label: nil, format: .fhir)
        }
        #expect(mixed?.code == "invalid_field")
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            try await LabReceiptOverHTTPTests.shipTwoTubes(http, server)
            _ = try await LabReceiptOverHTTPTests.deliver(http, server, #"{"type":"box.received","data":{"box":"LB1","tube_count":2}}"#)
            let at = Timestamp.string(Date())
            _ = try await LabReceiptOverHTTPTests.deliver(http, server, """
                {"type":"tube.results","data":{"results":[{"tube":"LT1","result":"positive","tested_at":"\(at)"}]}}
                """)
        }
        // Read from the outbox itself: the live server's sender may already have tried (and failed) to deliver it.
        let bodies = try await server.store.read { db in try Data.fetchAll(db, sql: "SELECT body FROM outbox ORDER BY id") }
        let formats = try await server.store.subscribers().map(\.format)
        #expect(bodies.count == 1 && formats == [.fhir])
        let body = try #require(bodies.first)
        let observation = try #require(FHIROutcomes.callback(body))
        #expect(try Self.peerParses([observation]) == ["Observation"])
        let json = try JSONSerialization.jsonObject(with: observation) as? [String: Any] ?? [:]
        #expect("\(json["valueCodeableConcept"] ?? "")".contains("720735008") && json["status"] as? String == "preliminary", "\(json)")
        #expect("\(json["subject"] ?? "")".contains("FFY000005") && !"\(json)".contains("薛"))
    }
}
