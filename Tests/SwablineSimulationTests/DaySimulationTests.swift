import SwablineCore
import Testing

@testable import SwablineSimulation

/// Small made-up sites, so a debug build plays a day in a fraction of a second.
enum SimulationFixture {
    static func site(households: Int = 200, stations: Int = 3, zone: Zone = .precaution, seed: UInt64 = 11) -> SimulatedSite {
        SimulatedSite.synthetic(id: "test", households: households, stations: stations, zone: zone, seed: seed)
    }

    static func parameters(_ change: (inout SimulationParameters) -> Void = { _ in }) -> SimulationParameters {
        var parameters = SimulationParameters()
        change(&parameters)
        return parameters
    }
}

@Suite("A simulated day drives the real core")
struct DaySimulationTests {
    @Test("the same seed gives the same day; another seed another day")
    func determinism() throws {
        let site = SimulationFixture.site()
        let first = try DaySimulation.run(site, seed: 5)
        #expect(try DaySimulation.run(site, seed: 5) == first)
        #expect(try DaySimulation.run(site, seed: 6) != first)
        // Stations do not change who comes or who is infected: options are compared on the same people.
        let two = try DaySimulation.trace(site, parameters: SimulationFixture.parameters { $0.stations = 2 }, seed: 5)
        let five = try DaySimulation.trace(site, parameters: SimulationFixture.parameters { $0.stations = 5 }, seed: 5)
        #expect(two.sampled.attendance == five.sampled.attendance)
        #expect(two.sampled.infected == five.sampled.infected)
    }

    @Test(
        "everyone who comes is sampled exactly once, in their building's slot; the missing never are",
        arguments: [(200, 3), (700, 2), (700, 6)])
    func everyoneOnce(households: Int, stations: Int) throws {
        let site = SimulationFixture.site(households: households, stations: stations)
        let trace = try DaySimulation.trace(site, parameters: .init(), seed: 9)
        let day = trace.sampled.day, attendance = trace.sampled.attendance
        var appearances = [Int](repeating: 0, count: attendance.people.count)
        for tube in day.tubes { for person in tube.members { appearances[Int(person)] += 1 } }
        let arrived = attendance.arrivals.flatMap(\.people)
        #expect(Set(arrived).count == arrived.count, "nobody checks in twice")
        for person in arrived { #expect(appearances[Int(person)] == 1, "person \(person)") }
        for person in attendance.missing { #expect(appearances[Int(person)] == 0 && day.checkedInAt[Int(person)] == nil) }
        #expect(arrived.count + attendance.missing.count == site.residents.count + attendance.walkIns)
        for arrival in attendance.arrivals where Int(arrival.people[0]) < site.residents.count {
            #expect(site.arrivalWindow(building: site.residents[Int(arrival.people[0])].building).contains(arrival.time))
        }
        let report = SimulationReport(trace)
        #expect(report.sampled == arrived.count && report.arrived == arrived.count)
        #expect(report.missingCount == attendance.missing.count)
        #expect(report.series.reduce(0) { $0 + $1.stations.reduce(0) { $0 + $1.sampled } } == report.sampled)
        if households > 600 { #expect(!site.definition.slots.isEmpty, "a large compound is called building by building") }
    }

    /// Rule 1 for every tube of a day: never over its mode, single-tube people only alone.
    static func checkRuleOne(_ trace: DayTrace) {
        let people = trace.sampled.attendance.people
        for tube in trace.sampled.day.tubes {
            #expect(!tube.members.isEmpty && tube.members.count <= tube.mode.capacity, "rule 1")
            if tube.mode.isPooled { #expect(tube.members.allSatisfy { !people[Int($0)].singleTube }, "rule 1: never pooled") }
        }
    }

    @Test(
        "rules 1 and 2: no tube over capacity; each household in one tube, or the fewest when larger",
        arguments: [TubeMode.pooled5, .pooled10, .pooled20])
    func rulesOneAndTwo(mode: TubeMode) throws {
        for (seed, stations) in [(1, 1), (2, 3), (3, 8)] as [(UInt64, Int)] {
            let site = SimulationFixture.site(households: 300, stations: stations, seed: seed)
            let parameters = SimulationFixture.parameters {
                $0.poolMode = mode
                $0.stragglerShare = 0
            }
            let trace = try DaySimulation.trace(site, parameters: parameters, seed: seed)
            Self.checkRuleOne(trace)
            let people = trace.sampled.attendance.people
            var tubesOf: [Int32: Set<Int32>] = [:], size: [Int32: Int] = [:]
            for (t, tube) in trace.sampled.day.tubes.enumerated() where tube.mode.isPooled {
                for person in tube.members {
                    tubesOf[people[Int(person)].household, default: []].insert(Int32(t))
                    size[people[Int(person)].household, default: 0] += 1
                }
            }
            for (household, tubes) in tubesOf {
                let fewest = (size[household]! + mode.capacity - 1) / mode.capacity
                #expect(tubes.count == fewest, "household of \(size[household]!) in \(tubes.count) tubes")
            }
            // Households that come together are never refused, those larger than a tube included: the
            // rest waits while the first part is called to one desk, which the caller leaves alone.
            #expect(trace.sampled.day.refusals.isEmpty, "\(trace.sampled.day.refusals)")
        }
    }

    @Test("with stragglers, the members who come together still share a tube, and the caller sends none into another's tube")
    func stragglers() throws {
        for share in [0.05, 0.3] {
            // Over 600 households: called building by building, so stragglers meet their household's open tube.
            let site = SimulationFixture.site(households: 700, stations: 6)
            let trace = try DaySimulation.trace(site, parameters: SimulationFixture.parameters { $0.stragglerShare = share }, seed: 4)
            Self.checkRuleOne(trace)
            let day = trace.sampled.day, people = trace.sampled.attendance.people
            for arrival in trace.sampled.attendance.arrivals {
                let pooled = arrival.people.filter { !people[Int($0)].singleTube }
                #expect(Set(pooled.map { day.tubeOf[Int($0)] }).count <= 1, "group \(arrival.people) split")
            }
            // The caller never offers a household another desk holds, so no desk meets `household_in_other_tube`.
            #expect(Set(day.refusals.keys).isSubset(of: ["household_does_not_fit"]))
        }
    }

    @Test("every tube and box goes through the custody chain to the end")
    func custody() throws {
        let trace = try DaySimulation.trace(SimulationFixture.site(), parameters: .init(), seed: 3)
        #expect(trace.lab.states.allSatisfy { $0 == .resulted })
        #expect(trace.transport.boxes.allSatisfy { $0.state == .received && $0.tubes.count <= trace.parameters.boxCapacity })
        #expect(trace.transport.boxes.reduce(0) { $0 + $1.tubes.count } == trace.sampled.day.tubes.count)
        for (t, tube) in trace.sampled.day.tubes.enumerated() {
            #expect(tube.sealedAt! <= trace.transport.receivedAt[t]!)
            #expect(trace.transport.receivedAt[t]! <= trace.lab.resultAt[t]!)
        }
    }

    @Test("with couriers every 20 min, no sample is older at receipt than the interval, the sealing lead and the drive")
    func sampleAgeBound() throws {
        let parameters = SimulationFixture.parameters {
            $0.courierInterval = 1_200
            $0.transport = .fixed(2_400)
            $0.serviceTime = .fixed(15)
        }
        for seed: UInt64 in [1, 2, 3] {
            let site = SimulationFixture.site(households: 500, stations: 4, seed: seed)
            let trace = try DaySimulation.trace(site, parameters: parameters, seed: seed)
            let report = SimulationReport(trace)
            let bound = parameters.courierInterval + parameters.sealBeforeCourier! + 2_400
            #expect(report.sampleAge.spread!.max <= bound)
            for (t, tube) in trace.sampled.day.tubes.enumerated() {
                #expect(trace.transport.receivedAt[t]! - tube.sealedAt! <= parameters.courierInterval + 2_400)
            }
            for pickup in trace.transport.pickups { #expect(pickup.receivedAt - pickup.time == 2_400) }
        }
    }

    @Test("results follow the infections: pools of the infected are isolated and retested, every infection sampled is found")
    func results() throws {
        let parameters = SimulationFixture.parameters {
            $0.prevalence = 0.03
            $0.invalidShare = 0.05
        }
        let trace = try DaySimulation.trace(SimulationFixture.site(households: 400), parameters: parameters, seed: 8)
        let report = SimulationReport(trace)
        let tubes = trace.sampled.day.tubes, infected = trace.sampled.infected
        var poolPositive = 0, singlePositive = 0, invalidMembers = 0
        for (t, tube) in tubes.enumerated() {
            switch trace.lab.results[t]! {
            case .positive:
                #expect(tube.members.contains { infected[Int($0)] })
                if tube.mode.isPooled { poolPositive += tube.members.count } else { singlePositive += 1 }
            case .invalid: invalidMembers += tube.members.count
            case .negative: #expect(!tube.members.contains { infected[Int($0)] })
            }
        }
        #expect(poolPositive > 0 && invalidMembers > 0, "the day exercises both kinds of retest")
        #expect(report.results.isolated == poolPositive + singlePositive)
        #expect(report.results.retests == poolPositive + invalidMembers)
        #expect(report.results.confirmedPositive == report.results.infectedSampled)
        #expect(report.testsPerPerson == Double(tubes.count + report.results.retests) / Double(report.sampled))
    }

    @Test("infections cluster by household as the attack rate says")
    func infections() {
        let site = SimulationFixture.site(households: 2_000)
        func draw(_ p: Double, _ q: Double) -> [Bool] {
            var rng = SeededGenerator(seed: 1)
            return Infections.draw(
                people: site.residents, householdCount: site.householdCount, prevalence: p, attackRate: q, using: &rng)
        }
        func perHousehold(_ infected: [Bool]) -> [Int32: (infected: Int, size: Int)] {
            var counts: [Int32: (infected: Int, size: Int)] = [:]
            for (i, resident) in site.residents.enumerated() {
                counts[resident.household, default: (0, 0)].infected += infected[i] ? 1 : 0
                counts[resident.household, default: (0, 0)].size += 1
            }
            return counts
        }
        #expect(!draw(0, 0.5).contains(true))
        let whole = perHousehold(draw(0.05, 1))
        #expect(whole.values.allSatisfy { $0.infected == 0 || $0.infected == $0.size }, "attack rate 1: all or none")
        let alone = perHousehold(draw(0.05, 0))
        #expect(alone.values.allSatisfy { $0.infected <= 1 }, "attack rate 0: one case per infected household")
        // The share infected is the prevalence on average: about 270 of 5,400 here.
        let share = Double(draw(0.05, 0.5).filter { $0 }.count) / Double(site.residents.count)
        #expect(share > 0.035 && share < 0.065)
    }

    @Test("the priority lane waits less when the queue is long")
    func priorityLane() throws {
        let slow = SimulationFixture.parameters { $0.serviceTime = .fixed(60) }
        let trace = try DaySimulation.trace(SimulationFixture.site(households: 400, stations: 1), parameters: slow, seed: 2)
        let day = trace.sampled.day, people = trace.sampled.attendance.people
        func medianWait(priority: Bool) -> Double {
            let waits = people.indices.filter { people[$0].priority == priority && day.sampledAt[$0] != nil }
                .map { day.sampledAt[$0]! - day.checkedInAt[$0]! }.sorted()
            return waits[waits.count / 2]
        }
        #expect(SimulationReport(trace).peakWaiting > 20, "one station is overrun")
        #expect(medianWait(priority: true) < medianWait(priority: false))
    }

    @Test("a pool mode the zone does not allow is refused, as the server refuses it")
    func zoneBoundsPool() {
        let site = SimulationFixture.site(zone: .controlled)
        #expect(throws: RuleViolation.modeNotAllowed(mode: .pooled20, zone: .controlled)) {
            try DaySimulation.run(site, parameters: SimulationFixture.parameters { $0.poolMode = .pooled20 }, seed: 1)
        }
    }
}
