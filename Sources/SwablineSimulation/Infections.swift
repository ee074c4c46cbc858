/// Who is infected on the day, clustered by household.
///
/// The model: each household is infected with one chance `h`; an infected
/// household has one index case, and every other member is infected with
/// the household attack rate `q`. `h` is chosen so the expected share of
/// infected people equals the prevalence `p`:
///
///     h = p · N / Σ over households (1 + q · (size − 1))
///
/// Everyone is drawn, those who never come too (they are the infections a
/// round misses). Because a household shares a tube, clustering puts
/// several infections in one pool; Dorfman's independent figure does not
/// see that.
enum Infections {
    static func draw(
        people: [SimulatedSite.Resident], householdCount: Int, prevalence: Double, attackRate: Double,
        using rng: inout SeededGenerator
    ) -> [Bool] {
        var members = [[Int32]](repeating: [], count: householdCount)
        for (person, resident) in people.enumerated() { members[Int(resident.household)].append(Int32(person)) }
        let weight = members.reduce(0.0) { $0 + ($1.isEmpty ? 0 : 1 + attackRate * Double($1.count - 1)) }
        let chance = weight > 0 ? min(1, prevalence * Double(people.count) / weight) : 0
        var infected = [Bool](repeating: false, count: people.count)
        for household in members where !household.isEmpty {
            guard Double.random(in: 0..<1, using: &rng) < chance else { continue }
            let index = Int.random(in: 0..<household.count, using: &rng)
            for (i, person) in household.enumerated() {
                infected[Int(person)] = i == index || Double.random(in: 0..<1, using: &rng) < attackRate
            }
        }
        return infected
    }
}
