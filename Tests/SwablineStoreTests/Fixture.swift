import Foundation
import GRDB
import SwablineCore
@testable import SwablineStore
import SwablineTestSupport

/// A store in a temporary folder, loaded with the repository's own sites.
struct Fixture {
    let store: Store
    let directory: URL
    let staff: Actor
    let otherStaff: Actor
    let courier: Actor
    let coordinator: Actor
    static let site = "fangfeiyuan"
    static let lab = "lab-dian"

    static var sitesPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sites").path
    }

    static func make(clock: @escaping @Sendable () -> Date = Date.init) async throws -> Fixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swabline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try await TestDatabase.store(in: directory, clock: clock)
        let report = SiteDirectory.load(sitesPath)
        precondition(report.problems.isEmpty, "\(report.problems)")
        _ = try await store.importSites(report.sites)
        _ = try await store.ensureRound(defaultName: "Round 1")
        func actor(_ role: Role, _ site: String?) async throws -> Actor {
            let (_, token) = try await store.createToken(role: role, site: site, label: nil)
            return try await store.actor(forToken: token)!
        }
        return Fixture(
            store: store, directory: directory, staff: try await actor(.staff, site), otherStaff: try await actor(.staff, "huaxiali"),
            courier: try await actor(.courier, nil), coordinator: try await actor(.coordinator, nil))
    }

    /// Every row of every table: equal fingerprints mean nothing changed.
    func fingerprint() async throws -> [String: [String]] { try await store.fingerprint() }

    /// Residents of a household of the site, by roster order.
    func household(_ key: String) async throws -> [String] {
        try await store.read { db in
            try String.fetchAll(
                db, sql: "SELECT r.code FROM resident r JOIN household h ON h.id = r.household_id WHERE h.key = ? AND h.site_id = ? ORDER BY r.code",
                arguments: [key, Self.site])
        }
    }

    /// Checks the residents in, opens a tube and scans them all into it (left open).
    func fill(_ tube: String, residents: [String], station: String = "s1", mode: TubeMode? = nil) async throws {
        for code in residents { _ = try await store.checkIn(site: Self.site, code: code, walkIn: nil, priority: false, by: staff) }
        _ = try await store.openTube(site: Self.site, code: tube, station: station, mode: mode, by: staff)
        for code in residents { _ = try await store.addSample(tube: tube, resident: code, by: staff) }
    }

    /// Checks in, opens a tube, scans everyone in, seals, boxes, ships and
    /// has the lab receive it. Returns the box code.
    @discardableResult
    func shipTube(_ tube: String, residents: [String], box: String, station: String = "s1", mode: TubeMode? = nil) async throws -> String {
        try await fill(tube, residents: residents, station: station, mode: mode)
        _ = try await store.sealTube(tube, by: staff)
        _ = try await store.createBox(site: Self.site, code: box, by: staff)
        _ = try await store.addTubeToBox(box: box, tube: tube, by: staff)
        _ = try await store.sealBox(box, by: staff)
        _ = try await store.pickUpBox(box, tubeCount: 1, temperature: 4, by: courier)
        _ = try await store.handOverBox(box, by: courier)
        _ = try await store.receiveLabDelivery(lab: Self.lab, webhookID: "recv-\(box)", event: .boxReceived(box: box, tubeCount: 1))
        return box
    }

    /// A lab's delivery of results. Its `tested_at` is the last swab of
    /// those tubes: a time that can be true, and the same each time the
    /// same delivery is sent again (as a lab resends it, byte for byte).
    func results(_ id: String, _ items: [(String, TubeResult)]) async throws -> LabDeliveryAnswer {
        let tubes = items.map(\.0)
        let lastSwab = try await store.read { db in
            try String.fetchOne(
                db, sql: "SELECT max(sampled_at) FROM sample WHERE tube_code IN (\(databaseQuestionMarks(count: tubes.count)))",
                arguments: SQLArguments(tubes))
        }
        let testedAt = lastSwab ?? Timestamp.string(store.clock())
        let event = LabEvent.tubeResults(items.map { PostedResult(tube: $0.0, result: $0.1, testedAt: testedAt, ct: nil) })
        let (body, _) = try await store.receiveLabDelivery(lab: Self.lab, webhookID: id, event: event)
        return try JSONDecoder().decode(LabDeliveryAnswer.self, from: body, snakeCase: true)
    }
}

extension JSONDecoder {
    func decode<T: Decodable>(_ type: T.Type, from data: Data, snakeCase: Bool) throws -> T {
        keyDecodingStrategy = snakeCase ? .convertFromSnakeCase : .useDefaultKeys
        return try decode(type, from: data)
    }
}
