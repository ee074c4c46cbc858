/// The queue over the day in fixed steps (5 min by default): how many wait
/// at the start of each step, and per station how many were swabbed in it
/// and how long they had waited. A site has one queue that every station
/// calls from, so the queue length is the site's; waits are per station.
public struct QueueSample: Sendable, Hashable, Codable {
    public struct Station: Sendable, Hashable, Codable {
        public var sampled: Int
        /// Waits (check-in to swab) of the people swabbed in this step; nil when nobody was.
        public var waitP50: Double?
        public var waitP95: Double?
    }

    /// The start of the step, in seconds since the day's start.
    public var time: Double
    /// People checked in and not yet called, at `time`.
    public var waiting: Int
    public var stations: [Station]
}

/// Builds the series while the day is played.
struct QueueSeries: Sendable {
    let start: Double
    let step: Double
    private(set) var samples: [QueueSample] = []
    private var bucketStart: Double
    private var bucketWaiting = 0
    private var started = false
    private var waits: [[Double]]

    init(start: Double, step: Double, stations: Int) {
        precondition(step > 0, "the series needs a positive step")
        self.start = start
        self.step = step
        bucketStart = start
        waits = [[Double]](repeating: [], count: stations)
    }

    /// Called before each event at `now`, with the queue as it stands.
    mutating func advance(to now: Double, waiting: Int) {
        if !started, now >= start {
            started = true
            bucketWaiting = waiting
        }
        while started, now >= bucketStart + step {
            close()
            bucketWaiting = waiting
        }
    }

    mutating func sampled(station: Int, wait: Double) { waits[station].append(wait) }

    /// Closes the steps up to and including the one holding `end`.
    mutating func finish(at end: Double, waiting: Int) {
        advance(to: end, waiting: waiting)
        if started { close() }
    }

    private mutating func close() {
        let stations = waits.map { waits -> QueueSample.Station in
            let sorted = waits.sorted()
            return QueueSample.Station(
                sampled: sorted.count, waitP50: Percentile.of(sorted, 0.5), waitP95: Percentile.of(sorted, 0.95))
        }
        samples.append(QueueSample(time: bucketStart, waiting: bucketWaiting, stations: stations))
        for i in waits.indices { waits[i].removeAll(keepingCapacity: true) }
        bucketStart += step
    }
}

/// Nearest-rank percentiles: always a value that occurred.
enum Percentile {
    static func of(_ sorted: [Double], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
