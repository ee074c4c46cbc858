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
        let weighing = Weighing(site: site, parameters: parameters, seed: seed)
        let poolSize = weighing.poolSizeLines()
        let stations = weighing.stations(for: target)
        let courier = weighing.courierInterval(for: target, stations: stations.chosen)
        return DayAdvice(
            poolSize: weighing.pool, stations: stations.chosen, stationsLowerBound: stations.bound,
            courierInterval: courier.chosen, lines: poolSize + stations.lines + courier.lines)
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
