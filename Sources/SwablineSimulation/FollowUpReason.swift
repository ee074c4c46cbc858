/// Why a missing person was not sampled in a round, as the door-to-door
/// team records it (应检尽检: 「敲门入户、走街串铺、线上电话」). The raw
/// values are the server's (`POST /v1/residents/{code}/follow-up`).
public enum FollowUpReason: String, Sendable, Hashable, CaseIterable, Codable {
    case notAtHome = "not_at_home"
    case away
    case testedElsewhere = "tested_elsewhere"
    case homebound
    case refused
    case movedOut = "moved_out"
    case unreachable

    /// How often each reason is heard, as shares that sum to 1: most are
    /// out or away for the day; few refuse or have moved.
    static let weights: [(FollowUpReason, Double)] = [
        (.notAtHome, 0.30), (.away, 0.20), (.testedElsewhere, 0.15), (.homebound, 0.10), (.refused, 0.05),
        (.movedOut, 0.05), (.unreachable, 0.15),
    ]

    /// One reason, by the weights.
    static func draw(using rng: inout SeededGenerator) -> FollowUpReason {
        var left = Double.random(in: 0..<1, using: &rng)
        for (reason, weight) in weights {
            if left < weight { return reason }
            left -= weight
        }
        return weights.last!.0
    }
}
