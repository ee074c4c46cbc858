/// The pieces every chart shares: the frame, axes and legend (text escaping
/// and coordinates are `SVGText`). Plain strings, so a chart is a pure
/// function of its data. `package`: the pages draw with it on the server,
/// and `swabline simulate` writes its report with it.
package enum SVG {
    /// Ten colours that stay apart from each other (Tableau 10).
    package static let palette = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    /// The plotting area inside a chart of `width` × `height`, after the
    /// title, the legend rows and the axis labels.
    package struct Frame: Sendable {
        package var width: Double
        package var height: Double
        package var left: Double
        package var right: Double
        package var top: Double
        package var bottom: Double

        package init(width: Double, height: Double, left: Double = 64, right: Double = 20, top: Double, bottom: Double = 52) {
            self.width = width
            self.height = height
            self.left = left
            self.right = right
            self.top = top
            self.bottom = bottom
        }

        package var plotWidth: Double { width - left - right }
        package var plotHeight: Double { height - top - bottom }

        package func x(_ value: Double, _ axis: ChartAxis) -> Double {
            let span = axis.range.upperBound - axis.range.lowerBound
            let share = span > 0 ? (value - axis.range.lowerBound) / span : 0
            return left + min(1, max(0, share)) * plotWidth
        }

        package func y(_ value: Double, _ axis: ChartAxis) -> Double {
            let span = axis.range.upperBound - axis.range.lowerBound
            let share = span > 0 ? (value - axis.range.lowerBound) / span : 0
            return top + plotHeight - min(1, max(0, share)) * plotHeight
        }
    }

    /// Legend rows needed for `names` across `width` (none for one series).
    package static func legendRows(_ names: [String], width: Double) -> Int {
        names.count <= 1 ? 0 : (names.count + legendPerRow(names, width) - 1) / legendPerRow(names, width)
    }

    /// Room for the longest name at about 7 px a character.
    package static func legendItemWidth(_ names: [String]) -> Double { max(64, Double(names.map(\.count).max() ?? 0) * 7 + 30) }

    package static func legendPerRow(_ names: [String], _ width: Double) -> Int { max(1, Int((width - 84) / legendItemWidth(names))) }

    package static func open(width: Double, height: Double, title: String, description: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(SVGText.number(width)) \(SVGText.number(height))" width="\(SVGText.number(width))" height="\(SVGText.number(height))" font-family="sans-serif" font-size="12" role="img">
        <title>\(SVGText.escape(title))</title>
        <desc>\(SVGText.escape(description))</desc>
        <rect x="0" y="0" width="\(SVGText.number(width))" height="\(SVGText.number(height))" fill="#ffffff"/>
        <text x="\(SVGText.number(width / 2))" y="22" text-anchor="middle" font-size="15" font-weight="bold">\(SVGText.escape(title))</text>

        """
    }

    package static func legend(_ names: [String], frame: Frame) -> String {
        guard names.count > 1 else { return "" }
        let perRow = legendPerRow(names, frame.width), item = legendItemWidth(names)
        var out = ""
        for (i, name) in names.enumerated() {
            let x = frame.left + Double(i % perRow) * item, y = 40 + Double(i / perRow) * 18
            let colour = palette[i % palette.count]
            out += "<rect x=\"\(SVGText.number(x))\" y=\"\(SVGText.number(y - 9))\" width=\"14\" height=\"10\" fill=\"\(colour)\"/>"
            out += "<text x=\"\(SVGText.number(x + 18))\" y=\"\(SVGText.number(y))\">\(SVGText.escape(name))</text>\n"
        }
        return out
    }

    /// Grid lines, tick labels and axis titles; `xTicks` false leaves the
    /// x labels to the caller (bar charts label their bars).
    package static func axes(x: ChartAxis, y: ChartAxis, frame: Frame, xTicks: Bool = true) -> String {
        var out = "<g stroke=\"#dddddd\" stroke-width=\"1\">\n"
        for tick in y.ticks {
            let py = SVGText.number(frame.y(tick.value, y))
            out += "<line x1=\"\(SVGText.number(frame.left))\" y1=\"\(py)\" x2=\"\(SVGText.number(frame.left + frame.plotWidth))\" y2=\"\(py)\"/>\n"
        }
        out += "</g>\n<g fill=\"#333333\">\n"
        for tick in y.ticks {
            out +=
                "<text x=\"\(SVGText.number(frame.left - 6))\" y=\"\(SVGText.number(frame.y(tick.value, y) + 4))\" text-anchor=\"end\">\(SVGText.escape(tick.label))</text>\n"
        }
        if xTicks {
            for tick in x.ticks {
                let px = SVGText.number(frame.x(tick.value, x)), base = frame.top + frame.plotHeight
                out += "<line x1=\"\(px)\" y1=\"\(SVGText.number(base))\" x2=\"\(px)\" y2=\"\(SVGText.number(base + 5))\" stroke=\"#333333\"/>"
                out += "<text x=\"\(px)\" y=\"\(SVGText.number(base + 18))\" text-anchor=\"middle\">\(SVGText.escape(tick.label))</text>\n"
            }
        }
        let base = frame.top + frame.plotHeight
        out +=
            "<line x1=\"\(SVGText.number(frame.left))\" y1=\"\(SVGText.number(base))\" x2=\"\(SVGText.number(frame.left + frame.plotWidth))\" y2=\"\(SVGText.number(base))\" stroke=\"#333333\"/>\n"
        out +=
            "<line x1=\"\(SVGText.number(frame.left))\" y1=\"\(SVGText.number(frame.top))\" x2=\"\(SVGText.number(frame.left))\" y2=\"\(SVGText.number(base))\" stroke=\"#333333\"/>\n"
        out +=
            "<text x=\"\(SVGText.number(frame.left + frame.plotWidth / 2))\" y=\"\(SVGText.number(frame.height - 10))\" text-anchor=\"middle\">\(SVGText.escape(x.title))</text>\n"
        let midY = SVGText.number(frame.top + frame.plotHeight / 2)
        out += "<text x=\"16\" y=\"\(midY)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(midY))\">\(SVGText.escape(y.title))</text>\n"
        return out + "</g>\n"
    }
}
