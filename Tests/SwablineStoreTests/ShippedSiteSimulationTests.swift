import SwablineCore
import SwablineSimulation
import Testing
@testable import SwablineStore

@Suite("Simulating the shipped sites' day")
struct ShippedSiteSimulationTests {
    @Test("华夏里社区 with its ten stations: everyone who comes is sampled by closing, every sample reaches the lab within 4 h")
    func huaxiali() throws {
        let report = SiteDirectory.load(Fixture.sitesPath)
        let loaded = try #require(report.sites.first { $0.definition.id == "huaxiali" })
        let site = SimulatedSite(definition: loaded.definition, roster: loaded.roster)
        #expect(site.residents.count == loaded.roster.count)
        #expect(site.householdCount == Set(loaded.roster.map(\.household)).count)

        let day = try DaySimulation.run(site, seed: 2022)
        #expect(day.stations == 10 && day.poolMode == .pooled10)
        #expect(day.sampled == day.arrived)
        #expect(day.arrived + day.missingCount == day.expected + day.walkIns)
        #expect(try #require(day.allSampledAt) <= site.closes)
        #expect(day.sampleAge.overLimit == 0)
        #expect(day.results.confirmedPositive == day.results.infectedSampled)
    }
}
