import Foundation
import Hummingbird
import HummingbirdTesting
import SwablineServer
import SwablineStore
import Testing

/// A lab over the real server: a receipt listing the tubes found, tubes
/// rejected with a reason, and the box's manifest read with a lab token.
@Suite("A lab's receipt, rejections and manifest over HTTP")
struct LabReceiptOverHTTPTests {
    /// Two tubes of fangfeiyuan in box LB1, handed over to lab-dian.
    static func shipTwoTubes(_ http: Client, _ server: TestServer) async throws {
        let site = "/v1/sites/fangfeiyuan"
        var steps: [(String, String?, String)] = []
        for (tube, station, resident) in [("LT1", "s1", "FFY000005"), ("LT2", "s2", "FFY000001")] {
            steps += [
                ("\(site)/checkins", #"{"resident_code":"\#(resident)"}"#, server.staff),
                ("\(site)/tubes", #"{"tube":"\#(tube)","station":"\#(station)"}"#, server.staff),
                ("/v1/tubes/\(tube)/samples", #"{"resident_code":"\#(resident)"}"#, server.staff),
                ("/v1/tubes/\(tube)/seal", nil, server.staff),
            ]
        }
        steps += [
            ("\(site)/boxes", #"{"box":"LB1"}"#, server.staff),
            ("/v1/boxes/LB1/tubes", #"{"tube":"LT1"}"#, server.staff), ("/v1/boxes/LB1/tubes", #"{"tube":"LT2"}"#, server.staff),
            ("/v1/boxes/LB1/seal", nil, server.staff),
            ("/v1/boxes/LB1/pickup", #"{"tube_count":2,"temperature_c":4}"#, server.courier),
            ("/v1/boxes/LB1/handover", nil, server.courier),
        ]
        for (path, body, token) in steps {
            let reply = try await http.send("POST", path, token: token, body: body.map { Data($0.utf8) })
            try #require((200..<300).contains(reply.status), "\(path): \(reply)")
        }
    }

    static func deliver(_ http: Client, _ server: TestServer, _ json: String) async throws -> Reply {
        let body = Data(json.utf8)
        return try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: body, headers: server.labHeaders(body))
    }

    @Test("a receipt listing the tubes found loses the missing one; a rejection sends its people back; the manifest in JSON and CSV")
    func receiptRejectionManifest() async throws {
        let server = try await TestServer.make()
        let labDesk = try await server.store.createToken(role: .lab, site: nil, label: "bench", lab: "lab-dian").token
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            try await Self.shipTwoTubes(http, server)

            let manifest = try await http.send("GET", "/v1/boxes/LB1/manifest", token: labDesk)
            #expect(manifest.status == 200, "\(manifest)")
            let tubes = manifest.json["tubes"] as? [[String: Any]] ?? []
            #expect(tubes.map { $0["tube"] as? String } == ["LT1", "LT2"] && tubes.allSatisfy { $0["members"] as? Int == 1 })
            let csv = try await http.send("GET", "/v1/boxes/LB1/manifest?format=csv", token: labDesk)
            let text = String(decoding: csv.body.dropFirst(3), as: UTF8.self)
            #expect(csv.status == 200 && text.hasPrefix("box,site,lab,handed_over_at,tube,mode,members"), "\(csv)")
            #expect(text.split(separator: "\r\n").count == 3)
            #expect(try await http.send("GET", "/v1/boxes/LB1/manifest?format=pdf", token: labDesk).status == 422)

            let received = try await Self.deliver(http, server, #"{"type":"box.received","data":{"box":"LB1","tubes":["LT2"]}}"#)
            #expect(received.status == 200, "\(received)")
            #expect((received.json["box"] as? [String: Any])?["missing"] as? [String] == ["LT1"])
            let lost = try await http.send("GET", "/v1/residents/FFY000005/outcome", token: server.staff)
            #expect(lost.json["outcome"] as? String == "invalid", "\(lost)")

            let rejected = try await Self.deliver(
                http, server, #"{"type":"tube.rejected","data":{"rejections":[{"tube":"LT2","reason":"leaked","note":"cap loose"}]}}"#)
            #expect(rejected.status == 200, "\(rejected)")
            #expect((rejected.json["results"] as? [[String: Any]])?.first?["fate"] as? String == "applied")
            let outcome = try await http.send("GET", "/v1/residents/FFY000001/outcome", token: server.staff)
            #expect(outcome.json["outcome"] as? String == "invalid", "\(outcome)")
            let retests = try await http.send("GET", "/v1/sites/fangfeiyuan/retests", token: server.staff)
            #expect(retests.json["total"] as? Int == 2, "\(retests)")
        }
    }

    @Test("bad receipts and rejections are refused with the field named, and change nothing", arguments: [
        (#"{"type":"box.received","data":{"box":"LB1"}}"#, "data.tube_count"),
        (#"{"type":"box.received","data":{"box":"LB1","tubes":["LT1","LT1"]}}"#, "data.tubes"),
        (#"{"type":"box.received","data":{"box":"LB1","tube_count":1,"tubes":["LT1","LT2"]}}"#, "data.tube_count"),
        (#"{"type":"box.received","data":{"box":"LB1","tubes":["LT 1"]}}"#, "data.tubes[0]"),
        (#"{"type":"box.received","data":{"box":"LB1","tubes":[]}}"#, "data.tubes"),
        (#"{"type":"tube.rejected","data":{"rejections":[]}}"#, "data.rejections"),
        (#"{"type":"tube.rejected","data":{"rejections":[{"tube":"LT1","reason":"ugly"}]}}"#, "data.rejections[0].reason"),
    ])
    func badInput(body: String, field: String) async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            try await Self.shipTwoTubes(http, server)
            let before = try await server.fingerprint()
            let reply = try await Self.deliver(http, server, body)
            #expect(reply.status == 422 && reply.json["code"] as? String == "invalid_field", "\(reply)")
            let named = (reply.json["errors"] as? [[String: Any]])?.first?["field"] as? String
            #expect(named == field, "\(reply)")
            #expect(try await server.fingerprint() == before)
        }
    }
}

/// A lab without an LIS uploads its results as a CSV file with its lab token.
@Suite("Results uploaded as CSV")
struct ResultsUploadTests {
    @Test("good rows are applied, each bad row is refused with its line and reason, whatever the file's quirks")
    func upload() async throws {
        let server = try await TestServer.make()
        let labDesk = try await server.store.createToken(role: .lab, site: nil, label: "bench", lab: "lab-dian").token
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            try await LabReceiptOverHTTPTests.shipTwoTubes(http, server)
            let receipt = try await LabReceiptOverHTTPTests.deliver(http, server, #"{"type":"box.received","data":{"box":"LB1","tube_count":2}}"#)
            try #require(receipt.status == 200)
            let now = Timestamp.string(Date())
            // Written by Python's csv module, as a spreadsheet export would be: BOM, CRLF, quoting where needed.
            let script = """
                import csv, io, sys
                rows = [["Result", "tube", "tested_at", "ct"],
                        ["阳性", "LT1", sys.argv[1], "24.5"],
                        ["negative", "LT2", sys.argv[1], ""],
                        ["negative", "NOT-SHIPPED", sys.argv[1], ""],
                        ["maybe", "LT2", sys.argv[1], ""],
                        ["negative", "LT2", "yesterday", ""],
                        ["negative", "LT2", "2001-01-01T00:00:00Z", ""],
                        ["positive", "LT1", sys.argv[1], "70"],
                        ["", "", "", ""]]
                out = io.StringIO()
                csv.writer(out, lineterminator="\\r\\n").writerows(rows)
                sys.stdout.buffer.write(b"\\xef\\xbb\\xbf" + out.getvalue().encode("utf-8"))
                """
            let file = try PythonScript.run(["-c", script, now])
            try #require(file.status == 0, "\(file.output)")
            let before = try await server.fingerprint()
            let refused = try await http.send(
                "POST", "/v1/labs/lab-dian/results", token: server.staff, body: Data(file.output.utf8), headers: ["Content-Type": "text/csv"])
            #expect(refused.status == 403 && refused.json["code"] as? String == "forbidden", "\(refused)")
            let wrongType = try await http.send("POST", "/v1/labs/lab-dian/results", token: labDesk, body: Data(file.output.utf8))
            #expect(wrongType.status == 415 && wrongType.json["code"] as? String == "unsupported_media_type", "\(wrongType)")
            let noHeader = try await http.send(
                "POST", "/v1/labs/lab-dian/results", token: labDesk, body: Data("LT1,positive,\(now)\n".utf8), headers: ["Content-Type": "text/csv"])
            #expect(noHeader.status == 422, "\(noHeader)")
            #expect(try await server.fingerprint() == before, "refused uploads change nothing")

            let reply = try await http.send(
                "POST", "/v1/labs/lab-dian/results", token: labDesk, body: Data(file.output.utf8), headers: ["Content-Type": "text/csv; charset=utf-8"])
            #expect(reply.status == 200, "\(reply)")
            #expect(reply.json["rows"] as? Int == 7 && reply.json["refused"] as? Int == 5, "\(reply)")
            let refusals = (reply.json["refusals"] as? [[String: Any]] ?? []).map { ($0["line"] as? Int ?? 0, $0["code"] as? String ?? "") }
            #expect(refusals.map(\.0) == [4, 5, 6, 7, 8], "\(refusals)")
            #expect(refusals.map(\.1) == ["unknown_tube", "invalid_field", "invalid_field", "tested_at_out_of_range", "invalid_field"])
            let counts = reply.json["counts"] as? [String: Int] ?? [:]
            #expect(counts["applied"] == 2 && counts["unknown_tube"] == 1 && counts["refused"] == 3 && counts["tested_at_out_of_range"] == 1, "\(counts)")
            let positive = try await http.send("GET", "/v1/residents/FFY000005/outcome", token: server.staff)
            #expect(positive.json["outcome"] as? String == "pool_positive", "\(positive)")
            // The same file again: every row a duplicate or refused as before, nothing changes.
            let settled = try await server.fingerprint()
            let again = try await http.send(
                "POST", "/v1/labs/lab-dian/results", token: labDesk, body: Data(file.output.utf8), headers: ["Content-Type": "text/csv"])
            #expect((again.json["counts"] as? [String: Int])?["duplicate"] == 2, "\(again)")
            #expect(try await server.fingerprint().filter { $0.key != "webhook_delivery" } == settled.filter { $0.key != "webhook_delivery" })
        }
    }
}
