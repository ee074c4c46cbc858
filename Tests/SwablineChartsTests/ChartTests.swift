import Foundation
import SwablineCharts
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An attribute's value by its plain name (FoundationXML on Linux does not
/// find un-prefixed attributes by name in a document with a default namespace).
private func attribute(_ element: XMLElement, _ name: String) -> String? {
    element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
}

/// The chart kit's SVG, as `swabline simulate` and the dashboard draw it:
/// well-formed, inside its viewBox, labelled.
@Suite("SVG charts")
struct ChartTests {
    static let chart = LineChart(
        title: "Queue & <waits>",
        x: .clock("time of day", from: 25_200, to: 68_400),
        y: .linear("people waiting", upTo: 37, counting: true),
        series: [
            .init(
                name: "s1",
                points: [
                    .init(x: 25_200, y: 0), .init(x: 30_000, y: 37), .init(x: 40_000, y: nil), .init(x: 50_000, y: 5),
                    .init(x: 60_000, y: 9),
                ]),
            .init(name: "s2", points: [.init(x: 25_200, y: 3), .init(x: 68_400, y: 12)]),
        ])

    @Test("a line chart is well-formed XML with its title, axis titles, tick labels and legend")
    func lineChartLabels() throws {
        let document = try XMLDocument(xmlString: Self.chart.svg, options: [])
        let root = try #require(document.rootElement())
        #expect(root.name == "svg")
        #expect(attribute(root, "viewBox") == "0 0 760 358")
        let texts = try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        #expect(texts.contains("Queue & <waits>"))
        for label in ["time of day", "people waiting", "07:00", "12:00", "19:00", "0", "40", "s1", "s2"] {
            #expect(texts.contains(label), "missing label \(label)")
        }
    }

    @Test("every drawn point is inside the viewBox, and a missing value breaks the line")
    func pointsInside() throws {
        let document = try XMLDocument(xmlString: Self.chart.svg, options: [])
        let polylines = try document.nodes(forXPath: "//*[local-name()='polyline']").compactMap { $0 as? XMLElement }
        // s1 is broken in two by its nil; s2 is one line.
        #expect(polylines.count == 3)
        let points = polylines.flatMap { (attribute($0, "points") ?? "").split(separator: " ") }
        #expect(points.count == 6)
        for point in points {
            let xy = point.split(separator: ",").compactMap { Double($0) }
            #expect(xy.count == 2)
            #expect((0...760).contains(xy[0]) && (0...358).contains(xy[1]), "\(point) is outside the viewBox")
        }
        for element in try document.nodes(forXPath: "//*[@x or @y or @cx or @cy]").compactMap({ $0 as? XMLElement }) {
            for name in ["x", "cx"] { if let x = attribute(element, name) { #expect((0...760).contains(Double(x)!)) } }
            for name in ["y", "cy"] { if let y = attribute(element, name) { #expect((0...358).contains(Double(y)!)) } }
        }
    }

    @Test("a bar chart draws one bar per value, its height in proportion, labelled")
    func barChart() throws {
        let chart = BarChart(
            title: "tubes per courier run", xTitle: "pickup time", y: .linear("tubes", upTo: 168, counting: true),
            bars: [.init(label: "09:00", value: 82), .init(label: "11:00", value: 168), .init(label: "13:00", value: 0)])
        let document = try XMLDocument(xmlString: chart.svg, options: [])
        let bars = try document.nodes(forXPath: "//*[local-name()='rect'][*[local-name()='title']]").compactMap { $0 as? XMLElement }
        #expect(bars.count == 3)
        let heights = bars.map { Double(attribute($0, "height")!)! }
        #expect(heights[2] == 0 && heights[0] > 0 && heights[1] > heights[0])
        let texts = try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        for label in ["tubes per courier run", "pickup time", "tubes", "09:00", "11:00", "82", "168", "200"] {
            #expect(texts.contains(label), "missing label \(label)")
        }
    }

    @Test("axes end on a round number at or above the data, with clean tick labels")
    func axes() {
        #expect(ChartAxis.linear("x", upTo: 1).ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(ChartAxis.linear("x", upTo: 488, counting: true).ticks.map(\.label) == ["0", "100", "200", "300", "400", "500"])
        #expect(ChartAxis.linear("x", upTo: 3, counting: true).ticks.map(\.label) == ["0", "1", "2", "3"])
        #expect(ChartAxis.linear("x", upTo: 0).range == 0...1)
        #expect(ChartAxis.clock("t", from: 25_200, to: 70_000).ticks.first?.label == "07:00")
        #expect(ChartAxis.clock("t", from: 25_200, to: 95_000).ticks.last?.label == "03:00+1")
    }
}
