import SwablineSimulation
import Testing

@testable import swabline

/// The raw series `swabline simulate` writes beside its charts.
@Suite("Simulation CSV")
struct SimulationCSVTests {
    @Test("series.csv has a header and one row per step, every row as wide as the header")
    func seriesCSV() throws {
        let site = SimulatedSite.synthetic(id: "c1", households: 300, seed: 7)
        let report = try DaySimulation.run(site, seed: 7)
        let lines = SimulationCSV.series(report, site: site).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == report.series.count + 1)
        let header = lines.first!.split(separator: ",", omittingEmptySubsequences: false)
        #expect(header.count == 3 + 3 * report.stations)
        #expect(header.prefix(4) == ["time", "clock", "waiting", "s1_sampled"])
        for line in lines { #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == header.count) }
        let sampled = lines.dropFirst().map { row -> Int in
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            return (0..<report.stations).reduce(0) { $0 + Int(fields[3 + 3 * $1])! }
        }
        #expect(sampled.reduce(0, +) == report.sampled)
        let pickups = SimulationCSV.pickups(report).split(separator: "\n")
        #expect(pickups.count == report.pickups.count + 1)
    }
}
