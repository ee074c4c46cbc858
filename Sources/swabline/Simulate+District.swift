import ArgumentParser
import Foundation
import SwablineCore
import SwablineSimulation

extension Simulate {
    /// `--district N`: N made-up communities on one day, simulated in
    /// parallel (each with its own seed from `District.seeds`, so the
    /// figures do not depend on the order they finish in), then what they
    /// add up to at the labs.
    func runDistrict(count: Int) async throws {
        let started = ContinuousClock.now
        let sites = District.communities(count: count, labs: labs, seed: seed)
        let seeds = District.seeds(count: count, seed: seed)
        let parameters = parameters
        let reports = try await Self.simulateAll(sites, seeds: seeds, parameters: parameters)
        let district = DistrictReport(reports, labCapacityPerHour: labCapacity)
        let text = DistrictText(district, reports: reports, sites: sites, seed: seed)
        print(text.summary)
        let charts = DistrictText.deliveryChart(reports, count: count)
        let folder = out ?? "simulation/district"
        let written = try ReportFolder.write(
            folder,
            [
                ("sites.csv", text.sitesCSV), ("labs.csv", text.labsCSV), ("lab-deliveries.svg", charts),
                ("report.html", text.html(chart: charts)),
            ])
        print("Report: \(written) (\(ReportFolder.elapsed(since: started)))")
    }

    static func simulateAll(
        _ sites: [SimulatedSite], seeds: [UInt64], parameters: SimulationParameters
    ) async throws -> [SimulationReport] {
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return try await withThrowingTaskGroup(of: (Int, SimulationReport).self) { group in
            var reports = [SimulationReport?](repeating: nil, count: sites.count)
            var next = 0
            func add() {
                let index = next, site = sites[index], seed = seeds[index]
                group.addTask {
                    do throws(RuleViolation) {
                        return (index, try DaySimulation.run(site, parameters: parameters, seed: seed))
                    } catch {
                        throw ValidationError("\(site.definition.id): \(error.message)")
                    }
                }
                next += 1
            }
            while next < min(width, sites.count) { add() }
            while let (index, report) = try await group.next() {
                reports[index] = report
                if next < sites.count { add() }
            }
            return reports.map { $0! }
        }
    }
}
