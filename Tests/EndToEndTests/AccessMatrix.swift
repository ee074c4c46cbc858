import Foundation
import Hummingbird
import SwablineServer
import SwablineTestSupport
@testable import SwablineStore

/// The one table of who may use which route (rule 7), read by
/// `AccessMatrixTests`. Every operation in the OpenAPI document, every API
/// route the router serves and every page must have a row, so a new route
/// fails the tests until someone decides who may use it.
///
/// To add a row: the key is `METHOD /path/{template}` exactly as the
/// document (or, for a page, the router) spells it; `allowed` lists the
/// actors that must succeed (2xx, or a redirect for a page); `path` is the
/// concrete path sent (fangfeiyuan is "this site"); `setup` are requests,
/// each answered 2xx, that put the store where the allowed actor succeeds,
/// so that a refusal of the others cannot be a side effect of missing data.
enum AccessMatrix {
    /// Who is asking.
    enum Who: String, CaseIterable, Comparable, Sendable {
        /// Staff of fangfeiyuan, the site every row is about.
        case staff
        /// Staff of huaxiali.
        case otherStaff
        /// A courier for any site.
        case courier
        /// A courier limited to huaxiali.
        case otherCourier
        case coordinator
        /// A lab token of lab-dian: the people of a lab without an LIS (manifests, the lab page).
        case labDesk
        /// lab-dian (fangfeiyuan's lab), by signature; no bearer token.
        case lab
        /// lab-jinyu, by its own valid signature (on its own webhook path).
        case otherLab
        /// No credentials at all.
        case none
        case revoked
        case expired

        static func < (a: Who, b: Who) -> Bool { a.rawValue < b.rawValue }
        /// Kinds that hold a bearer token (or session cookie) that is valid.
        var hasValidToken: Bool { [.staff, .otherStaff, .courier, .otherCourier, .coordinator, .labDesk].contains(self) }
    }

    /// A request made before the matrix, as `who`; it must answer 2xx.
    struct Step {
        var method = "POST"
        var path: String
        var who: Who = .staff
        var body: String?
    }

    struct Row {
        var allowed: Set<Who>
        var path: String
        var body: String? = nil
        var setup: [Step] = []
        /// Sent with the body instead of application/json.
        var contentType: String? = nil
        /// Everyone may call it; nothing is refused.
        var isPublic: Bool { allowed == Set(Who.allCases) }
    }

    static let everyone = Set(Who.allCases)

    /// A lab's ORU^R01 for tube T1, tested now.
    static let oru: String = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyyMMddHHmmss'+0000'"
        let now = formatter.string(from: Date())
        return [
            "MSH|^~\\&|LIS|lab-dian|SWABLINE||\(now)||ORU^R01^ORU_R01|MATRIX-1|P|2.5.1", "OBR|1|T1||94500-6^SARS-CoV-2 RNA^LN",
            "OBX|1|CWE|94500-6^SARS-CoV-2 RNA^LN||260415000^Not detected^SCT||||||F|||\(now)", "SPM|1|T1||258529004^Throat swab^SCT",
        ].joined(separator: "\r") + "\r"
    }()
    static let anyToken: Set<Who> = [.staff, .otherStaff, .courier, .otherCourier, .coordinator, .labDesk]
    static let site = "/v1/sites/fangfeiyuan"

    // The steps of one tube and one box along their chain; each state is the one before plus a step.
    static let tubeOpen = [
        Step(path: "\(site)/checkins", body: #"{"resident_code":"FFY000005"}"#),
        Step(path: "\(site)/tubes", body: #"{"tube":"T1","station":"s1"}"#),
    ]
    static let tubeFilled = tubeOpen + [Step(path: "/v1/tubes/T1/samples", body: #"{"resident_code":"FFY000005"}"#)]
    static let tubeSealed = tubeFilled + [Step(path: "/v1/tubes/T1/seal")]
    static let boxPacking = tubeSealed + [Step(path: "\(site)/boxes", body: #"{"box":"B1"}"#)]
    static let boxPacked = boxPacking + [Step(path: "/v1/boxes/B1/tubes", body: #"{"tube":"T1"}"#)]
    static let boxSealed = boxPacked + [Step(path: "/v1/boxes/B1/seal")]
    static let boxCarried = boxSealed + [
        Step(path: "/v1/boxes/B1/pickup", who: .courier, body: #"{"tube_count":1,"temperature_c":4}"#)
    ]
    static let boxHandedOver = boxCarried + [Step(path: "/v1/boxes/B1/handover", who: .courier)]
    static let boxReceived = boxHandedOver + [
        Step(path: "/v1/labs/lab-dian/webhooks", who: .lab, body: #"{"type":"box.received","data":{"box":"B1","tube_count":1}}"#)
    ]
    static func result(_ result: String) -> Step {
        Step(path: "/v1/labs/lab-dian/webhooks", who: .lab, body: """
            {"type":"tube.results","data":{"results":[{"tube":"T1","result":"\(result)","tested_at":"\(Timestamp.string(Date()))"}]}}
            """)
    }
    /// A conflicting second result for the same tube is kept as anomaly #1 (rule 4).
    static let anomaly = boxReceived + [result("positive"), result("negative")]

    /// The API: every operation of the OpenAPI document and every route under /v1.
    static let api: [String: Row] = [
        "GET /healthz": Row(allowed: everyone, path: "/healthz"),
        "GET /readyz": Row(allowed: everyone, path: "/readyz"),
        "GET /v1/openapi.json": Row(allowed: everyone, path: "/v1/openapi.json"),
        "POST /v1/sites/{site}/checkins": Row(allowed: [.staff], path: "\(site)/checkins", body: #"{"resident_code":"FFY000005"}"#),
        "POST /v1/sites/{site}/stations/{station}/call": Row(
            allowed: [.staff], path: "\(site)/stations/s1/call", setup: tubeOpen),
        "POST /v1/sites/{site}/tubes": Row(allowed: [.staff], path: "\(site)/tubes", body: #"{"tube":"T1","station":"s1"}"#),
        "POST /v1/tubes/{tube}/samples": Row(
            allowed: [.staff], path: "/v1/tubes/T1/samples", body: #"{"resident_code":"FFY000005"}"#, setup: tubeOpen),
        "POST /v1/tubes/{tube}/seal": Row(allowed: [.staff], path: "/v1/tubes/T1/seal", setup: tubeFilled),
        "POST /v1/tubes/{tube}/lost": Row(
            allowed: [.staff, .coordinator], path: "/v1/tubes/T1/lost", body: #"{"reason":"dropped at the desk"}"#, setup: tubeFilled),
        "POST /v1/sites/{site}/boxes": Row(allowed: [.staff], path: "\(site)/boxes", body: #"{"box":"B1"}"#),
        "POST /v1/boxes/{box}/tubes": Row(allowed: [.staff], path: "/v1/boxes/B1/tubes", body: #"{"tube":"T1"}"#, setup: boxPacking),
        "POST /v1/boxes/{box}/seal": Row(allowed: [.staff], path: "/v1/boxes/B1/seal", setup: boxPacked),
        "POST /v1/boxes/{box}/pickup": Row(
            allowed: [.courier], path: "/v1/boxes/B1/pickup", body: #"{"tube_count":1,"temperature_c":4}"#, setup: boxSealed),
        "POST /v1/boxes/{box}/handover": Row(allowed: [.courier], path: "/v1/boxes/B1/handover", setup: boxCarried),
        "GET /v1/boxes/{box}/manifest": Row(allowed: [.staff, .coordinator, .labDesk], path: "/v1/boxes/B1/manifest", setup: boxHandedOver),
        "POST /v1/labs/{lab}/results": Row(
            allowed: [.labDesk], path: "/v1/labs/lab-dian/results", body: "tube,result,tested_at\r\n", setup: boxReceived,
            contentType: "text/csv"),
        "POST /v1/labs/{lab}/webhooks": Row(
            allowed: [.lab], path: "/v1/labs/lab-dian/webhooks", body: #"{"type":"box.received","data":{"box":"B1","tube_count":1}}"#,
            setup: boxHandedOver),
        // Another lab gets 200 too: its ACK says AE, the tube is not one shipped to it, and nothing is applied.
        "POST /v1/labs/{lab}/hl7": Row(allowed: [.lab, .otherLab], path: "/v1/labs/lab-dian/hl7", body: oru, setup: boxReceived),
        "PUT /v1/sites/{site}/roster": Row(
            allowed: [.staff, .coordinator], path: "\(site)/roster",
            body: "resident_code,name,id_number,phone,building,unit,room,household,priority,single_tube\r\n"
                + "FFY000001,薛建平,310110193307232813,15363135090,1,1,101,1-1-101,1,0\r\n",
            contentType: "text/csv"),
        "GET /v1/sites/{site}/coverage": Row(allowed: [.staff, .coordinator], path: "\(site)/coverage"),
        "GET /v1/sites/{site}/retests": Row(allowed: [.staff, .coordinator], path: "\(site)/retests"),
        "GET /v1/residents/{code}/outcome": Row(allowed: [.staff, .coordinator], path: "/v1/residents/FFY000001/outcome"),
        "GET /v1/rounds/current": Row(allowed: anyToken, path: "/v1/rounds/current"),
        "POST /v1/rounds": Row(allowed: [.coordinator], path: "/v1/rounds", body: #"{"name":"Round 2"}"#),
        "GET /v1/sites/{site}/rounds": Row(allowed: [.staff, .coordinator], path: "\(site)/rounds"),
        "GET /v1/sites/{site}/isolation": Row(allowed: [.staff, .coordinator], path: "\(site)/isolation"),
        "GET /v1/isolation": Row(allowed: [.coordinator], path: "/v1/isolation"),
        "GET /v1/sites/{site}/referrals": Row(allowed: [.staff, .coordinator], path: "\(site)/referrals"),
        "GET /v1/sites/{site}/home-visits": Row(allowed: [.staff, .coordinator], path: "\(site)/home-visits"),
        "GET /v1/sites/{site}/exports/{list}": Row(allowed: [.staff, .coordinator], path: "\(site)/exports/missing.csv"),
        "POST /v1/residents/{code}/homebound": Row(
            allowed: [.staff, .coordinator], path: "/v1/residents/FFY000001/homebound", body: #"{"homebound":true}"#),
        "POST /v1/residents/{code}/follow-up": Row(
            allowed: [.staff, .coordinator], path: "/v1/residents/FFY000001/follow-up", body: #"{"reason":"not_at_home"}"#),
        "POST /v1/residents/{code}/clearance": Row(
            allowed: [.coordinator], path: "/v1/residents/FFY000001/clearance", body: #"{"reason":"negative single tube at the hospital"}"#),
        "GET /v1/anomalies": Row(allowed: [.staff, .coordinator], path: "/v1/anomalies?site=fangfeiyuan", setup: anomaly),
        "POST /v1/anomalies/{anomaly}/resolve": Row(
            allowed: [.coordinator], path: "/v1/anomalies/1/resolve", body: #"{"note":"retested single: negative"}"#, setup: anomaly),
        "GET /v1/subscribers": Row(allowed: [.coordinator], path: "/v1/subscribers"),
        "GET /v1/outbox": Row(allowed: [.coordinator], path: "/v1/outbox"),
        "GET /v1/outbox/dead": Row(allowed: [.coordinator], path: "/v1/outbox/dead"),
        "POST /v1/outbox/replay": Row(allowed: [.coordinator], path: "/v1/outbox/replay", body: "{}"),
        "GET /v1/audit": Row(allowed: [.coordinator], path: "/v1/audit?resident=FFY000001"),
        "POST /v1/residents/{code}/reveal": Row(
            allowed: [.coordinator], path: "/v1/residents/FFY000001/reveal", body: #"{"reason":"the door-to-door team cannot find them"}"#),
    ]

    /// The pages (HTML, signed in with the session cookie), every route the router serves outside /v1.
    static let pages: [String: Row] = [
        "GET /": Row(allowed: everyone, path: "/"),
        "GET /pages.js": Row(allowed: everyone, path: "/pages.js"),
        "GET /login": Row(allowed: everyone, path: "/login"),
        "POST /login": Row(allowed: everyone, path: "/login", body: "token=swb_not_a_token"),
        "POST /logout": Row(allowed: everyone, path: "/logout"),
        "GET /sites/{site}/gate": Row(allowed: [.staff], path: "/sites/fangfeiyuan/gate"),
        "POST /sites/{site}/gate": Row(allowed: [.staff], path: "/sites/fangfeiyuan/gate", body: "resident_code=FFY000005"),
        "GET /sites/{site}/stations": Row(allowed: [.staff], path: "/sites/fangfeiyuan/stations"),
        "GET /sites/{site}/stations/{station}": Row(allowed: [.staff], path: "/sites/fangfeiyuan/stations/s1"),
        "POST /sites/{site}/stations/{station}": Row(
            allowed: [.staff], path: "/sites/fangfeiyuan/stations/s1", body: "action=open&tube=T1"),
        "GET /sites/{site}/packing": Row(allowed: [.staff], path: "/sites/fangfeiyuan/packing"),
        "POST /sites/{site}/packing": Row(allowed: [.staff], path: "/sites/fangfeiyuan/packing", body: "action=create&box=B1"),
        "GET /courier": Row(allowed: [.courier, .otherCourier], path: "/courier"),
        "GET /lab": Row(allowed: [.labDesk], path: "/lab"),
        "GET /sites/{site}/roster": Row(allowed: [.staff, .coordinator], path: "/sites/fangfeiyuan/roster"),
        "POST /sites/{site}/roster": Row(
            allowed: [.staff, .coordinator], path: "/sites/fangfeiyuan/roster",
            body: "roster=resident_code%2Cname%2Cid_number%2Cphone%2Cbuilding%2Cunit%2Croom%2Chousehold%2Cpriority%2Csingle_tube%0D%0A"
                + "FFY000001%2C%E8%96%9B%E5%BB%BA%E5%B9%B3%2C310110193307232813%2C15363135090%2C1%2C1%2C101%2C1-1-101%2C1%2C0%0D%0A"),
        "POST /lab": Row(allowed: [.labDesk], path: "/lab", body: "action=receive&box=B1&tubes=T1", setup: boxHandedOver),
        "POST /courier": Row(
            allowed: [.courier], path: "/courier", body: "action=pickup&box=B1&tube_count=1&temperature_c=4", setup: boxSealed),
        // Staff are sent on to their own site's dashboard.
        "GET /dashboard": Row(allowed: [.staff, .otherStaff, .coordinator], path: "/dashboard"),
        "POST /dashboard": Row(
            allowed: [.coordinator], path: "/dashboard", body: "action=resolve&anomaly=1&note=retested", setup: anomaly),
        "GET /sites/{site}/dashboard": Row(allowed: [.staff, .coordinator], path: "/sites/fangfeiyuan/dashboard"),
        // Staff see their site's anomalies; only a coordinator resolves one.
        "POST /sites/{site}/dashboard": Row(
            allowed: [.coordinator], path: "/sites/fangfeiyuan/dashboard", body: "action=resolve&anomaly=1&note=retested", setup: anomaly),
        "GET /sites/{site}/dashboard/missing": Row(
            allowed: [.staff, .coordinator], path: "/sites/fangfeiyuan/dashboard/missing?building=1"),
        "GET /sites/{site}/isolation": Row(allowed: [.staff, .coordinator], path: "/sites/fangfeiyuan/isolation"),
        // Staff are sent on to their own site's list.
        "GET /isolation": Row(allowed: [.staff, .otherStaff, .coordinator], path: "/isolation"),
        "GET /sites/{site}/home-visits": Row(allowed: [.staff, .coordinator], path: "/sites/fangfeiyuan/home-visits"),
        "GET /sites/{site}/exports/{list}": Row(allowed: [.staff, .coordinator], path: "/sites/fangfeiyuan/exports/coverage.csv"),
        "GET /sites/{site}/board": Row(allowed: [.staff, .coordinator], path: "/sites/fangfeiyuan/board"),
        "GET /sites/{site}/board/events": Row(allowed: [.staff, .coordinator], path: "/sites/fangfeiyuan/board/events"),
    ]

    /// `METHOD /path` of every operation in an OpenAPI document.
    static func operations(document: Data) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: document) as? [String: Any]
        let paths = object?["paths"] as? [String: [String: Any]] ?? [:]
        let verbs: Set = ["get", "put", "post", "delete", "patch"]
        return Set(paths.flatMap { path, item in item.keys.filter(verbs.contains).map { "\($0.uppercased()) \(path)" } })
    }

    /// `METHOD /path/{param}` of every route a router serves.
    static func routes(_ router: Router<AppContext>) -> Set<String> {
        Set(router.routes.map { route in
            let path = "\(route.path)".split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            return "\(route.method) /" + path.joined(separator: "/")
        })
    }
}

extension TestServer {
    /// The same data in a new store, so each row of the matrix starts from
    /// the same store and cannot disturb another: SQLite's online backup
    /// into a new file, or on PostgreSQL every row copied into a new schema.
    func copy() async throws -> TestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swabline-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let location: String
        let copied: Store
        if TestDatabase.onPostgres {
            location = try await TestDatabase.location(in: directory, name: "copy")
            copied = try await Store.open(location)
            try await Self.copyRows(from: store, to: copied)
        } else {
            location = directory.appendingPathComponent("copy.sqlite").path
            try store.backup(to: location)
            copied = try Store(path: location)
        }
        var configuration = self.configuration
        configuration.databasePath = location
        return TestServer(
            store: copied, configuration: configuration, staff: staff, otherStaff: otherStaff, courier: courier,
            coordinator: coordinator, labSecret: labSecret)
    }

    /// Every row of every table of `source` into the empty, migrated
    /// PostgreSQL store `target`, ids kept. The copy's session runs as a
    /// replica (the test server's role is a superuser): neither the foreign
    /// keys nor the append-only triggers fire, so tables go in any order.
    private static func copyRows(from source: Store, to target: Store) async throws {
        let tables = try await source.read { db in
            try db.tableNames().filter { $0 != "swabline_schema" }.map { table in
                let columns = try String.fetchAll(
                    db, sql: "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                    arguments: [table])
                let rows = try SQLRow.fetchAll(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table)").map { row in
                    (0..<row.count).map { row.databaseValue(atIndex: $0) }
                }
                let identity = try String.fetchOne(
                    db, sql: "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'YES'",
                    arguments: [table])
                return (table, columns, rows, identity)
            }
        }
        try await target.writeDirectly { db in
            try db.execute(sql: "SET LOCAL session_replication_role = replica")
            for (table, columns, rows, identity) in tables {
                for start in stride(from: 0, to: rows.count, by: 200) {
                    let chunk = rows[start..<min(start + 200, rows.count)]
                    try db.execute(
                        sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(MultiRow.values(chunk.count, columns: columns.count))",
                        arguments: SQLArguments(Array(chunk.joined())))
                }
                if let identity {
                    try db.execute(
                        sql: "SELECT setval(pg_get_serial_sequence('\(table)', '\(identity)'), max(\(identity))) FROM \(table) HAVING max(\(identity)) IS NOT NULL")
                }
            }
        }
    }
}
