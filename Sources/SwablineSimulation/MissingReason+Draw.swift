import SwablineCore

/// How the simulated door-to-door team hears the core's reasons.
extension MissingReason {
    /// How often each reason is heard, as shares that sum to 1: most are
    /// out or away for the day; few refuse or have moved.
    static let weights: [(MissingReason, Double)] = [
        (.notAtHome, 0.30), (.away, 0.20), (.testedElsewhere, 0.15), (.homebound, 0.10), (.refused, 0.05),
        (.movedOut, 0.05), (.unreachable, 0.15),
    ]

    /// One reason, by the weights.
    static func draw(using rng: inout SeededGenerator) -> MissingReason {
        var left = Double.random(in: 0..<1, using: &rng)
        for (reason, weight) in weights {
            if left < weight { return reason }
            left -= weight
        }
        return weights.last!.0
    }
}
