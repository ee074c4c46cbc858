import Foundation
import Hummingbird
import HummingbirdTesting
import SwablineServer
import SwablineStore
import Testing

@Suite("CSV exports read by Python's csv module")
struct ExportTests {
    @Test("coverage, missing (with reasons), outcomes and retests as CSV: a BOM, CRLF, quoted where needed, numbers masked")
    func exports() async throws {
        let server = try await TestServer.make()
        let roster = try Roster.load()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            // A missing resident's reason, to find in missing.csv.
            let noted = try await http.send(
                "POST", "/v1/residents/FFY000001/follow-up", token: server.staff,
                json: ["reason": "away", "note": #"in "Beijing", back Friday"#])
            #expect(noted.status == 200, "\(noted)")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exports-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            for list in ["coverage.csv", "missing.csv", "outcomes.csv", "retests.csv"] {
                let reply = try await http.send("GET", "/v1/sites/fangfeiyuan/exports/\(list)", token: server.coordinator)
                #expect(reply.status == 200 && reply.headers["content-type"] == "text/csv; charset=utf-8", "\(reply)")
                #expect(reply.body.prefix(3) == Data([0xEF, 0xBB, 0xBF]), "\(list) starts with a byte-order mark")
                try reply.body.write(to: folder.appendingPathComponent(list))
            }
            #expect(try await http.send("GET", "/v1/sites/fangfeiyuan/exports/people.csv", token: server.staff).status == 404)
            #expect(try await http.send("GET", "/v1/sites/fangfeiyuan/exports/missing.csv", token: server.otherStaff).status == 403)
            // Python's csv module reads them back: every row as wide as the header, the reason where it belongs.
            let script = """
                import csv, json, sys
                out = {}
                for name in ["coverage", "missing", "outcomes", "retests"]:
                    with open(sys.argv[1] + "/" + name + ".csv", encoding="utf-8-sig", newline="") as f:
                        rows = list(csv.reader(f))
                    assert all(len(r) == len(rows[0]) for r in rows), name
                    out[name] = [dict(zip(rows[0], r)) for r in rows[1:]]
                print(json.dumps(out, ensure_ascii=False))
                """
            let run = try PythonScript.run(["-c", script, folder.path])
            #expect(run.status == 0, "\(run.output)")
            let tables = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as! [String: [[String: String]]]
            #expect(tables["coverage"]!.map { Int($0["expected"]!)! }.reduce(0, +) == roster.people.count)
            #expect(tables["missing"]!.count == roster.people.count)
            let first = tables["missing"]!.first { $0["code"] == "FFY000001" }!
            #expect(first["reason"] == "away" && first["reason_found"] == "0" && first["round"] == "Round 1")
            #expect(tables["missing"]!.allSatisfy { $0["phone"]!.contains("****") }, "phone numbers masked (rule 8)")
            #expect(tables["outcomes"]!.count == roster.people.count && tables["outcomes"]!.allSatisfy { $0["standing"] == "cleared" })
            #expect(tables["retests"]!.isEmpty)
        }
    }
}
