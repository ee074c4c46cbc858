import Foundation
import GRDB
import Hummingbird
import Logging
import SwablineCore
import SwablineServer
import SwablineTestSupport
@testable import SwablineStore

/// A prepared store in a temporary folder with the repository's sites, and
/// the tokens and lab secret a round needs.
struct TestServer {
    let store: Store
    let configuration: ServerConfiguration
    let staff: String
    let otherStaff: String
    let courier: String
    let coordinator: String
    let labSecret: String

    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func make() async throws -> TestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swabline-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = ServerConfiguration(
            port: 0, databasePath: try await TestDatabase.location(in: directory, name: "e2e.sqlite"),
            sitesPath: repository.appendingPathComponent("sites").path, logLevel: .warning)
        // HummingbirdTesting's live client keeps one connection and does not
        // open a new one when the server closes it as idle; between two of its
        // requests a test may spend longer than the 30 s default reading the
        // store (a fingerprint on a loaded PostgreSQL), which made the page
        // matrix fail with "I/O on closed channel". Idle closing has its own test.
        configuration.idleTimeout = 600
        let store = try await prepareStore(configuration, logger: Logger(label: "test"))
        return TestServer(
            store: store, configuration: configuration,
            staff: try await store.createToken(role: .staff, site: "fangfeiyuan", label: "gate").token,
            otherStaff: try await store.createToken(role: .staff, site: "huaxiali", label: nil).token,
            courier: try await store.createToken(role: .courier, site: nil, label: nil).token,
            coordinator: try await store.createToken(role: .coordinator, site: nil, label: nil).token,
            labSecret: try await store.addLab("lab-dian"))
    }

    var application: some ApplicationProtocol { get throws { try buildApplication(configuration, store: store) } }

    /// Every row of every table: equal fingerprints mean nothing changed.
    func fingerprint() async throws -> [String: [String]] { try await store.fingerprint() }

    /// A signed lab delivery, as the lab's LIS would send it.
    func labHeaders(_ body: Data, id: String = "msg_\(UUID().uuidString)", secret: String? = nil, at: Date = Date()) -> [String: String] {
        let timestamp = Int(at.timeIntervalSince1970)
        return [
            "webhook-id": id, "webhook-timestamp": String(timestamp),
            "webhook-signature": StandardWebhooks.sign(id: id, timestamp: timestamp, body: body, secret: secret ?? labSecret)!,
        ]
    }
}

/// The 芳菲苑 roster, read independently of the code under test.
struct Roster {
    struct Person {
        var code: String
        var idNumber: String
        var phone: String
        var household: String
        var singleTube: Bool
    }

    let people: [Person]

    static func load(_ site: String = "芳菲苑") throws -> Roster {
        let text = try String(contentsOf: TestServer.repository.appendingPathComponent("sites/\(site)/roster.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").dropFirst()
        return Roster(people: lines.map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Person(code: f[0], idNumber: f[2], phone: f[3], household: f[7], singleTube: f[9] == "1")
        })
    }
}
