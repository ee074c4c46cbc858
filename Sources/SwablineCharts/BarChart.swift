/// A bar chart drawn as an SVG document: one bar per labelled value, its
/// value written above it. Used by `swabline simulate` (tubes per courier
/// run) and by the dashboard's turnaround histograms, inline in the page.
package struct BarChart: Sendable, Hashable {
    package struct Bar: Sendable, Hashable {
        package var label: String
        package var value: Double
        /// A colour of its own (a bar past a limit); nil draws the first palette colour.
        package var colour: String?

        package init(label: String, value: Double, colour: String? = nil) {
            self.label = label
            self.value = value
            self.colour = colour
        }
    }

    /// A dashed vertical line between bars: `position` counts bar slots from
    /// the left (4 is the boundary between the fourth and fifth bar).
    package struct Marker: Sendable, Hashable {
        package var position: Double
        package var label: String

        package init(position: Double, label: String) {
            self.position = position
            self.label = label
        }
    }

    package var title: String
    package var xTitle: String
    package var y: ChartAxis
    package var bars: [Bar]
    package var marker: Marker?
    /// A histogram's convention: each label stands at its bar's left edge
    /// (the bin's lower bound), not under its middle.
    package var labelsAtEdges: Bool
    package var width: Double
    package var height: Double

    package init(
        title: String, xTitle: String, y: ChartAxis, bars: [Bar], marker: Marker? = nil, labelsAtEdges: Bool = false,
        width: Double = 760, height: Double = 340
    ) {
        self.title = title
        self.xTitle = xTitle
        self.y = y
        self.bars = bars
        self.marker = marker
        self.labelsAtEdges = labelsAtEdges
        self.width = width
        self.height = height
    }

    package var svg: String {
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
                "<rect x=\"\(SVGText.number(left))\" y=\"\(SVGText.number(top))\" width=\"\(SVGText.number(barWidth))\" height=\"\(SVGText.number(base - top))\" fill=\"\(bar.colour ?? SVG.palette[0])\"><title>\(SVGText.escape(bar.label)): \(SVGText.escape(ChartAxis.plain(bar.value)))</title></rect>\n"
            let centre = SVGText.number(left + barWidth / 2)
            if i % every == 0 {
                out +=
                    "<text x=\"\(labelsAtEdges ? SVGText.number(frame.left + Double(i) * slot) : centre)\" y=\"\(SVGText.number(base + 18))\" text-anchor=\"middle\" fill=\"#333333\">\(SVGText.escape(bar.label))</text>\n"
                out +=
                    "<text x=\"\(centre)\" y=\"\(SVGText.number(max(frame.top + 10, top - 4)))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333333\">\(SVGText.escape(ChartAxis.plain(bar.value)))</text>\n"
            }
        }
        if let marker {
            let px = SVGText.number(frame.left + min(max(0, marker.position), Double(bars.count)) * slot)
            out +=
                "<line x1=\"\(px)\" y1=\"\(SVGText.number(frame.top))\" x2=\"\(px)\" y2=\"\(SVGText.number(base))\" stroke=\"#b00020\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
            out +=
                "<text x=\"\(px)\" y=\"\(SVGText.number(frame.top - 4))\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#b00020\">\(SVGText.escape(marker.label))</text>\n"
        }
        return out + "</svg>\n"
    }
}
