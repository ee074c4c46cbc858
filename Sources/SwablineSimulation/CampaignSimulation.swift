import SwablineCore

/// A campaign at one site: consecutive daily rounds, each a whole day of
/// the day model, with what carries from one to the next. Seeded and pure:
/// the same site, parameters and seed give the same rounds.
///
/// Between days the virus spreads inside households and a little from
/// outside (`Transmission`). Each round opens with the standings the last
/// left (`StandingLedger`, the core's `StandingState.after`): whoever is
/// not cleared waits in the single lane and is never pooled, as the
/// server's queue and admission have it. A pool-positive or positive
/// result isolates the household for `isolationDays` rounds; isolated
/// people are sampled whatever the day's draw (at the door in reality;
/// here they come down, and their lane is their standing, since that is
/// all the server routes by). Results are posted once each day's sampling
/// is over (`DayScript.resultsAfterSampling`). Of the missing, the team
/// reaches `reasonShare` with a reason; the rest are open tasks.
public enum CampaignSimulation {
    /// - Throws: `RuleViolation.modeNotAllowed`, as `DaySimulation.run`.
    public static func run(_ site: SimulatedSite, parameters: CampaignParameters = .init(), seed: UInt64) throws(RuleViolation)
        -> [CampaignRound]
    {
        precondition(parameters.rounds >= 1, "a campaign has at least one round")
        // One stream per concern, as in a day: the reasons drawn do not move the virus.
        var root = SeededGenerator(seed: seed)
        var virus = SeededGenerator(seed: root.next()), follow = SeededGenerator(seed: root.next())
        var transmission = Transmission(site: site, day: parameters.day, using: &virus)
        var ledger = StandingLedger(site: site)
        var isolatedThrough = [Int](repeating: 0, count: site.householdCount)
        var rounds: [CampaignRound] = []
        for number in 1...parameters.rounds {
            let isolatedHouseholds = isolatedThrough.map { $0 >= number }
            if number > 1 { transmission.spread(after: number - 2, isolated: isolatedHouseholds, parameters: parameters, using: &virus) }
            let isolated = site.residents.map { isolatedHouseholds[Int($0.household)] }
            let carriers = transmission.carriers(on: number - 1, detectableDays: parameters.detectableDays)
            let conditions = DayConditions(standing: ledger.standings, infected: carriers, alwaysComes: isolated)
            let (day, _) = try DaySimulation.scriptAndTrace(
                site, parameters: parameters.dayParameters, seed: root.next(), conditions: conditions)
            let script = day.resultsAfterSampling()
            let before = ledger.standings
            let pooledWhileNotCleared = ledger.apply(script)
            for (person, outcome) in script.truth.outcomes.enumerated() where outcome == .poolPositive || outcome == .positive {
                let household = Int(site.residents[person].household)
                isolatedThrough[household] = max(isolatedThrough[household], number + parameters.isolationDays)
            }
            var reasons: [Int32: MissingReason] = [:]
            for person in 0..<script.people where !script.truth.sampled[person] {
                let reached = Double.random(in: 0..<1, using: &follow) < parameters.reasonShare
                let reason = MissingReason.draw(using: &follow)
                if reached { reasons[Int32(person)] = reason }
            }
            rounds.append(
                CampaignRound(
                    number: number, script: script, standingsBefore: before, standingsAfter: ledger.standings, isolated: isolated,
                    carriers: carriers, reasons: reasons, pooledWhileNotCleared: pooledWhileNotCleared))
        }
        return rounds
    }
}
