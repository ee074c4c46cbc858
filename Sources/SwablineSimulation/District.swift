import SwablineCore

/// Many sites on one day: made-up compounds for planning a whole district,
/// and what their days add up to at the labs.
public enum District {
    /// `count` made-up compounds (155 by default, a district's worth), the
    /// same for the same seed: 150–2,500 households each (unless told), mostly in
    /// precaution zones (75 %; 20 % controlled, 5 % sealed, pooling as
    /// their zone allows), spread evenly over `labs` labs.
    public static func communities(
        count: Int = 155, households: ClosedRange<Int> = 150...2_500, labs: Int = 4, seed: UInt64
    ) -> [SimulatedSite] {
        precondition(labs >= 1, "a district sends its tubes to at least one lab")
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            let roll = Int.random(in: 0..<100, using: &rng)
            let zone: Zone = roll < 75 ? .precaution : roll < 95 ? .controlled : .sealed
            return SimulatedSite.synthetic(
                id: "c\(index + 1)", households: Int.random(in: households, using: &rng), zone: zone,
                poolMode: zone == .sealed ? .pooled5 : .pooled10, lab: "lab-\(index % labs + 1)", seed: rng.next())
        }
    }

    /// Each site's day, each with its own seed drawn from `seed`. Sites do
    /// not affect each other's day, so a caller may as well run them in
    /// parallel with `DaySimulation.run` and the same seeds (`seeds`).
    public static func simulate(
        _ sites: [SimulatedSite], parameters: SimulationParameters = .init(), seed: UInt64
    ) throws(RuleViolation) -> [SimulationReport] {
        let seeds = seeds(count: sites.count, seed: seed)
        var reports: [SimulationReport] = []
        for (site, seed) in zip(sites, seeds) { reports.append(try DaySimulation.run(site, parameters: parameters, seed: seed)) }
        return reports
    }

    /// The seed of each site's day in `simulate`.
    public static func seeds(count: Int, seed: UInt64) -> [UInt64] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rng.next() }
    }
}
