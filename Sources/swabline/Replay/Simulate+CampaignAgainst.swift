import ArgumentParser
import Foundation
import SwablineCore
import SwablineSimulation
import SwablineStore

/// `simulate --site … --rounds N --against http://127.0.0.1:PORT`: the
/// campaign played through a real server round after round, each round
/// compared before the next opens (after a difference the two no longer
/// play the same campaign: the next round's lanes follow the standings).
extension Simulate {
    func runCampaignReplay(_ loaded: LoadedSite) async throws {
        let target = try ReplayTarget(replay.against!)
        let credentials = try replay.credentials(ProcessInfo.processInfo.environment)
        let deadline = ContinuousClock.now + .seconds(replay.timeout)
        if let stations, stations > loaded.definition.stations.count {
            throw ValidationError("--stations \(stations) is more desks than \(loaded.definition.id) has; a replay plays the site's own.")
        }
        let (site, rounds) = try campaign(loaded)
        let summary = CampaignSummary(rounds, site: site, seed: seed)
        print(summary.text)
        try Self.requireNobodyPooledWhileNotCleared(summary)

        let client = ReplayClient(target: target, deadline: deadline)
        let server = ServerRound(client: client, site: site.definition.id, token: credentials.coordinator)
        var followUps = FollowUpReplay(client: client, staffToken: credentials.staff)
        let first = try await server.freshRound(rosterCount: site.residents.count)
        print("Replaying \(rounds.count) rounds against \(target.base), starting in round \"\(first.name)\" …")
        for round in rounds {
            var opened = first
            if round.number > 1 { opened = try await server.openRound(named: "Simulated round \(round.number), seed \(seed)") }
            let names = ReplayNames(script: round.script, roster: loaded.roster, round: opened.id)
            let before = client.requests, started = ContinuousClock.now
            var day = DayReplay(script: round.script, names: names, credentials: credentials, client: client, speed: replay.speed)
            try await day.play()
            let verdict = ReplayVerdict(
                expected: round.expectedState(codes: names.residents),
                actual: try await server.state(codes: names.residents, standings: true))
            // The reasons go in after the comparison of the day, so a server without follow-ups still compares the rest.
            var followUpDifferences: [RoundDifference] = []
            var followUpLine = "follow-ups not compared"
            if try await followUps.record(round.reasons, codes: names.residents), let actual = try await server.followUps() {
                let expected = round.expectedFollowUps(codes: names.residents)
                followUpDifferences = expected.differences(from: actual)
                followUpLine = "missing \(actual.closed) closed, \(actual.open) open" + (followUpDifferences.isEmpty ? " =" : " ≠")
            }
            print(
                "Round \(round.number) \"\(opened.name)\": \(client.requests - before) requests in "
                    + ReportFolder.elapsed(since: started) + "; coverage, outcomes, retest list, standings "
                    + (verdict.equal ? "=" : "≠") + "; " + followUpLine)
            guard verdict.equal, followUpDifferences.isEmpty else {
                print(verdict.text())
                for difference in followUpDifferences.prefix(40) { print("  \(difference)") }
                print("Round \(round.number) differs: the later rounds were not played.")
                throw ExitCode(1)
            }
        }
        if let why = followUps.notOfferedBecause {
            print("The server does not record follow-ups yet (POST /v1/residents/{code}/follow-up answered \(why)): reasons not compared.")
        }
        print(
            "Equal in all \(rounds.count) rounds: the server's coverage, outcomes, retest lists and standings are the campaign's "
                + "ground truth exactly; \(summary.pooledWhileNotCleared) people pooled while not cleared.")
    }
}
