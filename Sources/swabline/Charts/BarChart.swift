import SwablineServer
/// A bar chart drawn as a standalone SVG document: one bar per labelled
/// value, its value written above it.
struct BarChart: Sendable, Hashable {
    struct Bar: Sendable, Hashable {
        var label: String
        var value: Double
    }

    var title: String
    var xTitle: String
    var y: ChartAxis
    var bars: [Bar]
    var width: Double = 760
    var height: Double = 340

    var svg: String {
        let frame = SVG.Frame(width: width, height: height, top: 40)
        let description = bars.map { "\($0.label): \(ChartAxis.plain($0.value))" }.joined(separator: "; ")
        var out = SVG.open(width: width, height: height, title: title, description: description)
        let x = ChartAxis(title: xTitle, range: 0...Double(max(1, bars.count)), ticks: [])
        out += SVG.axes(x: x, y: y, frame: frame, xTicks: false)
        let slot = frame.plotWidth / Double(max(1, bars.count))
        let barWidth = max(1, slot * 0.7)
        // Label every bar while they fit, else every n-th.
        let every = max(1, Int((48 / slot).rounded(.up)))
        let base = frame.top + frame.plotHeight
        for (i, bar) in bars.enumerated() {
            let left = frame.left + Double(i) * slot + (slot - barWidth) / 2, top = frame.y(bar.value, y)
            out +=
                "<rect x=\"\(SVGText.number(left))\" y=\"\(SVGText.number(top))\" width=\"\(SVGText.number(barWidth))\" height=\"\(SVGText.number(base - top))\" fill=\"\(SVG.palette[0])\"><title>\(SVGText.escape(bar.label)): \(SVGText.escape(ChartAxis.plain(bar.value)))</title></rect>\n"
            let centre = SVGText.number(left + barWidth / 2)
            if i % every == 0 {
                out +=
                    "<text x=\"\(centre)\" y=\"\(SVGText.number(base + 18))\" text-anchor=\"middle\" fill=\"#333333\">\(SVGText.escape(bar.label))</text>\n"
                out +=
                    "<text x=\"\(centre)\" y=\"\(SVGText.number(max(frame.top + 10, top - 4)))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333333\">\(SVGText.escape(ChartAxis.plain(bar.value)))</text>\n"
            }
        }
        return out + "</svg>\n"
    }
}
