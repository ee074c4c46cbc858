import SwablineCore
import Testing

@testable import SwablineSimulation

@Suite("A whole district on one day")
struct DistrictTests {
    @Test("the same seed makes the same communities")
    func communities() {
        let a = District.communities(count: 12, households: 150...400, labs: 3, seed: 1)
        #expect(a == District.communities(count: 12, households: 150...400, labs: 3, seed: 1))
        #expect(a != District.communities(count: 12, households: 150...400, labs: 3, seed: 2))
        #expect(a.count == 12 && Set(a.map(\.definition.lab)) == ["lab-1", "lab-2", "lab-3"])
        for site in a {
            #expect((150...400).contains(site.householdCount))
            #expect(site.definition.zone.allows(site.definition.poolMode))
        }
    }

    @Test("a lab's backlog drains at its rate between deliveries")
    func backlog() {
        // One tube a second: 100 at 0 s, 100 more at 50 s (150 waiting), 10 at 1,000 s.
        let queue = DistrictReport.backlog([(0, 100), (50, 100), (1_000, 10)], capacityPerHour: 3_600)
        #expect(queue.peak == 150 && queue.peakAt == 50)
        #expect(queue.clearedAt == 1_010)
    }

    @Test("the district adds its sites up, and every tube reaches its site's lab")
    func district() throws {
        let sites = District.communities(count: 6, households: 150...300, labs: 2, seed: 4)
        let reports = try District.simulate(sites, seed: 9)
        #expect(try District.simulate(sites, seed: 9) == reports)
        let district = DistrictReport(reports, labCapacityPerHour: 500)
        #expect(district.sites == 6)
        #expect(district.sampled == reports.reduce(0) { $0 + $1.sampled })
        #expect(district.tubes == reports.reduce(0) { $0 + $1.tubes.total })
        #expect(district.labs.reduce(0) { $0 + $1.tubes } == district.tubes)
        for lab in district.labs {
            let mine = reports.filter { $0.lab == lab.lab }
            #expect(lab.sites == mine.count)
            #expect(lab.deliveries == mine.reduce(0) { $0 + $1.pickups.count })
            #expect(lab.peakBacklog >= Double(mine.flatMap(\.pickups).map(\.tubes).max()!))
            #expect(lab.busiestHourTubes <= lab.tubes && lab.clearedAt >= lab.peakBacklogAt)
        }
    }
}
