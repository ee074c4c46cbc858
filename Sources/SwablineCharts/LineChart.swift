/// A line chart drawn as a standalone SVG document: one line per series,
/// a legend when there are several, grid, ticks and axis titles. A missing
/// value (nil) breaks its line instead of drawing it down to zero.
package struct LineChart: Sendable, Hashable {
    package struct Series: Sendable, Hashable {
        package var name: String
        package var points: [Point]

        package init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    package struct Point: Sendable, Hashable {
        package var x: Double
        package var y: Double?

        package init(x: Double, y: Double?) {
            self.x = x
            self.y = y
        }
    }

    package var title: String
    package var x: ChartAxis
    package var y: ChartAxis
    package var series: [Series]
    package var width: Double
    package var height: Double

    package init(title: String, x: ChartAxis, y: ChartAxis, series: [Series], width: Double = 760, height: Double = 340) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.width = width
        self.height = height
    }

    /// The chart as an SVG document (no XML declaration, so it can also be
    /// put inline in HTML).
    package var svg: String {
        let rows = SVG.legendRows(series.map(\.name), width: width)
        let frame = SVG.Frame(width: width, height: height + Double(rows) * 18, top: 40 + Double(rows) * 18)
        let description = series.map { "\($0.name): \($0.points.count) points" }.joined(separator: "; ")
        var out = SVG.open(width: frame.width, height: frame.height, title: title, description: description)
        out += SVG.legend(series.map(\.name), frame: frame)
        out += SVG.axes(x: x, y: y, frame: frame)
        for (i, line) in series.enumerated() {
            let colour = SVG.palette[i % SVG.palette.count]
            for run in runs(line.points) {
                let coordinates = run.map { SVGText.number(frame.x($0.x, x)) + "," + SVGText.number(frame.y($0.y, y)) }
                if run.count == 1 {
                    out +=
                        "<circle cx=\"\(SVGText.number(frame.x(run[0].x, x)))\" cy=\"\(SVGText.number(frame.y(run[0].y, y)))\" r=\"2\" fill=\"\(colour)\"/>\n"
                } else {
                    out +=
                        "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" stroke-linejoin=\"round\" points=\"\(coordinates.joined(separator: " "))\"/>\n"
                }
            }
        }
        return out + "</svg>\n"
    }

    /// The unbroken stretches of a series.
    private func runs(_ points: [Point]) -> [[(x: Double, y: Double)]] {
        var runs: [[(x: Double, y: Double)]] = [], current: [(x: Double, y: Double)] = []
        for point in points {
            if let value = point.y, value.isFinite {
                current.append((point.x, value))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}
