import SwablineCore

extension SimulationReport {
    /// Sums a simulated day up.
    init(_ trace: DayTrace) {
        let sampled = trace.sampled, day = sampled.day, parameters = trace.parameters, lab = trace.lab
        site = sampled.site.definition.id
        self.lab = sampled.site.definition.lab
        seed = sampled.seed
        stations = sampled.stations
        poolMode = sampled.mode
        opens = sampled.site.opens

        expected = sampled.site.residents.count
        walkIns = sampled.attendance.walkIns
        arrived = sampled.attendance.arrivals.reduce(0) { $0 + $1.people.count }
        missing = sampled.attendance.missing.map(Int.init)
        let swabs = day.sampledAt.indices.filter { day.sampledAt[$0] != nil }
        self.sampled = swabs.count
        firstArrivalAt = sampled.attendance.arrivals.first?.time
        allSampledAt = swabs.map { day.sampledAt[$0]! }.max()
        wait = Spread(swabs.map { day.sampledAt[$0]! - day.checkedInAt[$0]! })
        peakWaiting = day.peakWaiting
        series = day.series.samples
        seriesStep = parameters.seriesStep

        let pooled = day.tubes.filter(\.mode.isPooled)
        let places = pooled.reduce(0) { $0 + $1.mode.capacity }
        tubes = Tubes(
            pooled: pooled.count, single: day.tubes.count - pooled.count,
            partlyFilled: pooled.filter { $0.members.count < $0.mode.capacity }.count,
            partlyFilledBecause: pooled.reduce(into: [:]) { counts, tube in
                if tube.members.count < tube.mode.capacity { counts[tube.sealedBecause!.rawValue, default: 0] += 1 }
            },
            fillRatio: places == 0 ? 0 : Double(pooled.reduce(0) { $0 + $1.members.count }) / Double(places))
        refusals = day.refusals
        pickups = trace.transport.pickups.map {
            Pickup(time: $0.time, boxes: $0.boxes.count, tubes: $0.tubes, receivedAt: $0.receivedAt)
        }
        let ages = swabs.map { trace.transport.receivedAt[Int(day.tubeOf[$0])]! - day.sampledAt[$0]! }
        let over = ages.filter { $0 > parameters.sampleAgeLimit }.count
        sampleAge = SampleAge(
            spread: Spread(ages), limit: parameters.sampleAgeLimit, overLimit: over,
            shareOverLimit: ages.isEmpty ? 0 : Double(over) / Double(ages.count))
        lastResultAt = lab.resultAt.compactMap { $0 }.max()

        let infected = sampled.infected
        results = Results(
            positiveTubes: lab.results.filter { $0 == .positive }.count,
            invalidTubes: lab.results.filter { $0 == .invalid }.count,
            retests: lab.retests.count,
            isolated: lab.firstOutcomes.filter { $0 == .poolPositive || $0 == .positive }.count,
            confirmedPositive: lab.finalOutcomes.filter { $0 == .positive }.count,
            infectedSampled: swabs.filter { infected[$0] }.count,
            infectedMissing: sampled.attendance.missing.filter { infected[Int($0)] }.count)
        testsPerPerson = swabs.isEmpty ? 0 : Double(day.tubes.count + lab.retests.count) / Double(swabs.count)
    }
}
