import ArgumentParser
import Foundation
import SwablineCore
import SwablineSimulation
import SwablineStore

/// `simulate --site … --against http://127.0.0.1:PORT`: simulate the day,
/// play it through a real server's API, and compare.
extension Simulate {
    func runReplay(_ loaded: LoadedSite) async throws {
        let target = try ReplayTarget(replay.against!)
        let credentials = try replay.credentials(ProcessInfo.processInfo.environment)
        let started = ContinuousClock.now
        let deadline = started + .seconds(replay.timeout)
        if let stations, stations > loaded.definition.stations.count {
            throw ValidationError(
                "--stations \(stations) is more desks than \(loaded.definition.id) has (\(loaded.definition.stations.count)); "
                    + "a replay plays the site's own stations.")
        }
        let site = SimulatedSite(definition: loaded.definition, roster: loaded.roster)
        let script: DayScript, report: SimulationReport
        do {
            (script, report) = try DaySimulation.script(site, parameters: parameters, seed: seed)
        } catch {
            throw ValidationError(error.message)
        }
        print(SimulationSummary(report, site: site, prevalence: parameters.prevalence).text)
        if let speed = replay.speed, let first = script.steps.first, let last = script.steps.last,
            (last.time - first.time) / speed > replay.timeout
        {
            throw ValidationError(
                "At --speed \(speed) the day's \(DayTime.duration(last.time - first.time)) takes "
                    + "\(DayTime.duration((last.time - first.time) / speed)), longer than --timeout \(Int(replay.timeout)) s: "
                    + "raise --speed or --timeout.")
        }

        let client = ReplayClient(target: target, deadline: deadline)
        let server = ServerRound(client: client, site: script.site, token: credentials.coordinator)
        let round = try await server.freshRound(rosterCount: script.rosterCount)
        let names = ReplayNames(script: script, roster: loaded.roster, round: round.id)
        print(
            "Replaying \(script.steps.count) steps against \(target.base), round \"\(round.name)\""
                + (replay.speed.map { " at \($0)× real time" } ?? ", as fast as the server answers") + " …")
        let replayStart = ContinuousClock.now
        var day = DayReplay(script: script, names: names, credentials: credentials, client: client, speed: replay.speed)
        try await day.play()
        let replayed = client.requests, playTime = replayStart.duration(to: .now)
        let actual = try await server.state(codes: names.residents)
        let verdict = ReplayVerdict(expected: script.expectedState(codes: names.residents), actual: actual)
        let seconds = Double(playTime.components.seconds) + Double(playTime.components.attoseconds) / 1e18
        let rate = Int(Double(replayed) / max(seconds, 0.001))
        print(
            "Replayed in \(String(format: "%.1f", seconds)) s: \(replayed) requests (\(rate) a second); "
                + "read the reports with \(client.requests - replayed) more.")
        print(verdict.text())
        if !verdict.equal { throw ExitCode(1) }
    }
}
