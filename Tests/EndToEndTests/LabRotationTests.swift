import Foundation
import SwablineServer
import Testing

@Suite("Rotating a lab's webhook secret with the CLI")
struct LabRotationTests {
    @Test("during the overlap the old and the new secret both sign; `--overlap-hours 0` retires the old ones at once")
    func rotate() async throws {
        let workspace = try await Workspace("rotate")
        let first = try workspace.cli(["labs", "add", "lab-dian"])
        let server = try await workspace.start()
        defer { server.kill9() }
        let http = Client(port: server.port)
        // A receipt for a box that does not exist: a good signature gets past verification to 404, a bad one is 401.
        let body = Data(#"{"type":"box.received","data":{"box":"NO-BOX","tube_count":1}}"#.utf8)
        func status(signedWith secret: String) async throws -> Int {
            let id = "msg_\(UUID().uuidString)"
            let now = Int(Date().timeIntervalSince1970)
            let headers = [
                "webhook-id": id, "webhook-timestamp": String(now),
                "webhook-signature": StandardWebhooks.sign(id: id, timestamp: now, body: body, secret: secret)!,
            ]
            return try await http.send("POST", "/v1/labs/lab-dian/webhooks", body: body, headers: headers).status
        }
        #expect(try await status(signedWith: first) == 404)

        let second = try workspace.cli(["labs", "rotate", "lab-dian", "--overlap-hours", "1"])
        #expect(second.hasPrefix("whsec_") && second != first)
        #expect(try await status(signedWith: first) == 404, "the old secret still signs during the overlap")
        #expect(try await status(signedWith: second) == 404)

        let third = try workspace.cli(["labs", "rotate-secret", "lab-dian", "--overlap-hours", "0"])
        #expect(try await status(signedWith: first) == 401)
        #expect(try await status(signedWith: second) == 401)
        #expect(try await status(signedWith: third) == 404)

        let negative = try workspace.run(["labs", "rotate", "lab-dian", "--overlap-hours=-2"])
        #expect(negative.status != 0 && negative.output.contains("--overlap-hours must be 0 or more"), "\(negative.output)")
        let unknown = try workspace.run(["labs", "rotate", "lab-nowhere"])
        #expect(unknown.status != 0 && unknown.output.contains("lab-nowhere"), "\(unknown.output)")
        #expect(try await status(signedWith: third) == 404, "refused rotations changed nothing")
    }
}
