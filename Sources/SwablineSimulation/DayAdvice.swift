/// A plan for one site's day: which tube mode, how many stations, how
/// often a courier. Each answer comes with its reasoning as data
/// (`lines`), one line per option weighed, so a command line or a page can
/// show why.
///
/// - Pool size: Dorfman's figure for each mode the zone allows decides
///   (`PoolSizeAdvice`); the simulated figure at each mode is shown beside
///   it (households clustered, partly filled tubes, single-tube people).
/// - Stations: the fewest that meet the target in a simulated day at the
///   recommended mode, searched upward from an analytic lower bound (all
///   swabbing and tube changes spread perfectly over the open hours), so
///   counts below the bound are never simulated.
/// - Courier: the longest interval among the candidates whose simulated
///   day keeps every sample under `sampleAgeLimit` at lab receipt, with
///   the recommended mode and stations.
///
/// Every simulated day uses the same seed, so options are compared on the
/// same arrivals and infections.
public struct DayAdvice: Sendable, Hashable, Codable {
    public struct Target: Sendable, Hashable, Codable {
        /// Everyone who came is sampled by then (seconds since the day's start).
        public var finishBy: Double
        /// And 95 % of them waited at most this long.
        public var maxWaitP95: Double
        /// Counts above this are not tried.
        public var maxStations: Int
        /// Courier intervals to weigh, in seconds.
        public var courierIntervals: [Double]

        public init(
            finishBy: Double, maxWaitP95: Double = 1_800, maxStations: Int = 40,
            courierIntervals: [Double] = [30, 60, 90, 120, 180, 240].map { $0 * 60 }
        ) {
            self.finishBy = finishBy
            self.maxWaitP95 = maxWaitP95
            self.maxStations = maxStations
            self.courierIntervals = courierIntervals
        }

        /// Everyone sampled within 30 min of closing, 95 % waiting under 30 min.
        public static func standard(for site: SimulatedSite) -> Target { Target(finishBy: site.closes + 1_800) }
    }

    public struct Line: Sendable, Hashable, Codable {
        public enum Subject: String, Sendable, Hashable, Codable { case poolSize = "pool_size", stations, courier }
        /// Where the figure comes from.
        public enum Basis: String, Sendable, Hashable, Codable { case dorfman, simulation, bound }

        public var subject: Subject
        public var basis: Basis
        /// The option weighed: a tube mode's raw value, a station count, an interval in seconds.
        public var option: String
        /// Tests per person, seconds, or stations, as `text` says.
        public var figure: Double
        public var chosen: Bool
        public var text: String
    }

    public var poolSize: PoolSizeAdvice
    /// The fewest stations meeting the target; nil when none up to `maxStations` does.
    public var stations: Int?
    public var stationsLowerBound: Int
    /// The longest courier interval keeping every sample under the limit; nil when none does.
    public var courierInterval: Double?
    public var lines: [Line]

    public static func advise(
        _ site: SimulatedSite, parameters: SimulationParameters = .init(), seed: UInt64, target: Target
    ) -> DayAdvice {
        let zone = site.definition.zone
        let pool = PoolSizeAdvice(prevalence: parameters.prevalence, zone: zone)
        var lines: [Line] = []
        func run(_ change: (inout SimulationParameters) -> Void) -> SimulationReport {
            var p = parameters
            p.poolMode = pool.recommended
            change(&p)
            // Only modes the zone allows are ever asked for.
            do { return try DaySimulation.run(site, parameters: p, seed: seed) } catch { preconditionFailure("\(error)") }
        }
        let percent = parameters.prevalence * 100
        for option in pool.options {
            let mode = option.mode.rawValue, chosen = option.mode == pool.recommended
            lines.append(
                Line(
                    subject: .poolSize, basis: .dorfman, option: mode, figure: option.testsPerPerson, chosen: chosen,
                    text: "\(mode): \(fixedPoint(option.testsPerPerson, 3)) tests per person expected"
                        + " at \(fixedPoint(percent, 2)) % prevalence (Dorfman, infections independent)"))
            let day = run { $0.poolMode = option.mode }
            lines.append(
                Line(
                    subject: .poolSize, basis: .simulation, option: mode, figure: day.testsPerPerson, chosen: chosen,
                    text: "\(mode): \(fixedPoint(day.testsPerPerson, 3)) tests per person in the simulated day (households share tubes,"
                        + " \(fixedPoint(day.tubes.fillRatio * 100, 0)) % of pooled places filled, \(day.results.retests) retests)"))
        }
        let best = pool.optimum
        lines.append(
            Line(
                subject: .poolSize, basis: .dorfman, option: "\(best.poolSize)", figure: best.testsPerPerson, chosen: false,
                text: "Over pools of 1–100 the best is \(best.poolSize)-in-1 at \(fixedPoint(best.testsPerPerson, 3)) tests per person;"
                    + " a \(zone.rawValue) zone allows \(zone.allowedModes.map(\.rawValue).joined(separator: ", "))"))

        // Stations: a lower bound, then simulated days upward from it.
        let people = Double(site.residents.count) * (1 - parameters.missingShare + parameters.walkInShare)
        let work = people * parameters.serviceTime.mean + people / Double(pool.recommended.capacity) * parameters.tubeChange.mean
        let bound = max(1, Int((work / max(1, target.finishBy - site.opens)).rounded(.up)))
        lines.append(
            Line(
                subject: .stations, basis: .bound, option: "\(bound)", figure: Double(bound), chosen: false,
                text: "At least \(bound) station\(bound == 1 ? "" : "s"): \(DayTime.duration(work)) of swabbing and tube changes"
                    + " between opening and \(DayTime.clock(target.finishBy))"))
        var stations: Int?
        var count = bound
        while count <= target.maxStations {
            let day = run { $0.stations = count }
            let finished = day.allSampledAt ?? site.opens
            let waitP95 = day.wait?.p95 ?? 0
            let meets = finished <= target.finishBy && waitP95 <= target.maxWaitP95
            lines.append(
                Line(
                    subject: .stations, basis: .simulation, option: "\(count)", figure: finished, chosen: meets,
                    text: "\(count) station\(count == 1 ? "" : "s"): everyone sampled by \(DayTime.clock(finished)),"
                        + " 95 % waited under \(DayTime.duration(waitP95)), at most \(day.peakWaiting) waiting at once"))
            if meets {
                stations = count
                break
            }
            count += 1
        }

        // Couriers: the longest interval that keeps every sample under the limit.
        var interval: Double?
        var courierLines: [Line] = []
        for candidate in target.courierIntervals.sorted() {
            let day = run {
                $0.stations = stations ?? parameters.stations
                $0.courierInterval = candidate
            }
            let oldest = day.sampleAge.spread?.max ?? 0
            let fits = day.sampleAge.overLimit == 0
            if fits { interval = candidate }
            courierLines.append(
                Line(
                    subject: .courier, basis: .simulation, option: "\(Int(candidate))", figure: oldest, chosen: false,
                    text: "A courier every \(DayTime.duration(candidate)): oldest sample \(DayTime.duration(oldest)) at receipt,"
                        + " \(day.sampleAge.overLimit) over \(DayTime.duration(parameters.sampleAgeLimit)),"
                        + " \(day.pickups.count) runs,"
                        + " \(day.tubes.partlyFilledBecause[SealReason.courier.rawValue] ?? 0) tubes sealed early for them"))
        }
        for i in courierLines.indices where Double(courierLines[i].option) == interval { courierLines[i].chosen = true }
        lines += courierLines
        return DayAdvice(poolSize: pool, stations: stations, stationsLowerBound: bound, courierInterval: interval, lines: lines)
    }
}

/// `value` with `digits` decimals, without Foundation's formatters.
func fixedPoint(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((abs(value) * scale).rounded())
    let whole = scaled / Int(scale), fraction = scaled % Int(scale)
    var text = String(fraction)
    while text.count < digits { text = "0" + text }
    return (value < 0 && scaled != 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + text : "")
}
