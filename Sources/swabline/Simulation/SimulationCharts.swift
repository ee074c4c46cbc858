import SwablineCharts
import SwablineCore
import SwablineSimulation

/// The charts of a simulated day, each a standalone SVG: the queue, the
/// waits per station, and what each courier run took to the lab.
struct SimulationCharts: Sendable {
    /// File name (without `.svg`) and chart, in the order the report shows them.
    var charts: [(name: String, svg: String)]

    init(_ report: SimulationReport, site: SimulatedSite) {
        let label = "\(site.definition.name) (\(report.site)), \(report.stations) station\(report.stations == 1 ? "" : "s")"
        let series = report.series
        let start = series.first?.time ?? site.opens
        let end = (series.last?.time ?? site.closes) + report.seriesStep
        let time = ChartAxis.clock("time of day", from: start, to: end)
        let names = (0..<report.stations).map { SimulationSummary.stationName($0, site: site) }

        let queue = LineChart(
            title: "\(label): people waiting, every \(DayTime.duration(report.seriesStep))",
            x: time, y: .linear("people waiting", upTo: Double(series.map(\.waiting).max() ?? 0), counting: true),
            series: [.init(name: "waiting", points: series.map { .init(x: $0.time, y: Double($0.waiting)) })])

        func waits(_ title: String, _ value: (QueueSample.Station) -> Double?) -> LineChart {
            let top = series.flatMap { $0.stations.compactMap(value) }.max() ?? 0
            return LineChart(
                title: "\(label): \(title)", x: time, y: .linear("minutes", upTo: top / 60),
                series: names.indices.map { i in
                    .init(name: names[i], points: series.map { .init(x: $0.time, y: value($0.stations[i]).map { $0 / 60 }) })
                })
        }
        // The site at a glance: the middle station's median, the worst station's p95.
        let overall = [
            ("median wait (middle station)", { (s: QueueSample) in Self.middle(s.stations.compactMap(\.waitP50)) }),
            ("95th percentile wait (worst station)", { (s: QueueSample) in s.stations.compactMap(\.waitP95).max() }),
        ]
        let wait = LineChart(
            title: "\(label): wait, check-in to swab", x: time,
            y: .linear("minutes", upTo: (series.flatMap { $0.stations.compactMap(\.waitP95) }.max() ?? 0) / 60),
            series: overall.map { name, value in
                .init(name: name, points: series.map { .init(x: $0.time, y: value($0).map { $0 / 60 }) })
            })
        let p50 = waits("median wait per station (check-in to swab)", \.waitP50)
        let p95 = waits("95th percentile wait per station", \.waitP95)

        let pickups = BarChart(
            title: "\(label): tubes per courier run",
            xTitle: "pickup time (oldest sample at receipt: \(report.sampleAge.spread.map { DayTime.duration($0.max) } ?? "—"))",
            y: .linear("tubes", upTo: Double(report.pickups.map(\.tubes).max() ?? 0), counting: true),
            bars: report.pickups.map { .init(label: ChartAxis.clockLabel($0.time), value: Double($0.tubes)) })

        charts = [("queue", queue.svg), ("wait", wait.svg), ("wait-p50", p50.svg), ("wait-p95", p95.svg), ("pickups", pickups.svg)]
    }

    static func middle(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.sorted()[(values.count - 1) / 2]
    }
}
