import SwablineCore

/// What one simulated day at one site came to: the figures a coordinator
/// plans with. Times are seconds since the day's start; durations are
/// seconds. A value type, equal for equal inputs and seed.
public struct SimulationReport: Sendable, Hashable, Codable {
    public struct Spread: Sendable, Hashable, Codable {
        public var p50: Double
        public var p95: Double
        public var max: Double

        init?(_ values: [Double]) {
            let sorted = values.sorted()
            guard let p50 = Percentile.of(sorted, 0.5), let p95 = Percentile.of(sorted, 0.95) else { return nil }
            self.p50 = p50
            self.p95 = p95
            self.max = sorted.last!
        }
    }

    public struct Tubes: Sendable, Hashable, Codable {
        public var pooled: Int
        public var single: Int
        /// Pooled tubes sealed with empty places (end of a slot, a
        /// household that did not fit, an idle desk).
        public var partlyFilled: Int
        /// Partly filled pooled tubes by why they were sealed (`SealReason` raw values).
        public var partlyFilledBecause: [String: Int]
        /// People in pooled tubes ÷ the places those tubes have.
        public var fillRatio: Double
        public var total: Int { pooled + single }
    }

    public struct Pickup: Sendable, Hashable, Codable {
        public var time: Double
        public var boxes: Int
        public var tubes: Int
        /// When the lab confirmed receipt (on the courier's hand-over).
        public var receivedAt: Double
    }

    public struct SampleAge: Sendable, Hashable, Codable {
        /// Swab to lab receipt, over every sample; nil when nobody was sampled.
        public var spread: Spread?
        public var limit: Double
        public var overLimit: Int
        public var shareOverLimit: Double
    }

    public struct Results: Sendable, Hashable, Codable {
        public var positiveTubes: Int
        public var invalidTubes: Int
        /// People sampled again: pool-positive (single-tube retest) and invalid (resample).
        public var retests: Int
        /// People told to isolate by the first results: everyone in a
        /// positive pool, and single-tube positives.
        public var isolated: Int
        /// Positive after the retests.
        public var confirmedPositive: Int
        /// Infected people who were sampled, and infected people on the missing list.
        public var infectedSampled: Int
        public var infectedMissing: Int
    }

    public var site: String
    public var lab: String
    public var seed: UInt64
    public var stations: Int
    public var poolMode: TubeMode
    public var opens: Double

    /// Residents on the roster.
    public var expected: Int
    public var walkIns: Int
    /// People who checked in: roster residents who came, and walk-ins.
    public var arrived: Int
    /// Roster residents who never came (roster indices, in order): the missing list.
    public var missing: [Int]
    public var sampled: Int

    public var firstArrivalAt: Double?
    /// The last swab of the day: everyone who came is sampled by then.
    public var allSampledAt: Double?
    /// Check-in to swab, over everyone sampled.
    public var wait: Spread?
    /// The most people waiting at once.
    public var peakWaiting: Int
    public var series: [QueueSample]
    public var seriesStep: Double

    public var tubes: Tubes
    /// Scans the admission check refused, by stable code (`household_in_other_tube`, …):
    /// what desks would have been told. Each cost the desk `refusalTime`.
    public var refusals: [String: Int]
    public var pickups: [Pickup]
    public var sampleAge: SampleAge
    public var lastResultAt: Double?
    public var results: Results
    /// Tubes of the day and retest tubes, per person sampled: the clustered,
    /// partly-filled reality to set beside Dorfman's figure.
    public var testsPerPerson: Double

    /// From opening until everyone who came was sampled.
    public var timeToSampleEveryone: Double? { allSampledAt.map { $0 - opens } }
    public var missingCount: Int { missing.count }
}

/// Why a desk sealed a tube. Every reason but `full` leaves empty places,
/// and each points at a different lever: stations, slots, couriers.
public enum SealReason: String, Sendable, Hashable, CaseIterable, Codable {
    case full
    /// The caller answered `seal_tube_first`: the household at the head did
    /// not fit and had been passed as often as allowed.
    case sealTubeFirst = "seal_tube_first"
    /// A scan was refused with "seal this tube" (`household_does_not_fit`).
    case refusal
    /// The desk swabbed nobody for `idleSealAfter`.
    case idle
    /// A courier was about to come (`sealBeforeCourier`).
    case courier
    /// Only single-tube people waited and no other desk was free for them.
    case singleTubeWaiting = "single_tube_waiting"
    /// Nobody else was coming.
    case endOfDay = "end_of_day"
}
