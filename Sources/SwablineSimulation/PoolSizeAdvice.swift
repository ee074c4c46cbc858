import SwablineCore

/// Which tube mode to use at a site: the Dorfman figure for each mode the
/// zone allows, the one needing the fewest tests, and the unconstrained
/// optimum for comparison ("20-in-1 would be best, but the zone allows 10").
///
/// Only tests are weighed. The zone's bound is about something Dorfman
/// does not see: a positive pool in a sealed compound must lead back to as
/// few people as possible, and fast.
public struct PoolSizeAdvice: Sendable, Hashable, Codable {
    public struct Option: Sendable, Hashable, Codable {
        public var mode: TubeMode
        /// Expected tests per person (Dorfman, independent infections).
        public var testsPerPerson: Double
    }

    public var prevalence: Double
    public var zone: Zone
    /// Every mode the zone allows, in the zone's order.
    public var options: [Option]
    /// The allowed mode with the fewest expected tests per person.
    public var recommended: TubeMode
    /// The best pool size over 1…100, whatever the zone allows.
    public var optimum: PoolSizeFigure

    public init(prevalence: Double, zone: Zone) {
        precondition((0...1).contains(prevalence), "prevalence is a share, 0…1")
        self.prevalence = prevalence
        self.zone = zone
        options = zone.allowedModes.map {
            Option(mode: $0, testsPerPerson: Dorfman.testsPerPerson(poolSize: $0.capacity, prevalence: prevalence))
        }
        // Ties go to the smaller tube, as in `Dorfman.optimum`.
        recommended =
            options.min {
                ($0.testsPerPerson, $0.mode.capacity) < ($1.testsPerPerson, $1.mode.capacity)
            }!.mode
        optimum = Dorfman.optimum(prevalence: prevalence)
    }

    /// The expected tests per person of `mode`, allowed or not.
    public func testsPerPerson(_ mode: TubeMode) -> Double {
        Dorfman.testsPerPerson(poolSize: mode.capacity, prevalence: prevalence)
    }
}
