import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import SwablineServer
@testable import SwablineStore
import Testing

/// A lab speaking HL7 v2: python-hl7's MLLP client sends ORU^R01 to the
/// MLLP port, hl7apy checks every ACK and the OML^O21 manifest strictly
/// against the v2.5.1 structures (Tests/interop/hl7_peer.py).
@Suite("HL7 v2: results over MLLP and HTTPS, ACKs after the commit, the manifest as OML^O21")
struct HL7Tests {
    static func peer(_ arguments: [String]) throws -> String {
        let run = try PythonScript.run(["Tests/interop/hl7_peer.py"] + arguments)
        try #require(run.status == 0, "\(run.output)")
        return run.output
    }

    /// Files in a fresh folder, for the peer to read.
    static func files(_ texts: [String]) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hl7-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try texts.enumerated().map { index, text in
            let file = folder.appendingPathComponent("\(index).hl7")
            try Data(text.utf8).write(to: file)
            return file.path
        }
    }

    static func json(_ output: String) throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]] ?? []
    }

    /// The ACKs python-hl7 got for these messages, sent over one MLLP connection.
    static func send(_ messages: [String], port: Int) async throws -> [String] {
        let run = try await PythonScript.runAside(["Tests/interop/hl7_peer.py", "send", "\(port)"] + files(messages))
        try #require(run.status == 0, "\(run.output)")
        return try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String] ?? []
    }

    /// hl7apy's strict reading of each message.
    static func checked(_ messages: [String]) throws -> [[String: Any]] { try json(try peer(["check"] + files(messages))) }

    /// Runs `body` with the MLLP listener serving `server`'s store on a loopback port.
    static func withMLLP(_ server: TestServer, _ body: (Int) async throws -> Void) async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let listener = MLLPListener(
            host: "127.0.0.1", port: 0, allowed: .loopback, store: server.store, logger: Logger(label: "mllp-test"),
            bound: { continuation.yield($0) })
        let group = ServiceGroup(services: [listener], logger: Logger(label: "mllp-test"))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        do {
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    static func hl7Time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: date) + "+0800"
    }

    @Test("over MLLP: results applied, the same message answered the same, a reused MSH-10, a wrong key and a broken message change nothing")
    func mllp() async throws {
        let server = try await TestServer.make()
        let key = MLLPKey.derive(fromSecret: server.labSecret)
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            try await LabReceiptOverHTTPTests.shipTwoTubes(http, server)
            _ = try await LabReceiptOverHTTPTests.deliver(http, server, #"{"type":"box.received","data":{"box":"LB1","tube_count":2}}"#)
            let now = Self.hl7Time(Date())
            try await Self.withMLLP(server) { port in
                let wrongKey = try Self.peer(["oru", "RUN-0", "lab-dian", "mllp_0000", now, "LT1=260373001"])
                let broken = "MSH|^~\\&|LIS|lab-dian|SWABLINE||\(now)|\(key)|ORU^R01^ORU_R01|RUN-B|P|2.5.1\rOBR|1|LT1\rZZ?|x\r"
                let before = try await server.fingerprint()
                let refused = try await Self.send([wrongKey, broken], port: port)
                #expect(try await server.fingerprint() == before, "refused messages change nothing")

                let first = try Self.peer(["oru", "RUN-1", "lab-dian", key, now, "LT1=260373001:24.5", "LT2=99999999", "NOPE1=260415000"])
                let reused = try Self.peer(["oru", "RUN-1", "lab-dian", key, now, "LT1=260415000"])
                let acks = try await Self.send([first, first, reused], port: port)
                #expect(acks[0] == acks[1], "a resent MSH-10 gets the same ACK")
                let read = try Self.checked(refused + acks)
                #expect(read.map { $0["msa"] as? String } == ["AR", "AR", "AE", "AE", "AR"], "\(read)")
                #expect(read.map { $0["errors"] as? [String] ?? [] } == [["204"], ["100"], ["204"], ["204"], ["205"]], "\(read)")
                #expect(read[2]["original"] as? String == "RUN-1")

                let positive = try await http.send("GET", "/v1/residents/FFY000005/outcome", token: server.staff)
                #expect(positive.json["outcome"] as? String == "pool_positive", "\(positive)")
                let unknownCode = try await http.send("GET", "/v1/residents/FFY000001/outcome", token: server.staff)
                #expect(unknownCode.json["outcome"] as? String == "invalid", "an unknown SNOMED code reads as invalid: \(unknownCode)")
                let kept = try await server.store.read { db in
                    try SQLRow.fetchOne(db, sql: "SELECT result_code, ct FROM tube WHERE code = 'LT2'")
                }
                #expect(kept?["result_code"] == "99999999", "the lab's code is kept")
            }
        }
    }

    @Test("over HTTPS, signed like a webhook: the ACK in the body; the manifest as OML^O21 that hl7apy reads as one ORDER per tube")
    func https() async throws {
        let server = try await TestServer.make()
        let labDesk = try await server.store.createToken(role: .lab, site: nil, label: "LIS", lab: "lab-dian").token
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            try await LabReceiptOverHTTPTests.shipTwoTubes(http, server)
            let manifest = try await http.send("GET", "/v1/boxes/LB1/manifest?format=hl7", token: labDesk)
            #expect(manifest.status == 200 && manifest.headers["content-type"]?.hasPrefix("x-application/hl7-v2+er7") == true, "\(manifest)")
            _ = try await LabReceiptOverHTTPTests.deliver(http, server, #"{"type":"box.received","data":{"box":"LB1","tube_count":2}}"#)
            // One instrument's clock a day ahead: that tube alone is refused (AE, ERR 207), the other applied.
            let ahead = Self.hl7Time(Date().addingTimeInterval(86_400))
            let skewed = try Self.peer(["oru", "WEB-0", "lab-dian", "-", Self.hl7Time(Date()), "LT1=260415000", "LT2=260385009@\(ahead)"])
            let skewedBody = Data(skewed.utf8)
            let partial = try await http.send(
                "POST", "/v1/labs/lab-dian/hl7", body: skewedBody, headers: server.labHeaders(skewedBody))
            let partialRead = try Self.checked([String(decoding: partial.body, as: UTF8.self)])
            #expect(partialRead.first?["msa"] as? String == "AE" && partialRead.first?["errors"] as? [String] == ["207"], "\(partialRead)")
            let message = try Self.peer(["oru", "WEB-1", "lab-dian", "-", Self.hl7Time(Date()), "LT1=260415000", "LT2=260385009"])
            let body = Data(message.utf8)
            let reply = try await http.send(
                "POST", "/v1/labs/lab-dian/hl7", body: body, headers: server.labHeaders(body).merging(["Content-Type": "x-application/hl7-v2+er7"]) { $1 })
            #expect(reply.status == 200, "\(reply)")
            let unsigned = try await http.send("POST", "/v1/labs/lab-dian/hl7", body: body)
            #expect(unsigned.status == 401, "\(unsigned)")
            let read = try Self.checked([String(decoding: reply.body, as: UTF8.self), String(decoding: manifest.body, as: UTF8.self)])
            #expect(read.first?["msa"] as? String == "AA", "\(read)")
            #expect(read.last?["type"] as? String == "OML^O21^OML_O21" && read.last?["orders"] as? Int == 2, "\(read)")
            for code in ["FFY000005", "FFY000001"] {
                let outcome = try await http.send("GET", "/v1/residents/\(code)/outcome", token: server.staff)
                #expect(outcome.json["outcome"] as? String == "negative", "\(outcome)")
            }
        }
    }

    @Test("the same round ends in the same outcomes whether the lab speaks webhooks, HL7 over MLLP or FHIR")
    func sameOutcomes() async throws {
        var exports: [String: String] = [:]
        for language in ["webhook", "hl7", "fhir"] {
            let server = try await TestServer.make()
            let labDesk = try await server.store.createToken(role: .lab, site: nil, label: "LIS", lab: "lab-dian").token
            exports[language] = try await server.application.test(.live) { live in
                let http = Client(port: live.port!)
                try await LabReceiptOverHTTPTests.shipTwoTubes(http, server)
                _ = try await LabReceiptOverHTTPTests.deliver(http, server, #"{"type":"box.received","data":{"box":"LB1","tube_count":2}}"#)
                let now = Date()
                switch language {
                case "webhook":
                    let at = Timestamp.string(now)
                    let reply = try await LabReceiptOverHTTPTests.deliver(http, server, """
                        {"type":"tube.results","data":{"results":[{"tube":"LT1","result":"positive","tested_at":"\(at)"},\
                        {"tube":"LT2","result":"negative","tested_at":"\(at)"}]}}
                        """)
                    #expect(reply.status == 200, "\(reply)")
                case "hl7":
                    let message = try Self.peer([
                        "oru", "SAME-1", "lab-dian", MLLPKey.derive(fromSecret: server.labSecret), Self.hl7Time(now), "LT1=260373001", "LT2=260415000",
                    ])
                    try await Self.withMLLP(server) { port in
                        let read = try Self.checked(try await Self.send([message], port: port))
                        #expect(read.first?["msa"] as? String == "AA", "\(read)")
                    }
                default:
                    let bundle = try FHIRTests.peer(["bundle", "transaction", "same-1", ISO8601DateFormatter().string(from: now), "LT1=260373001", "LT2=260415000"])
                    let reply = try await http.send("POST", "/fhir/r4", token: labDesk, body: Data(bundle.utf8), headers: ["Content-Type": "application/fhir+json"])
                    #expect(reply.status == 200, "\(reply)")
                }
                let csv = try await http.send("GET", "/v1/sites/fangfeiyuan/exports/outcomes.csv", token: server.coordinator)
                return String(decoding: csv.body, as: UTF8.self)
            }
        }
        #expect(exports["webhook"]?.contains("pool_positive") == true)
        #expect(exports["hl7"] == exports["webhook"] && exports["fhir"] == exports["webhook"])
    }
}
