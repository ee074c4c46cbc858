import SwablineCore
import Testing

@testable import SwablineSimulation

@Suite("The day as a script, and its ground truth")
struct DayScriptTests {
    @Test("the script is the simulated day: every check-in, swab, seal, box and result once, in time order")
    func scriptIsTheDay() throws {
        var parameters = SimulationFixture.parameters { $0.prevalence = 0.02 }
        parameters.invalidShare = 0.02
        let (script, report) = try DaySimulation.script(SimulationFixture.site(), parameters: parameters, seed: 4)
        #expect(try DaySimulation.run(SimulationFixture.site(), parameters: parameters, seed: 4) == report, "recording changes nothing")
        #expect(zip(script.steps, script.steps.dropFirst()).allSatisfy { $0.time <= $1.time })

        var checkIns = 0, swabs: [Int32] = [], sealed: [Int] = [], packed: [Int] = [], resulted: [Int] = []
        var calledBy: [Int: Int] = [:]
        for timed in script.steps {
            switch timed.step {
            case .checkIn: checkIns += 1
            case let .call(station, tube, _, called):
                #expect(!called.isEmpty, "a call that calls nobody is not a step")
                #expect(calledBy[tube, default: station] == station, "a tube stays at its desk")
                calledBy[tube] = station
            case let .sample(tube, person, refused):
                #expect(calledBy[tube] != nil, "a desk scans into a tube it called for")
                if refused == nil { swabs.append(person) }
            case let .sealTube(tube):
                #expect(!sealed.contains(tube))
                sealed.append(tube)
            case let .packBox(_, tubes):
                #expect(tubes.allSatisfy(sealed.contains), "only sealed tubes are packed")
                packed += tubes
            case let .result(tube, _):
                #expect(packed.contains(tube), "a result follows the tube's box")
                resulted.append(tube)
            case .callRefused, .pickUp, .handOver, .receive: break
            }
        }
        #expect(checkIns == report.arrived)
        #expect(swabs.count == report.sampled && Set(swabs).count == swabs.count)
        #expect(sealed.count == report.tubes.total && Set(packed) == Set(sealed) && Set(resulted) == Set(sealed))
        #expect(script.walkIns == report.walkIns && script.people == report.expected + report.walkIns)

        let codes = (0..<script.people).map { "P\($0)" }
        let truth = script.expectedState(codes: codes)
        #expect(
            truth.counts
                == CoverageCounts(
                    expected: script.people, checkedIn: report.arrived, sampled: report.sampled, resulted: report.sampled))
        #expect(truth.missing == Set(report.missing.map { "P\($0)" }))
        #expect(truth.retests.count == report.results.retests && !truth.retests.isEmpty, "the fixture has retests to compare")
        #expect(truth.outcomes.count == report.sampled)
        #expect(truth.outcomes.values.filter { $0 == .poolPositive || $0 == .positive }.count == report.results.isolated)
    }

    @Test("the comparison names every difference, and none for equal states")
    func differences() {
        let truth = RoundState(
            counts: CoverageCounts(expected: 5, checkedIn: 4, sampled: 4, resulted: 4), missing: ["A5"],
            outcomes: ["A1": .negative, "A2": .poolPositive, "A3": .poolPositive, "A4": .negative], retests: ["A2", "A3"])
        #expect(truth.differences(from: truth).isEmpty)

        var server = truth
        server.counts.resulted = 3
        server.missing = ["A4", "A5"]
        server.outcomes["A4"] = nil
        server.outcomes["A3"] = .negative
        server.retests = ["A2"]
        let found = truth.differences(from: server)
        #expect(
            found == [
                RoundDifference(what: "resulted", expected: "4", actual: "3"),
                RoundDifference(what: "missing A4", expected: "not listed", actual: "listed"),
                RoundDifference(what: "retest A3", expected: "listed", actual: "not listed"),
                RoundDifference(what: "outcome of A3", expected: "pool_positive", actual: "negative"),
                RoundDifference(what: "outcome of A4", expected: "negative", actual: "none"),
            ])
        #expect(found[3].description == "outcome of A3: simulation pool_positive, server negative")
    }

    @Test("a made-up ID number completed with its check digit passes the roster's check")
    func checkDigit() {
        #expect(PersonalData.nationalIDCheckDigit("11010519491231002") == "X")  // the README's walk-in
        for first17 in ["31010119800101001", "11010120091231999", "44030419700615123"] {
            let id = first17 + String(PersonalData.nationalIDCheckDigit(first17)!)
            #expect(PersonalData.nationalIDProblem(id) == nil, "\(id)")
        }
        #expect(PersonalData.nationalIDCheckDigit("1101051949123100") == nil)
        #expect(PersonalData.nationalIDCheckDigit("1101051949123100A") == nil)
    }
}
