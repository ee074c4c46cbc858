import SwablineCharts
import SwablineCore

/// A small horizontal bar chart of coverage, drawn on the server as inline
/// SVG: one group per row (a site or a building), three bars each —
/// checked in, sampled, resulted — against the people expected.
enum CoverageChart {
    static let colors = ["#1f3a93", "#000000", "#0b6e2e"]

    static func svg(_ rows: [(label: String, counts: CoverageCounts)], legend: [String]) -> String {
        let labelWidth = 90.0, barWidth = 460.0, bar = 9.0, rowHeight = 3 * bar + 12, top = 26.0
        let height = top + Double(rows.count) * rowHeight + 4
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(labelWidth + barWidth + 60)) \(Int(height))" role="img" \
            class="chart" font-family="sans-serif" font-size="12">
            """
        for (index, name) in legend.enumerated() {
            let x = labelWidth + Double(index) * 150
            svg += "<rect x=\"\(x)\" y=\"4\" width=\"14\" height=\"12\" fill=\"\(colors[index])\"/>"
            svg += "<text x=\"\(x + 18)\" y=\"15\">\(SVGText.escape(name))</text>"
        }
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            let expected = max(row.counts.expected, 1)
            svg += "<text x=\"0\" y=\"\(y + 1.8 * bar)\">\(SVGText.escape(String(row.label.prefix(12))))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(3 * bar)\" fill=\"#fff\" stroke=\"#000\"/>"
            for (bar_, value) in [row.counts.checkedIn, row.counts.sampled, row.counts.resulted].enumerated() {
                let width = barWidth * Double(value) / Double(expected)
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y + Double(bar_) * bar)\" width=\"\(SVGText.number(width))\" height=\"\(bar - 1)\" fill=\"\(colors[bar_])\"/>"
            }
            svg += "<text x=\"\(labelWidth + barWidth + 6)\" y=\"\(y + 1.8 * bar)\">\(row.counts.sampled)/\(row.counts.expected)</text>"
        }
        return svg + "</svg>"
    }
}
