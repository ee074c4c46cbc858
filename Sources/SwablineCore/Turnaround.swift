/// How long one step of the chain of custody took, as a distribution:
/// sampling → lab receipt (per sample), receipt → result (per tube). The
/// coordinator's dashboard draws it; the core only counts (times are
/// passed in as durations, in seconds).
public struct Turnaround: Sendable, Hashable {
    /// A sample should reach the lab within 4 hours of the swab.
    public static let receiptLimit: Double = 4 * 3600

    /// One bar of a histogram: durations in `lower ..< upper`, or at least
    /// `lower` for the last bin when it is open (`upper` nil).
    public struct Bin: Sendable, Hashable {
        public var lower: Double
        public var upper: Double?
        public var count: Int
    }

    /// Sorted; a negative duration (clocks a little apart) counts as 0.
    public private(set) var durations: [Double]

    public init(_ durations: [Double]) {
        self.durations = durations.filter(\.isFinite).map { max(0, $0) }.sorted()
    }

    public var count: Int { durations.count }

    /// The middle duration (the mean of the two middle ones for an even count), nil when empty.
    public var median: Double? {
        guard !durations.isEmpty else { return nil }
        let middle = durations.count / 2
        return durations.count % 2 == 1 ? durations[middle] : (durations[middle - 1] + durations[middle]) / 2
    }

    /// The share (0…1) of durations at or past `limit`; 0 when empty.
    public func share(atLeast limit: Double) -> Double {
        guard !durations.isEmpty else { return 0 }
        let below = durations.partitioningIndex { $0 >= limit }
        return Double(durations.count - below) / Double(durations.count)
    }

    /// Bins of `width` seconds from 0: at least `minBins` (so a chart keeps
    /// its scale on a quiet morning), at most `maxBins`, the last one open
    /// when longer durations do not fit.
    public func histogram(width: Double, minBins: Int = 1, maxBins: Int) -> [Bin] {
        precondition(width > 0 && maxBins >= 1 && minBins <= maxBins)
        let needed = durations.last.map { Int(($0 / width).rounded(.down)) + 1 } ?? 0
        let bins = min(maxBins, max(minBins, needed))
        let open = needed > maxBins
        var counts = Array(repeating: 0, count: bins)
        for duration in durations { counts[min(bins - 1, Int((duration / width).rounded(.down)))] += 1 }
        return counts.enumerated().map { index, count in
            let lower = Double(index) * width
            return Bin(lower: lower, upper: open && index == bins - 1 ? nil : lower + width, count: count)
        }
    }

    /// Two distributions as one (sites added up for the district).
    public static func + (a: Turnaround, b: Turnaround) -> Turnaround { Turnaround(a.durations + b.durations) }
}

extension Array {
    /// The first index whose element satisfies `belongs`, in an array
    /// partitioned so that all such elements come last.
    fileprivate func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
