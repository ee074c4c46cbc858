import ArgumentParser
import Foundation
import SwablineCore
import SwablineSimulation
import SwablineStore

/// `swabline simulate`: one site's day (or a whole district's), seeded, with
/// a summary in the terminal and a report folder (HTML with SVG charts,
/// CSV of the raw series). The simulation is the core's `DaySimulation`;
/// this command only loads, prints and writes.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a testing day at a site, or a whole district, and write a report.",
        discussion: """
            Examples:
              swabline simulate --site sites/华夏里社区
              swabline simulate --site huaxiali --stations 8 --advise
              swabline simulate --district 155
              swabline simulate --site fangfeiyuan --against http://127.0.0.1:8080
              swabline simulate --site huaxiali --rounds 5 [--against http://127.0.0.1:8080]
            The same site, options and seed give the same figures and byte-identical files.

            --against replays the same day through the HTTP API of a Swabline server on this
            machine (loopback only) and checks that the server's coverage, outcomes and retest
            list equal the simulation's exactly; it exits 0 when they do. The server must serve
            the same site, in a fresh round, from a database where no earlier replay registered
            walk-ins. It acts with four credentials, from the options or the environment:
              SWABLINE_STAFF_TOKEN        swabline tokens create --role staff --site <site>
              SWABLINE_COURIER_TOKEN      swabline tokens create --role courier
              SWABLINE_COORDINATOR_TOKEN  swabline tokens create --role coordinator
              SWABLINE_LAB_SECRET         swabline labs add <the site's lab>
            The environment keeps tokens out of the process list; the options win when both are given.
            A replay prints the summary and the comparison, and writes no report folder.

            --rounds N simulates N consecutive daily rounds (a campaign): infection spreading at home,
            standings carried from round to round (not cleared: single tube only), isolation, and a
            reason or an open task for everyone missing. With --against, round 1 is the server's fresh
            round and each later round is opened for the site (POST /v1/rounds); each is compared
            before the next opens.
            """)

    @Option(help: "The site: its folder (e.g. sites/华夏里社区) or its id (e.g. huaxiali) in --sites.")
    var site: String?

    @Option(help: "Simulate this many made-up communities instead of one site (Pingcheng district had 155).")
    var district: Int?

    @Option(name: .customLong("sites"), help: "The sites folder, for a site given by id.")
    var sitesPath: String = "sites"

    @Option(help: "The seed: the same seed gives the same day.")
    var seed: UInt64 = 2022

    @Option(help: "Sampling stations open all day (default: the site's own).")
    var stations: Int?

    @Option(help: "Tube mode for pooled people: pooled5, pooled10, pooled20 or single (default: the site's; the zone must allow it).")
    var poolMode: String?

    @Option(help: "Share of people infected, 0–1 (default 0.001, i.e. 0.1 %).")
    var prevalence: Double?

    @Option(help: "Minutes between courier pickups (default 120).")
    var courierMinutes: Double?

    @Option(help: "Median seconds for one swab at the desk (default 15).")
    var swabSeconds: Double?

    @Option(help: "Labs the district's communities send to (with --district).")
    var labs: Int = 4

    @Option(help: "Tubes one lab tests per hour, for the district's lab queues (with --district).")
    var labCapacity: Double = 2_000

    @Option(help: "Folder for the report (default: simulation/<site id>, or simulation/district).")
    var out: String?

    @Option(help: "Simulate this many consecutive daily rounds at the site (a campaign), 1–30.")
    var rounds: Int?

    @Flag(help: "Also advise the pool size, stations and courier interval, and print the reasoning.")
    var advise = false

    @OptionGroup(title: "Replay against a server")
    var replay: ReplayOptions

    func validate() throws {
        switch (site, district) {
        case (nil, nil): throw ValidationError("Say what to simulate: --site <folder or id>, or --district <communities>.")
        case (.some, .some): throw ValidationError("Give either --site or --district, not both.")
        default: break
        }
        if let district, !(1...10_000).contains(district) {
            throw ValidationError("--district must be between 1 and 10000 communities; got \(district).")
        }
        if let stations, !(1...500).contains(stations) {
            throw ValidationError("--stations must be between 1 and 500; got \(stations).")
        }
        if let poolMode, TubeMode(rawValue: poolMode) == nil {
            throw ValidationError(
                "--pool-mode must be one of \(TubeMode.allCases.map(\.rawValue).joined(separator: ", ")); got \"\(poolMode)\".")
        }
        if let prevalence, !(prevalence >= 0 && prevalence <= 1) {
            throw ValidationError("--prevalence is a share between 0 and 1 (0.001 is 0.1 %); got \(prevalence).")
        }
        if let courierMinutes, !(courierMinutes >= 1 && courierMinutes <= 24 * 60) {
            throw ValidationError("--courier-minutes must be between 1 and 1440; got \(courierMinutes).")
        }
        if let swabSeconds, !(swabSeconds >= 1 && swabSeconds <= 600) {
            throw ValidationError("--swab-seconds must be between 1 and 600; got \(swabSeconds).")
        }
        if district != nil, poolMode != nil {
            throw ValidationError("--pool-mode applies to one site; a district's communities pool as their zone allows.")
        }
        if district != nil, advise { throw ValidationError("--advise applies to one site, not to --district.") }
        if let rounds {
            guard (1...30).contains(rounds) else { throw ValidationError("--rounds must be between 1 and 30; got \(rounds).") }
            if district != nil { throw ValidationError("--rounds applies to one site, not to --district.") }
            if advise { throw ValidationError("--advise is about one day; run it without --rounds.") }
        }
        if !(labs >= 1 && labs <= 1_000) { throw ValidationError("--labs must be between 1 and 1000; got \(labs).") }
        if !(labCapacity > 0 && labCapacity.isFinite) { throw ValidationError("--lab-capacity must be above 0; got \(labCapacity).") }
        if replay.against != nil {
            if district != nil { throw ValidationError("--against replays one site's day; give --site, not --district.") }
            if advise { throw ValidationError("--advise and --against are separate runs: advise first, then replay.") }
        }
        try replay.validate()
    }

    /// The options as the core's parameters.
    var parameters: SimulationParameters {
        var p = SimulationParameters()
        p.stations = stations
        p.poolMode = poolMode.flatMap(TubeMode.init(rawValue:))
        if let prevalence { p.prevalence = prevalence }
        if let courierMinutes { p.courierInterval = courierMinutes * 60 }
        if let swabSeconds { p.serviceTime = .lognormal(median: swabSeconds, sigma: 0.3) }
        return p
    }

    func run() async throws {
        if let district {
            try await runDistrict(count: district)
        } else if let site, rounds != nil {
            let loaded = try SiteLookup.find(site, sitesPath: sitesPath)
            if replay.against != nil { try await runCampaignReplay(loaded) } else { try runCampaign(loaded) }
        } else if let site, replay.against != nil {
            try await runReplay(try SiteLookup.find(site, sitesPath: sitesPath))
        } else if let site {
            try runSite(try SiteLookup.find(site, sitesPath: sitesPath))
        }
    }

    private func runSite(_ loaded: LoadedSite) throws {
        let started = ContinuousClock.now
        let site = SimulatedSite(definition: loaded.definition, roster: loaded.roster)
        let parameters = parameters
        let report: SimulationReport
        do {
            report = try DaySimulation.run(site, parameters: parameters, seed: seed)
        } catch {
            throw ValidationError(error.message)
        }
        let summary = SimulationSummary(report, site: site, prevalence: parameters.prevalence)
        print(summary.text)
        var adviceLines: [String] = []
        if advise {
            let advice = DayAdvice.advise(site, parameters: parameters, seed: seed, target: .standard(for: site))
            adviceLines = AdviceText.lines(advice, site: site)
            print(adviceLines.joined(separator: "\n") + "\n")
        }
        let folder = out ?? "simulation/\(loaded.definition.id)"
        let written = try ReportFolder.write(
            folder,
            files: [
                ("series.csv", SimulationCSV.series(report, site: site)),
                ("pickups.csv", SimulationCSV.pickups(report)),
            ],
            charts: SimulationCharts(report, site: site),
            html: { SimulationHTML.page(summary: summary, charts: $0, advice: adviceLines) })
        print("Report: \(written) (\(ReportFolder.elapsed(since: started)))")
    }
}
