import Foundation
import SwablineCharts
import SwablineCore
import SwablineSimulation

/// A district's day for people: totals, the load on each lab, and one row
/// per community in CSV.
struct DistrictText {
    var district: DistrictReport
    var reports: [SimulationReport]
    var sites: [SimulatedSite]
    var seed: UInt64

    init(_ district: DistrictReport, reports: [SimulationReport], sites: [SimulatedSite], seed: UInt64) {
        self.district = district
        self.reports = reports
        self.sites = sites
        self.seed = seed
    }

    var totalRows: [(String, String)] {
        let d = district
        let oldest = reports.compactMap { $0.sampleAge.spread?.max }.max()
        let over = reports.reduce(0) { $0 + $1.sampleAge.overLimit }
        let late = reports.filter { ($0.allSampledAt ?? 0) > sites[0].closes }.count
        return [
            ("Communities", "\(d.sites) (seed \(seed))"),
            ("Stations", "\(reports.reduce(0) { $0 + $1.stations })"),
            ("Expected (rosters)", "\(d.expected)"),
            ("Sampled", "\(d.sampled)"),
            ("Missing (never came)", "\(d.missing)"),
            ("Last swab in the district", d.lastSampleAt.map(DayTime.clock) ?? "—"),
            ("Communities finishing after closing", "\(late)"),
            ("Tubes", "\(d.tubes)"),
            ("Courier runs", "\(reports.reduce(0) { $0 + $1.pickups.count })"),
            ("Oldest sample at a lab", oldest.map(DayTime.duration) ?? "—"),
            ("Samples over 4 h at the lab", "\(over)"),
            ("Retests", "\(d.retests)"),
            ("People isolated", "\(d.isolated)"),
            ("Confirmed positive", "\(d.confirmedPositive)"),
            ("Lab capacity", "\(Int(d.labCapacityPerHour)) tubes per hour each"),
        ]
    }

    var labHeader: [String] {
        ["lab", "sites", "deliveries", "boxes", "tubes", "busiest hour", "peak queue", "peak at", "cleared at"]
    }

    var labRows: [[String]] {
        district.labs.map { lab in
            [
                lab.lab, "\(lab.sites)", "\(lab.deliveries)", "\(lab.boxes)", "\(lab.tubes)",
                "\(lab.busiestHourTubes) from \(DayTime.clock(lab.busiestHourStart))",
                "\(Int(lab.peakBacklog.rounded())) tubes", DayTime.clock(lab.peakBacklogAt), DayTime.clock(lab.clearedAt),
            ]
        }
    }

    var summary: String {
        let width = totalRows.map(\.0.count).max() ?? 0
        var out = "District of \(district.sites) communities\n" + String(repeating: "─", count: width + 24) + "\n"
        for (label, value) in totalRows {
            out += label + String(repeating: " ", count: width - label.count) + "  " + value + "\n"
        }
        let table = [labHeader] + labRows
        let widths = labHeader.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        out += "\nCourier load and queue per lab:\n"
        for row in table {
            out +=
                row.indices.map { row[$0] + String(repeating: " ", count: widths[$0] - row[$0].count) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        return out
    }

    var sitesCSV: String {
        var out =
            "site,lab,zone,pool_mode,stations,expected,sampled,missing,tubes,all_sampled_at,wait_p95,peak_waiting,courier_runs,oldest_sample_age,over_limit,retests,isolated\n"
        for (site, report) in zip(sites, reports) {
            out +=
                [
                    report.site, report.lab, site.definition.zone.rawValue, report.poolMode.rawValue, "\(report.stations)",
                    "\(report.expected)", "\(report.sampled)", "\(report.missingCount)", "\(report.tubes.total)",
                    report.allSampledAt.map(SimulationCSV.seconds) ?? "", report.wait.map { SimulationCSV.seconds($0.p95) } ?? "",
                    "\(report.peakWaiting)", "\(report.pickups.count)", report.sampleAge.spread.map { SimulationCSV.seconds($0.max) } ?? "",
                    "\(report.sampleAge.overLimit)", "\(report.results.retests)", "\(report.results.isolated)",
                ].joined(separator: ",") + "\n"
        }
        return out
    }

    var labsCSV: String {
        var out = "lab,sites,deliveries,boxes,tubes,busiest_hour_tubes,busiest_hour_start,peak_backlog,peak_backlog_at,cleared_at\n"
        for lab in district.labs {
            out +=
                [
                    lab.lab, "\(lab.sites)", "\(lab.deliveries)", "\(lab.boxes)", "\(lab.tubes)", "\(lab.busiestHourTubes)",
                    SimulationCSV.seconds(lab.busiestHourStart), SimulationCSV.seconds(lab.peakBacklog),
                    SimulationCSV.seconds(lab.peakBacklogAt), SimulationCSV.seconds(lab.clearedAt),
                ].joined(separator: ",") + "\n"
        }
        return out
    }

    /// Tubes received per hour at each lab.
    static func deliveryChart(_ reports: [SimulationReport], count: Int) -> String {
        let byLab = Dictionary(grouping: reports, by: \.lab)
        let labs = byLab.keys.sorted()
        let hours = reports.flatMap(\.pickups).map { Int(($0.receivedAt / 3_600).rounded(.down)) }
        let first = hours.min() ?? 7, last = hours.max() ?? 19
        var top = 0
        let series = labs.map { lab -> LineChart.Series in
            var perHour = [Int](repeating: 0, count: last - first + 1)
            for pickup in byLab[lab]!.flatMap(\.pickups) {
                perHour[Int((pickup.receivedAt / 3_600).rounded(.down)) - first] += pickup.tubes
            }
            top = max(top, perHour.max() ?? 0)
            return .init(name: lab, points: perHour.indices.map { .init(x: Double((first + $0) * 3_600), y: Double(perHour[$0])) })
        }
        return LineChart(
            title: "District of \(count) communities: tubes received per hour at each lab",
            x: .clock("hour received", from: Double(first * 3_600), to: Double(last * 3_600)),
            y: .linear("tubes received in the hour", upTo: Double(top)), series: series
        ).svg
    }

    func html(chart: String) -> String {
        let e = SVGText.escape
        var out = """
            <p>Made-up communities (<code>swabline simulate --district</code>), seed \(seed). Per community: <a href="sites.csv">sites.csv</a>; per lab: <a href="labs.csv">labs.csv</a>.</p>
            <h2>Totals</h2>
            <table>

            """
        for (label, value) in totalRows { out += "<tr><th>\(e(label))</th><td>\(e(value))</td></tr>\n" }
        out += "</table>\n<h2>Labs</h2>\n<table>\n<tr>" + labHeader.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        for row in labRows { out += "<tr>" + row.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n" }
        out += "</table>\n<figure>\n\(chart)</figure>\n"
        return ReportPage.document(title: "Simulated district: \(district.sites) communities", body: out)
    }
}
