import CSV
import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// A site's lists as CSV for the district office's spreadsheet: coverage
/// per household, the missing with their reasons, every outcome, the retest
/// list; in a round (`?round=`, default the site's current one). UTF-8 with
/// a byte-order mark, so Excel opens Chinese names correctly; phone numbers
/// masked as everywhere (rule 8).
struct ExportController {
    let store: any RoundReports

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("sites/:site/exports/:list", use: export)
        return routes
    }

    /// The lists there are, by file name.
    enum List: String, CaseIterable {
        case coverage = "coverage.csv"
        case missing = "missing.csv"
        case outcomes = "outcomes.csv"
        case retests = "retests.csv"
    }

    static let personHeader = ["building", "unit", "room", "household", "code", "name", "phone"]

    @Sendable func export(_ request: Request, context: AppContext) async throws -> Response {
        try await export(request, context: context, by: try context.requireActor())
    }

    /// The same file for the API's bearer token or a page's session (the dashboard's download links).
    func export(_ request: Request, context: AppContext, by actor: Actor) async throws -> Response {
        let site = try context.code("site")
        guard let list = List(rawValue: try context.code("list")) else {
            throw Problem(.notFound, code: "not_found", detail: "No such export: the lists are \(List.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let round = try ReportController.round(request)
        let rows: [[String]]
        switch list {
        case .coverage:
            let report = try await store.coverage(site: site, round: round, by: actor)
            rows = [["round", "building", "unit", "room", "household", "expected", "checked_in", "sampled", "resulted", "closed", "open"]]
                + report.buildings.flatMap { building in
                    building.units.flatMap { unit in
                        unit.households.map { household in
                            let c = household.counts
                            return [report.round, building.building, unit.unit, household.room, household.household]
                                + [c.expected, c.checkedIn, c.sampled, c.resulted, c.closed, c.open].map(String.init)
                        }
                    }
                }
        case .missing:
            let report = try await store.coverage(site: site, round: round, by: actor)
            rows = [["round"] + Self.personHeader + ["reason", "reason_found", "standing"]]
                + report.missing.map { [report.round] + Self.person($0) + [$0.reason?.rawValue ?? "", Self.flag($0.reasonFound), $0.standing?.rawValue ?? ""] }
        case .outcomes:
            let report = try await store.roundOutcomes(site: site, round: round, by: actor)
            rows = [["round"] + Self.personHeader + ["outcome", "standing"]]
                + report.people.map { [report.round] + Self.person($0) + [$0.outcome?.rawValue ?? "", ($0.standing ?? .cleared).rawValue] }
        case .retests:
            let report = try await store.retests(site: site, round: round, by: actor)
            let people = report.buildings.flatMap(\.households).flatMap(\.residents)
            rows = [["round"] + Self.personHeader + ["outcome", "standing"]]
                + people.map { [report.round] + Self.person($0) + [$0.outcome?.rawValue ?? "", $0.standing?.rawValue ?? ""] }
        }
        return try Self.csvResponse(rows, name: "\(site)-\(list.rawValue)")
    }

    static func person(_ line: PersonLine) -> [String] {
        [line.building, line.unit, line.room, line.household, line.code, line.name, line.phone]
    }

    /// A field a spreadsheet would run as a formula (a name typed at the gate
    /// as `=HYPERLINK(…)`) is written with a leading `'`, which Excel and
    /// LibreOffice show as text (OWASP's advice for CSV injection).
    static func inert(_ field: String) -> String {
        guard let first = field.first, "=+-@\t\r".contains(first) else { return field }
        return "'" + field
    }

    static func flag(_ value: Bool?) -> String { value.map { $0 ? "1" : "0" } ?? "" }

    /// Rows written by CSV.swift (it quotes a field that needs it), CRLF as
    /// RFC 4180 and Excel expect, after a UTF-8 byte-order mark.
    static func csvResponse(_ rows: [[String]], name: String) throws -> Response {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        for row in rows { try writer.write(row: row.map(Self.inert)) }
        writer.stream.close()
        let data = Data([0xEF, 0xBB, 0xBF]) + (stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data())
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
