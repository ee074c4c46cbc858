import Foundation
import SwablineCharts
import SwablineCore
import SwablineSimulation

/// The raw series of a simulated day as CSV, one row per step (or per
/// courier run). Numbers are written the same way on every run, so two
/// runs with one seed give identical files.
enum SimulationCSV {
    /// `time,clock,waiting`, then per station `<id>_sampled,<id>_wait_p50,<id>_wait_p95`
    /// (seconds; empty when the station swabbed nobody in the step).
    static func series(_ report: SimulationReport, site: SimulatedSite) -> String {
        let names = (0..<report.stations).map { SimulationSummary.stationName($0, site: site) }
        var out =
            (["time", "clock", "waiting"] + names.flatMap { ["\($0)_sampled", "\($0)_wait_p50", "\($0)_wait_p95"] })
            .joined(separator: ",") + "\n"
        for sample in report.series {
            var fields = [seconds(sample.time), ChartAxis.clockLabel(sample.time), String(sample.waiting)]
            for station in sample.stations {
                fields += [String(station.sampled), station.waitP50.map(seconds) ?? "", station.waitP95.map(seconds) ?? ""]
            }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// `time,clock,boxes,tubes,received_at,received_clock`: one row per courier run.
    static func pickups(_ report: SimulationReport) -> String {
        var out = "time,clock,boxes,tubes,received_at,received_clock\n"
        for pickup in report.pickups {
            out +=
                [
                    seconds(pickup.time), ChartAxis.clockLabel(pickup.time), String(pickup.boxes), String(pickup.tubes),
                    seconds(pickup.receivedAt), ChartAxis.clockLabel(pickup.receivedAt),
                ].joined(separator: ",") + "\n"
        }
        return out
    }

    /// Seconds with one decimal.
    static func seconds(_ value: Double) -> String { String(format: "%.1f", value) }
}
