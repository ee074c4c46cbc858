import SwablineCore
import Testing

@testable import SwablineSimulation

/// A campaign with enough infection that standings, isolation and the
/// single lane all have work to do.
enum CampaignFixture {
    static let site = SimulationFixture.site(households: 200, stations: 3)

    static func parameters(rounds: Int = 5) -> CampaignParameters {
        var parameters = CampaignParameters()
        parameters.rounds = rounds
        parameters.day.prevalence = 0.03
        parameters.day.invalidShare = 0.01
        parameters.communityDailyRate = 0.002
        return parameters
    }

    static let rounds = try! CampaignSimulation.run(site, parameters: parameters(), seed: 3)
}

@Suite("A campaign of rounds drives the real core")
struct CampaignSimulationTests {
    @Test("the same seed gives the same campaign; another seed another")
    func determinism() throws {
        let again = try CampaignSimulation.run(CampaignFixture.site, parameters: CampaignFixture.parameters(), seed: 3)
        #expect(again == CampaignFixture.rounds)
        #expect(try CampaignSimulation.run(CampaignFixture.site, parameters: CampaignFixture.parameters(), seed: 4) != again)
        #expect(CampaignFixture.rounds.map(\.number) == [1, 2, 3, 4, 5])
    }

    @Test("nobody is pooled while not cleared in any round, and the fixture has people to route")
    func nobodyPooledWhileNotCleared() {
        var carried = 0
        for round in CampaignFixture.rounds {
            #expect(round.pooledWhileNotCleared.isEmpty, "round \(round.number)")
            var mode: [Int: TubeMode] = [:]
            for timed in round.script.steps {
                switch timed.step {
                case let .call(_, tube, tubeMode, _): mode[tube] = tubeMode
                case let .sample(tube, person, refused):
                    #expect(refused != "not_cleared", "the queue routes them; the admission never has to refuse")
                    if refused == nil, round.standingsBefore[Int(person)].needsSingleTube {
                        #expect(mode[tube] == .single, "round \(round.number): person \(person) not cleared went into \(mode[tube]!)")
                        carried += 1
                    }
                default: break
                }
            }
        }
        #expect(carried > 10, "not-cleared people were sampled in later rounds")
        #expect(
            CampaignFixture.rounds.contains { $0.count(.poolPositive) > 0 } && CampaignFixture.rounds.contains { $0.count(.positive) > 0 })
    }

    @Test("each round's standings are the core's fold of every result so far, in the order they came")
    func standingsAreTheFold() {
        let site = CampaignFixture.site
        var events = [[StandingEvent]](repeating: [], count: site.residents.count)
        var sample: Int64 = 0
        for round in CampaignFixture.rounds {
            var tubes: [Int: (mode: TubeMode, members: [(Int32, Int64)])] = [:]
            for timed in round.script.steps {
                if case let .call(_, tube, mode, _) = timed.step { tubes[tube, default: (mode, [])].mode = mode }
                if case let .sample(tube, person, nil) = timed.step {
                    sample += 1
                    tubes[tube]!.members.append((person, sample))
                }
                guard case let .result(tube, result) = timed.step else { continue }
                let (mode, members) = tubes[tube]!
                for (person, sample) in members {
                    events[Int(person)].append(.result(result, mode: mode, sample: sample))
                    guard result == .positive, mode == .single else { continue }
                    let household = site.residents[Int(person)].household
                    for other in site.residents.indices where site.residents[other].household == household && other != Int(person) {
                        events[other].append(.householdPositive(sample: sample))
                    }
                }
            }
            #expect(events.map { StandingState.fold($0).standing } == round.standingsAfter, "round \(round.number)")
        }
    }

    @Test("the isolated are the households of the last rounds' positives and pool-positives, and all of them are sampled")
    func isolation() {
        let site = CampaignFixture.site, days = CampaignFixture.parameters().isolationDays
        var isolatedFrom: [Int32: Int] = [:]
        for round in CampaignFixture.rounds {
            for person in site.residents.indices {
                let household = site.residents[person].household
                let expected = isolatedFrom[household].map { round.number > $0 && round.number <= $0 + days } ?? false
                #expect(round.isolated[person] == expected, "round \(round.number), person \(person)")
                if round.isolated[person] { #expect(round.script.truth.sampled[person], "an isolated person is sampled") }
            }
            for (person, outcome) in round.script.truth.outcomes.enumerated() where outcome == .positive || outcome == .poolPositive {
                isolatedFrom[site.residents[person].household] = round.number
            }
        }
        #expect(CampaignFixture.rounds.last!.isolated.contains(true))
    }

    @Test("every missing person has a reason or is an open task, and the retest list holds whoever is not cleared and missing")
    func missingAndRetests() {
        for round in CampaignFixture.rounds {
            let missing = Set(round.missing)
            #expect(Set(round.reasons.keys).isSubset(of: missing))
            #expect(round.reasons.count + round.openTasks.count == missing.count)
            let codes = (0..<round.script.people).map { "P\($0)" }
            let state = round.expectedState(codes: codes)
            for person in missing where round.standingsAfter[Int(person)] != .cleared {
                #expect(state.retests.contains("P\(person)"))
            }
            #expect(state.standings?.count == round.standingsAfter.filter { $0 != .cleared }.count)
            let followUps = round.expectedFollowUps(codes: codes)
            #expect(followUps.closed + followUps.open == state.missing.count)
        }
        #expect(CampaignFixture.rounds.contains { !$0.reasons.isEmpty && !$0.openTasks.isEmpty })
    }

    @Test("a round's results are posted after its last desk step, in their order, and nothing else moves")
    func resultsAfterSampling() {
        for round in CampaignFixture.rounds {
            let steps = round.script.steps
            let lastDesk = steps.last { $0.step.isDesk }!.time
            #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.time <= $1.time })
            for timed in steps { if case .result = timed.step { #expect(timed.time >= lastDesk) } }
        }
    }

    @Test("a difference in standing is named; cleared and absent are the same")
    func standingDifferences() {
        let truth = RoundState(counts: CoverageCounts(expected: 2), standings: ["A": .poolPositive])
        var server = truth
        #expect(truth.differences(from: server).isEmpty)
        server.standings = ["A": .poolPositive, "B": .cleared]
        #expect(truth.differences(from: server).isEmpty)
        server.standings = ["B": .householdContact]
        #expect(
            truth.differences(from: server).map(\.description) == [
                "standing of A: simulation pool_positive, server cleared", "standing of B: simulation cleared, server household_contact",
            ])
    }

    @Test("a follow-up that differs is named: the counts, and each reason, open on one side")
    func followUpDifferences() {
        let truth = FollowUpState(closed: 2, open: 1, reasons: ["A": .away, "B": .homebound])
        #expect(truth.differences(from: truth).isEmpty)
        let server = FollowUpState(closed: 1, open: 2, reasons: ["A": .notAtHome])
        #expect(
            truth.differences(from: server).map(\.description) == [
                "closed: simulation 2, server 1", "open: simulation 1, server 2", "reason of A: simulation away, server not_at_home",
                "reason of B: simulation homebound, server open",
            ])
        #expect(abs(MissingReason.weights.reduce(0) { $0 + $1.1 } - 1) < 1e-9, "the weights are shares of one")
        #expect(Set(MissingReason.weights.map(\.0)) == Set(MissingReason.allCases))
    }
}
