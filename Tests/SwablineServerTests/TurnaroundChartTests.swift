import Foundation
import SwablineCore
import Testing

@testable import SwablineServer

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The dashboard's turnaround histogram: the shared `BarChart`, inline SVG.
@Suite("Turnaround charts on the dashboard")
struct TurnaroundChartTests {
    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
    }

    @Test("half-hour bars labelled h:mm, counts as heights, bars at or past 4 h in red, a dashed line at 4 h")
    func receiptHistogram() throws {
        let hours: [Double] = [0.2, 0.4, 1.1, 3.9, 4.0, 4.6, 9]
        let svg = TurnaroundCharts.histogram(
            Turnaround(hours.map { $0 * 3600 }), title: "Sampling → lab receipt", xTitle: "time since the swab", yTitle: "samples",
            minBins: 10, maxBins: 16, marker: (Turnaround.receiptLimit, "4 h"))
        let document = try XMLDocument(xmlString: svg, options: [])
        let bars = try document.nodes(forXPath: "//*[local-name()='rect'][*[local-name()='title']]").compactMap { $0 as? XMLElement }
        #expect(bars.count == 16)
        let titles = bars.compactMap(\.stringValue)
        #expect(titles.first == "0:00: 2" && titles[2] == "1:00: 1" && titles[7] == "3:30: 1" && titles[8] == "4:00: 1")
        #expect(titles.last == "≥7:30: 1", "9 h goes into the open last bin")
        let red = bars.enumerated().filter { Self.attribute($0.element, "fill") == TurnaroundCharts.lateColour }.map(\.offset)
        #expect(red == Array(8..<16))
        let heights = bars.map { Double(Self.attribute($0, "height")!)! }
        #expect(heights[0] > heights[2] && heights[2] > 0 && heights[1] == 0)
        let line = try #require(try document.nodes(forXPath: "//*[local-name()='line'][@stroke-dasharray]").first as? XMLElement)
        // The line stands between the 8th and 9th bar: at the 4:00 bar's slot edge.
        let x = Double(Self.attribute(line, "x1")!)!, firstRed = Double(Self.attribute(bars[8], "x")!)!, lastGreen = Double(Self.attribute(bars[7], "x")!)!
        #expect(x > lastGreen && x < firstRed)
        // Labels stand at bin edges, so "4:00" stands on the line.
        let label = try #require(try document.nodes(forXPath: "//*[local-name()='text']").compactMap { $0 as? XMLElement }.first { $0.stringValue == "4:00" })
        #expect(Self.attribute(label, "x") == Self.attribute(line, "x1"))
        let texts = try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        for label in ["Sampling → lab receipt", "time since the swab", "samples", "4 h", "0:00"] { #expect(texts.contains(label), "\(label)") }
    }

    @Test("an empty day draws empty bars on the same scale, and figures show a dash")
    func emptyDay() throws {
        let svg = TurnaroundCharts.histogram(Turnaround([]), title: "t", xTitle: "x", yTitle: "y", minBins: 8, maxBins: 24, marker: nil)
        let document = try XMLDocument(xmlString: svg, options: [])
        let bars = try document.nodes(forXPath: "//*[local-name()='rect'][*[local-name()='title']]").compactMap { $0 as? XMLElement }
        #expect(bars.count == 8 && bars.allSatisfy { Self.attribute($0, "height") == "0" })
        #expect(try document.nodes(forXPath: "//*[local-name()='line'][@stroke-dasharray]").isEmpty)
        #expect(TurnaroundCharts.percent(1.0 / 3) == "33.3%" && TurnaroundCharts.percent(0) == "0%")
    }
}
