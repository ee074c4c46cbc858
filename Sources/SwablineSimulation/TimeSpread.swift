import Foundation

/// How long something takes, as a spread of durations in seconds: a swab,
/// a tube change, a courier's drive, the lab's turnaround.
///
/// Few shapes on purpose: a fixed time for what is fixed, a range for what
/// varies evenly, and a log-normal for what has a long tail (most swabs take
/// about 15 s, a crying child takes a minute).
public enum TimeSpread: Sendable, Hashable, Codable {
    case fixed(Double)
    /// Evenly spread over `low...high`.
    case uniform(low: Double, high: Double)
    /// Half the durations are under `median`; `sigma` is the spread of the
    /// logarithm (0.3: one in twenty takes over 1.6 × the median).
    case lognormal(median: Double, sigma: Double)

    /// One duration drawn from the spread.
    public func draw(using rng: inout SeededGenerator) -> Double {
        switch self {
        case let .fixed(value):
            return value
        case let .uniform(low, high):
            return low == high ? low : Double.random(in: low...high, using: &rng)
        case let .lognormal(median, sigma):
            // Box–Muller; 1 − u keeps the logarithm away from zero.
            let u1 = 1 - Double.random(in: 0..<1, using: &rng)
            let u2 = Double.random(in: 0..<1, using: &rng)
            let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            return median * exp(sigma * normal)
        }
    }

    /// The average duration, for analytic bounds.
    public var mean: Double {
        switch self {
        case let .fixed(value): value
        case let .uniform(low, high): (low + high) / 2
        case let .lognormal(median, sigma): median * exp(sigma * sigma / 2)
        }
    }

    /// The longest duration the spread can give, or nil when it has no bound.
    public var upperBound: Double? {
        switch self {
        case let .fixed(value): value
        case let .uniform(_, high): high
        case .lognormal: nil
        }
    }
}
