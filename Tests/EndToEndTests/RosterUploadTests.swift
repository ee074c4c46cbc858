import Foundation
import Hummingbird
import HummingbirdTesting
import SwablineServer
import SwablineStore
import Testing

@Suite("A roster uploaded while the server runs")
struct RosterUploadTests {
    static let header = "resident_code,name,id_number,phone,building,unit,room,household,priority,single_tube,homebound"

    @Test("every row problem is named and nothing changes; a good file adds the new resident, who is then expected")
    func upload() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.live) { live in
            let http = Client(port: live.port!)
            func put(_ rows: [String], token: String) async throws -> Reply {
                let body = Data(([Self.header] + rows).joined(separator: "\r\n").utf8)
                return try await http.send("PUT", "/v1/sites/fangfeiyuan/roster", token: token, body: body, headers: ["Content-Type": "text/csv"])
            }
            let coverage = try await http.send("GET", "/v1/sites/fangfeiyuan/coverage", token: server.staff)
            let expected = (coverage.json["counts"] as? [String: Any])?["expected"] as? Int ?? -1
            let newcomer = "FFY900001,林晓雨,110101199003071233,13800138000,1,1,102,1-1-102,0,0,1"
            let before = try await server.fingerprint()
            let bad = try await put([newcomer, "FFY900002,,not-an-id,123,1,1,102,1-1-102,0,0,0", "XHC000001,王五,110101199003071236,13800138001,1,1,102,1-1-102,0,0,0"], token: server.staff)
            #expect(bad.status == 422 && bad.json["code"] as? String == "invalid_roster", "\(bad)")
            let fields = (bad.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains { $0.hasPrefix("line 3:") }, "the bad row is named by its line: \(fields)")
            #expect(try await server.fingerprint() == before, "nothing written")

            let clash = try await put([newcomer, "HXL000001,王五,11010119900307125X,13800138001,1,1,102,1-1-102,0,0,0"], token: server.staff)
            #expect(clash.status == 422 && "\(clash.json["errors"] ?? "")".contains("another site"), "\(clash)")
            // What a browser makes of a GBK export read as UTF-8: refused, never written over the names.
            let garbled = try await put([newcomer.replacingOccurrences(of: "林晓雨", with: "\u{FFFD}\u{FFFD}\u{FFFD}")], token: server.staff)
            #expect(garbled.status == 422 && "\(garbled.json["errors"] ?? "")".contains("UTF-8"), "\(garbled)")
            let refused = try await put([newcomer], token: server.otherStaff)
            #expect(refused.status == 403, "\(refused)")
            let wrongType = try await http.send("PUT", "/v1/sites/fangfeiyuan/roster", token: server.staff, body: Data(Self.header.utf8))
            #expect(wrongType.status == 415, "\(wrongType)")
            #expect(try await server.fingerprint() == before, "nothing written")

            let good = try await put([newcomer], token: server.staff)
            #expect(good.status == 200 && good.json["added"] as? Int == 1 && good.json["residents"] as? Int == 1, "\(good)")
            let after = try await http.send("GET", "/v1/sites/fangfeiyuan/coverage", token: server.staff)
            #expect((after.json["counts"] as? [String: Any])?["expected"] as? Int == expected + 1, "\(after)")
            let visits = try await http.send("GET", "/v1/sites/fangfeiyuan/home-visits", token: server.staff)
            #expect("\(visits.json)".contains("FFY900001"), "the homebound column is read: \(visits)")
        }
    }
}
