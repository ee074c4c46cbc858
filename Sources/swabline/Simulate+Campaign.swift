import ArgumentParser
import Foundation
import SwablineCore
import SwablineSimulation
import SwablineStore

/// `simulate --site … --rounds N`: a campaign of consecutive daily rounds,
/// with its per-round summary and report folder. The model is the core's
/// `CampaignSimulation`; this command only loads, prints and writes.
extension Simulate {
    var campaignParameters: CampaignParameters {
        var campaign = CampaignParameters()
        campaign.day = parameters
        campaign.rounds = rounds ?? 1
        return campaign
    }

    /// The campaign of `loaded`, or the sentence why it cannot be run.
    func campaign(_ loaded: LoadedSite) throws -> (site: SimulatedSite, rounds: [CampaignRound]) {
        let site = SimulatedSite(definition: loaded.definition, roster: loaded.roster)
        do {
            return (site, try CampaignSimulation.run(site, parameters: campaignParameters, seed: seed))
        } catch {
            throw ValidationError(error.message)
        }
    }

    func runCampaign(_ loaded: LoadedSite) throws {
        let started = ContinuousClock.now
        let (site, rounds) = try campaign(loaded)
        let summary = CampaignSummary(rounds, site: site, seed: seed)
        print(summary.text)
        let codes = loaded.roster.map(\.code)
        var missing = "round,resident_code,reason\n", standings = "round,resident_code,standing\n"
        for round in rounds {
            for person in round.missing {
                missing += "\(round.number),\(codes[Int(person)]),\(round.reasons[person]?.rawValue ?? "open")\n"
            }
            for (person, standing) in round.standingsAfter.enumerated() where standing != .cleared {
                standings += "\(round.number),\(codes[person]),\(standing.rawValue)\n"
            }
        }
        let folder = out ?? "simulation/\(loaded.definition.id)-campaign"
        let written = try ReportFolder.write(
            folder,
            [("rounds.csv", summary.csv), ("missing.csv", missing), ("standings.csv", standings), ("report.html", summary.html)])
        print("Report: \(written) (\(ReportFolder.elapsed(since: started)))")
        try Self.requireNobodyPooledWhileNotCleared(summary)
    }

    /// Rule 9 as the command's exit status: someone pooled while not cleared is a failure, named.
    static func requireNobodyPooledWhileNotCleared(_ summary: CampaignSummary) throws {
        guard summary.pooledWhileNotCleared > 0 else { return }
        print("Rule 9 broken: \(summary.pooledWhileNotCleared) people pooled while not cleared.")
        throw ExitCode(1)
    }
}
