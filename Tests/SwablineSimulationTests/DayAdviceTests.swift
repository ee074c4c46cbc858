import SwablineCore
import Testing

@testable import SwablineSimulation

@Suite("Advice for a day: pool size, stations, couriers")
struct DayAdviceTests {
    @Test(
        "the advised stations meet the target and one fewer does not; the advised courier keeps samples under 4 h and a slower one does not"
    )
    func advice() throws {
        let site = SimulationFixture.site(households: 350, stations: 2, zone: .controlled)
        let parameters = SimulationParameters()
        let target = DayAdvice.Target(
            finishBy: site.closes + 1_800, maxWaitP95: 600, courierIntervals: [60, 180, 300, 480].map { $0 * 60 })
        let advice = DayAdvice.advise(site, parameters: parameters, seed: 3, target: target)
        #expect(advice.poolSize.recommended == .pooled10)

        func day(stations: Int, courier: Double? = nil) throws -> SimulationReport {
            var p = parameters
            p.poolMode = advice.poolSize.recommended
            p.stations = stations
            if let courier { p.courierInterval = courier }
            return try DaySimulation.run(site, parameters: p, seed: 3)
        }
        func meets(_ report: SimulationReport) -> Bool {
            report.allSampledAt! <= target.finishBy && report.wait!.p95 <= target.maxWaitP95
        }
        let stations = try #require(advice.stations)
        #expect(meets(try day(stations: stations)))
        if stations - 1 >= advice.stationsLowerBound { #expect(!meets(try day(stations: stations - 1))) }
        #expect(advice.stationsLowerBound >= 1 && advice.stationsLowerBound <= stations)

        let interval = try #require(advice.courierInterval)
        #expect(try day(stations: stations, courier: interval).sampleAge.overLimit == 0)
        if let slower = target.courierIntervals.first(where: { $0 > interval }) {
            #expect(try day(stations: stations, courier: slower).sampleAge.overLimit > 0)
        }

        // The reasoning, as data: one Dorfman line and one simulated line per allowed mode.
        let pool = advice.lines.filter { $0.subject == .poolSize && $0.option != "\(advice.poolSize.optimum.poolSize)" }
        #expect(pool.filter { $0.basis == .dorfman }.map(\.option) == Zone.controlled.allowedModes.map(\.rawValue))
        for line in pool where line.basis == .dorfman {
            let mode = try #require(TubeMode(rawValue: line.option))
            #expect(line.figure == Dorfman.testsPerPerson(poolSize: mode.capacity, prevalence: parameters.prevalence))
        }
        #expect(pool.filter { $0.basis == .simulation }.count == Zone.controlled.allowedModes.count)
        #expect(advice.lines.filter { $0.subject == .stations && $0.chosen }.map(\.option) == ["\(stations)"])
        #expect(advice.lines.filter { $0.subject == .courier && $0.chosen }.map(\.option) == ["\(Int(interval))"])
        #expect(advice.lines.allSatisfy { !$0.text.isEmpty })
    }

    @Test("times read as a person reads them")
    func dayTime() {
        #expect(DayTime.clock(7 * 3_600 + 5 * 60 + 59) == "07:05")
        #expect(DayTime.clock(26 * 3_600 + 29 * 60) == "02:29 next day")
        #expect(DayTime.duration(55) == "55 s")
        #expect(DayTime.duration(3 * 3_600 + 5 * 60) == "3 h 05 min")
        #expect(fixedPoint(0.19562, 3) == "0.196" && fixedPoint(5, 0) == "5" && fixedPoint(0.1, 2) == "0.10")
    }
}
