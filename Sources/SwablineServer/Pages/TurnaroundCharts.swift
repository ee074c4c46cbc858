import SwablineCharts
import SwablineCore
import SwablineStore

/// The dashboard's turnaround histograms (sampling → lab receipt per
/// sample, receipt → result per tube), drawn on the server with the shared
/// `BarChart`, and the figures beside them.
enum TurnaroundCharts {
    /// Half-hour bins: fine enough to see a courier run, coarse enough for a phone.
    static let binWidth = 1800.0
    static let lateColour = "#b00020"

    /// What the `turnaround` partial shows.
    struct Values: PageValues {
        var receiptChart: String
        var resultChart: String
        var received: Int
        var receiptMedian: String
        var late: Int
        var latePercent: String
        var hasLate: Bool
        var resultedTubes: Int
        var resultMedian: String
        var awaitingReceipt: Int
        var awaitingResult: Int
    }

    static func values(
        toReceipt: Turnaround, toResult: Turnaround, awaitingReceipt: Int, awaitingResult: Int, _ page: PageEnvironment
    ) -> Values {
        let limit = Turnaround.receiptLimit
        let late = toReceipt.durations.count(where: { $0 >= limit })
        return Values(
            receiptChart: histogram(
                toReceipt, title: page.language("to_receipt_title"), xTitle: page.language("time_since_swab"),
                yTitle: page.language("samples_axis"), minBins: 10, maxBins: 16, marker: (limit, page.language("limit_4h"))),
            resultChart: histogram(
                toResult, title: page.language("to_result_title"), xTitle: page.language("time_since_receipt"),
                yTitle: page.language("tubes_axis"), minBins: 8, maxBins: 24, marker: nil),
            received: toReceipt.count, receiptMedian: duration(toReceipt.median, page),
            late: late, latePercent: lateShare(toReceipt), hasLate: late > 0,
            resultedTubes: toResult.count, resultMedian: duration(toResult.median, page),
            awaitingReceipt: awaitingReceipt, awaitingResult: awaitingResult)
    }

    /// Half-hour bars; with a marker, bars at or past it are drawn in red and a dashed line stands at it.
    static func histogram(
        _ turnaround: Turnaround, title: String, xTitle: String, yTitle: String, minBins: Int, maxBins: Int,
        marker: (at: Double, label: String)?
    ) -> String {
        let bins = turnaround.histogram(width: binWidth, minBins: minBins, maxBins: maxBins)
        let bars = bins.map { bin in
            BarChart.Bar(
                label: (bin.upper == nil ? "≥" : "") + clock(bin.lower), value: Double(bin.count),
                colour: marker.map { bin.lower >= $0.at } == true ? lateColour : nil)
        }
        let chart = BarChart(
            title: title, xTitle: xTitle, y: .linear(yTitle, upTo: Double(bins.map(\.count).max() ?? 0), counting: true), bars: bars,
            marker: marker.map { .init(position: $0.at / binWidth, label: $0.label) }, labelsAtEdges: true, height: 300)
        return chart.svg
    }

    /// "2:30": hours and minutes, for a bin's lower edge.
    static func clock(_ seconds: Double) -> String {
        let minutes = Int(seconds / 60)
        return "\(minutes / 60):" + (minutes % 60 < 10 ? "0" : "") + "\(minutes % 60)"
    }

    /// "2 小时 15 分钟" / "2 h 15 min", or "–" when there is nothing to measure.
    static func duration(_ seconds: Double?, _ page: PageEnvironment) -> String {
        guard let seconds else { return "–" }
        let minutes = Int((seconds / 60).rounded())
        return "\(minutes / 60) \(page.language("hours")) \(minutes % 60) \(page.language("minutes"))"
    }

    /// The share of samples at or past 4 hours at receipt, "–" before any receipt.
    static func lateShare(_ toReceipt: Turnaround) -> String {
        toReceipt.count == 0 ? "–" : percent(toReceipt.share(atLeast: Turnaround.receiptLimit))
    }

    static func percent(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10)" + (tenths % 10 == 0 ? "" : ".\(tenths % 10)") + "%"
    }
}
