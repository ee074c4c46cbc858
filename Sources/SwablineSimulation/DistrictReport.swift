import SwablineCore

/// What a district's sites add up to, and the load they put on each lab.
///
/// Each site's simulation assumes its lab keeps up (`labTurnaround`). Here
/// the labs are shared: deliveries from every site queue at the lab, which
/// tests `labCapacityPerHour` tubes an hour, continuously. The backlog is
/// the tubes received and not yet tested; its peak is what the lab must
/// plan staff and machines for.
public struct DistrictReport: Sendable, Hashable, Codable {
    public struct LabLoad: Sendable, Hashable, Codable {
        public var lab: String
        public var sites: Int
        /// Courier deliveries (one per pickup at a site), boxes and tubes received.
        public var deliveries: Int
        public var boxes: Int
        public var tubes: Int
        /// The most tubes received in one clock hour, and which hour it started.
        public var busiestHourTubes: Int
        public var busiestHourStart: Double
        /// The most tubes received and waiting to be tested, and when.
        public var peakBacklog: Double
        public var peakBacklogAt: Double
        /// When the last tube has been tested at `labCapacityPerHour`.
        public var clearedAt: Double
    }

    public var sites: Int
    public var expected: Int
    public var sampled: Int
    public var missing: Int
    public var tubes: Int
    public var retests: Int
    public var isolated: Int
    public var confirmedPositive: Int
    /// The last swab in the district.
    public var lastSampleAt: Double?
    public var labCapacityPerHour: Double
    public var labs: [LabLoad]

    /// - Parameter labCapacityPerHour: tubes one lab tests in an hour; 2,000
    ///   is a mid-sized lab (about 30 PCR machines running 96-well plates).
    public init(_ reports: [SimulationReport], labCapacityPerHour: Double = 2_000) {
        precondition(labCapacityPerHour > 0, "a lab tests some tubes")
        sites = reports.count
        expected = reports.reduce(0) { $0 + $1.expected }
        sampled = reports.reduce(0) { $0 + $1.sampled }
        missing = reports.reduce(0) { $0 + $1.missingCount }
        tubes = reports.reduce(0) { $0 + $1.tubes.total }
        retests = reports.reduce(0) { $0 + $1.results.retests }
        isolated = reports.reduce(0) { $0 + $1.results.isolated }
        confirmedPositive = reports.reduce(0) { $0 + $1.results.confirmedPositive }
        lastSampleAt = reports.compactMap(\.allSampledAt).max()
        self.labCapacityPerHour = labCapacityPerHour
        let byLab = Dictionary(grouping: reports, by: \.lab)
        labs = byLab.keys.sorted().map { lab in
            Self.load(lab: lab, reports: byLab[lab]!, capacityPerHour: labCapacityPerHour)
        }
    }

    static func load(lab: String, reports: [SimulationReport], capacityPerHour: Double) -> LabLoad {
        let deliveries = reports.flatMap(\.pickups).sorted { ($0.receivedAt, $0.tubes) < ($1.receivedAt, $1.tubes) }
        var perHour: [Int: Int] = [:]
        for delivery in deliveries { perHour[Int((delivery.receivedAt / 3_600).rounded(.down)), default: 0] += delivery.tubes }
        let busiest = perHour.max { ($0.value, -$0.key) < ($1.value, -$1.key) }
        let queue = backlog(deliveries.map { ($0.receivedAt, $0.tubes) }, capacityPerHour: capacityPerHour)
        return LabLoad(
            lab: lab, sites: reports.count, deliveries: deliveries.count, boxes: deliveries.reduce(0) { $0 + $1.boxes },
            tubes: deliveries.reduce(0) { $0 + $1.tubes }, busiestHourTubes: busiest?.value ?? 0,
            busiestHourStart: Double((busiest?.key ?? 0) * 3_600), peakBacklog: queue.peak, peakBacklogAt: queue.peakAt,
            clearedAt: queue.clearedAt)
    }

    /// A fluid queue: tubes arrive in lumps (time order) and drain at the
    /// lab's rate between them.
    static func backlog(
        _ deliveries: [(time: Double, tubes: Int)], capacityPerHour: Double
    ) -> (peak: Double, peakAt: Double, clearedAt: Double) {
        let rate = capacityPerHour / 3_600
        var backlog = 0.0, last = deliveries.first?.time ?? 0
        var peak = 0.0, peakAt = last
        for delivery in deliveries {
            backlog = max(0, backlog - rate * (delivery.time - last)) + Double(delivery.tubes)
            last = delivery.time
            if backlog > peak {
                peak = backlog
                peakAt = last
            }
        }
        return (peak, peakAt, last + backlog / rate)
    }
}
