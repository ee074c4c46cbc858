import SwablineCore

/// One testing day at one site, simulated: who comes when, the desks, the
/// couriers, the lab and the retest pass. Seeded and pure: the same site,
/// parameters and seed give the same report on every run; time is seconds
/// since the day's start, never the clock.
///
/// The queue calling, tube filling, admission, custody and result matching
/// are the core's own (`QueueCaller`, `SampleAdmission`, the custody state
/// machines, `BatchMatching`, `ResultMatching`), so the simulated day keeps
/// the rules exactly as the server would, refusals included.
///
/// One liberty: a desk whose open tube is still empty takes the mode the
/// queue needs (a single tube for a single-tube person). At the server the
/// desk would give the empty tube up (`POST /v1/tubes/{tube}/lost`) and
/// open a new barcode, which the replay does not do;
/// `SamplingDay.emptyTubesExchanged` counts how often a day needed it.
public enum DaySimulation {
    /// Simulates the day and sums it up. The site (or `parameters.stations`)
    /// must have at least one station.
    /// - Throws: `RuleViolation.modeNotAllowed` when the pool mode asked for
    ///   is not allowed in the site's zone, as the server would refuse it.
    public static func run(_ site: SimulatedSite, parameters: SimulationParameters = .init(), seed: UInt64) throws(RuleViolation)
        -> SimulationReport
    {
        SimulationReport(try trace(site, parameters: parameters, seed: seed))
    }

    /// Everything that happened, for tests and for the report.
    static func trace(_ site: SimulatedSite, parameters: SimulationParameters, seed: UInt64) throws(RuleViolation) -> DayTrace {
        deliver(try sample(site, parameters: parameters, seed: seed), parameters: parameters)
    }

    /// The same day (same site, parameters and seed as `run`) as the steps
    /// to play through the API, and what the server must show afterwards.
    /// - Throws: `RuleViolation.modeNotAllowed`, as `run`.
    public static func script(_ site: SimulatedSite, parameters: SimulationParameters = .init(), seed: UInt64) throws(RuleViolation)
        -> (script: DayScript, report: SimulationReport)
    {
        let (script, trace) = try scriptAndTrace(site, parameters: parameters, seed: seed)
        return (script, SimulationReport(trace))
    }

    /// `script`, with the trace it came from, for a day of a campaign
    /// (`conditions`: what earlier rounds left).
    static func scriptAndTrace(
        _ site: SimulatedSite, parameters: SimulationParameters, seed: UInt64, conditions: DayConditions? = nil
    ) throws(RuleViolation) -> (script: DayScript, trace: DayTrace) {
        var sampled = try sample(site, parameters: parameters, seed: seed, recording: true, conditions: conditions)
        let desks = sampled.day.script ?? []
        sampled.day.script = nil
        let trace = deliver(sampled, parameters: parameters)
        return (DayScript(trace, desks: desks), trace)
    }

    /// The sampling part: who comes, who is infected, and the desks (which
    /// seal ahead of each courier, so the courier interval matters here too).
    static func sample(
        _ site: SimulatedSite, parameters: SimulationParameters, seed: UInt64, recording: Bool = false,
        conditions: DayConditions? = nil
    ) throws(RuleViolation) -> SampledDay {
        let mode = parameters.poolMode ?? site.definition.poolMode
        guard site.definition.zone.allows(mode) else { throw .modeNotAllowed(mode: mode, zone: site.definition.zone) }
        let stations = parameters.stations ?? site.definition.stations.count
        // One stream per concern: more stations must not change who comes or who is infected.
        var root = SeededGenerator(seed: seed)
        var arrivals = SeededGenerator(seed: root.next()), infections = SeededGenerator(seed: root.next())
        let desks = SeededGenerator(seed: root.next())
        let attendance = Attendance.draw(site, parameters, alwaysComes: conditions?.alwaysComes ?? [], using: &arrivals)
        precondition(conditions == nil || attendance.walkIns == 0, "a campaign's day has no walk-ins")
        var infected = conditions?.infected ?? []
        if conditions == nil {
            infected = Infections.draw(
                people: attendance.people, householdCount: attendance.householdCount, prevalence: parameters.prevalence,
                attackRate: parameters.householdAttackRate, using: &infections)
        }
        var day = SamplingDay(
            attendance: attendance, pooledMode: mode, stations: stations, opens: site.opens, parameters: parameters, rng: desks,
            standing: conditions?.standing ?? [])
        if recording { day.script = [] }
        day.play()
        return SampledDay(
            site: site, seed: seed, stations: stations, mode: mode, attendance: attendance, infected: infected, day: day,
            transportSeed: root.next(), labSeed: root.next())
    }

    /// Couriers, lab and retests after a sampled day.
    static func deliver(_ sampled: SampledDay, parameters: SimulationParameters) -> DayTrace {
        var transportRNG = SeededGenerator(seed: sampled.transportSeed), labRNG = SeededGenerator(seed: sampled.labSeed)
        let transport = Transport.carry(
            sampled.day.tubes, sealOrder: sampled.day.sealOrder, opens: sampled.site.opens, parameters: parameters,
            using: &transportRNG)
        let lab = LabWork.run(sampled.day.tubes, transport: transport, infected: sampled.infected, parameters: parameters, using: &labRNG)
        return DayTrace(sampled: sampled, parameters: parameters, transport: transport, lab: lab)
    }
}

/// What earlier rounds of a campaign leave for a day, per roster resident
/// (a campaign's days have no walk-ins).
struct DayConditions: Sendable, Equatable {
    /// Standings as the day begins: anyone not cleared waits in the single lane.
    var standing: [Standing]
    /// Who carries the virus today (the campaign's transmission model).
    var infected: [Bool]
    /// Isolated households: sampled whatever the day's draw (at the door).
    var alwaysComes: [Bool]
}

/// A day after the sampling, before the couriers.
struct SampledDay: Sendable {
    var site: SimulatedSite
    var seed: UInt64
    var stations: Int
    var mode: TubeMode
    var attendance: Attendance
    var infected: [Bool]
    var day: SamplingDay
    var transportSeed: UInt64
    var labSeed: UInt64
}

/// A whole simulated day.
struct DayTrace: Sendable {
    var sampled: SampledDay
    var parameters: SimulationParameters
    var transport: Transport
    var lab: LabWork
}
