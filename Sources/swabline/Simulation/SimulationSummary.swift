import Foundation
import SwablineCore
import SwablineSimulation

/// The figures of a simulated day as label–value rows: printed as an
/// aligned table in the terminal and as a table in the HTML report.
struct SimulationSummary: Sendable, Hashable {
    struct Row: Sendable, Hashable {
        var label: String
        var value: String
    }

    struct StationRow: Sendable, Hashable {
        var station: String
        var sampled: Int
        /// The worst step's p95 wait (steps of `seriesStep`).
        var worstStepWaitP95: Double?
    }

    var title: String
    var rows: [Row]
    var stations: [StationRow]

    /// - Parameter prevalence: what the day was run with (the report does
    ///   not carry it), for Dorfman's figure beside the simulated one.
    init(_ report: SimulationReport, site: SimulatedSite, prevalence: Double) {
        title = "\(site.definition.name) (\(report.site)), seed \(report.seed)"
        func percent(_ share: Double) -> String { String(format: "%.1f %%", share * 100) }
        func clock(_ time: Double?) -> String { time.map(DayTime.clock) ?? "—" }
        func spread(_ s: SimulationReport.Spread?) -> String {
            s.map { "p50 \(DayTime.duration($0.p50)), p95 \(DayTime.duration($0.p95)), max \(DayTime.duration($0.max))" } ?? "—"
        }
        let dorfman = Dorfman.testsPerPerson(poolSize: report.poolMode.capacity, prevalence: prevalence)
        let reasons = report.tubes.partlyFilledBecause.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        let refusals = report.refusals.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        rows = [
            Row(label: "Site", value: "\(site.definition.name) (\(report.site)), \(site.definition.zone.rawValue) zone, lab \(report.lab)"),
            Row(label: "Stations, tube mode", value: "\(report.stations), \(report.poolMode.rawValue)"),
            Row(label: "Opens – closes", value: "\(DayTime.clock(site.opens)) – \(DayTime.clock(site.closes))"),
            Row(label: "Expected (roster)", value: "\(report.expected)"),
            Row(label: "Came", value: "\(report.arrived) (\(report.walkIns) of them walk-ins)"),
            Row(label: "Missing (never came)", value: "\(report.missingCount)"),
            Row(label: "Sampled", value: "\(report.sampled)"),
            Row(
                label: "Everyone who came sampled by",
                value: clock(report.allSampledAt)
                    + (report.timeToSampleEveryone.map { " (\(DayTime.duration($0)) after opening)" } ?? "")),
            Row(label: "Wait, check-in to swab", value: spread(report.wait)),
            Row(label: "Most people waiting at once", value: "\(report.peakWaiting)"),
            Row(label: "Tubes", value: "\(report.tubes.total) (\(report.tubes.pooled) pooled, \(report.tubes.single) single)"),
            Row(label: "Pooled tube fill ratio", value: percent(report.tubes.fillRatio)),
            Row(
                label: "Partly filled pooled tubes",
                value: "\(report.tubes.partlyFilled)"
                    + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: ", ") + ")")),
            Row(label: "Scans refused", value: refusals.isEmpty ? "0" : refusals.joined(separator: ", ")),
            Row(label: "Courier runs", value: "\(report.pickups.count), \(report.pickups.reduce(0) { $0 + $1.boxes }) boxes"),
            Row(label: "Sample age at the lab", value: spread(report.sampleAge.spread)),
            Row(
                label: "Samples over \(DayTime.duration(report.sampleAge.limit))",
                value:
                    "\(report.sampleAge.overLimit) (\(percent(report.sampleAge.shareOverLimit)))"),
            Row(label: "Last result", value: clock(report.lastResultAt)),
            Row(label: "Positive / invalid tubes", value: "\(report.results.positiveTubes) / \(report.results.invalidTubes)"),
            Row(label: "Retests", value: "\(report.results.retests)"),
            Row(label: "People isolated", value: "\(report.results.isolated)"),
            Row(
                label: "Confirmed positive",
                value:
                    "\(report.results.confirmedPositive) (infected: \(report.results.infectedSampled) sampled, \(report.results.infectedMissing) missing)"
            ),
            Row(label: "Tests per person", value: String(format: "%.3f simulated, %.3f Dorfman", report.testsPerPerson, dorfman)),
        ]
        stations = (0..<report.stations).map { i in
            StationRow(
                station: Self.stationName(i, site: site),
                sampled: report.series.reduce(0) { $0 + $1.stations[i].sampled },
                worstStepWaitP95: report.series.compactMap { $0.stations[i].waitP95 }.max())
        }
    }

    /// A station's id from the site, or `s<n>` past the site's own.
    static func stationName(_ index: Int, site: SimulatedSite) -> String {
        index < site.definition.stations.count ? site.definition.stations[index].id : "s\(index + 1)"
    }

    /// The table as aligned plain text.
    var text: String {
        let width = rows.map(\.label.count).max() ?? 0
        var out = title + "\n" + String(repeating: "─", count: width + 2 + 20) + "\n"
        for row in rows { out += pad(row.label, width) + "  " + row.value + "\n" }
        out += "\n" + pad("station", 8) + "  sampled  worst step p95 wait\n"
        for row in stations {
            out += pad(row.station, 8) + padLeft(String(row.sampled), 9) + "  " + (row.worstStepWaitP95.map(DayTime.duration) ?? "—") + "\n"
        }
        return out
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
