/// Who comes down to the site and when, drawn before the day is played.
///
/// Each building's residents arrive as a Poisson process over its slot:
/// given how many come, their times are independent and even over the
/// slot, which is how they are drawn. A household comes as one group (its
/// members check in one after another), except members who stay away
/// (`missingShare`) and stragglers who come on their own (`stragglerShare`).
struct Attendance: Sendable, Equatable {
    /// People checking in together, in roster order.
    struct Arrival: Sendable, Equatable {
        var time: Double
        var people: [Int32]
    }

    /// The roster's residents (same indices), then the walk-ins.
    var people: [SimulatedSite.Resident]
    var householdCount: Int
    /// In check-in order.
    var arrivals: [Arrival]
    /// Roster residents who never come: the missing list, in roster order.
    var missing: [Int32]
    var walkIns: Int

    /// - Parameter alwaysComes: per roster resident, whether they are sure
    ///   to be sampled (an isolated household, sampled at the door); empty:
    ///   nobody is. They still take their draw, so the others' draws do not move.
    static func draw(
        _ site: SimulatedSite, _ parameters: SimulationParameters, alwaysComes: [Bool] = [], using rng: inout SeededGenerator
    ) -> Attendance {
        var people = site.residents
        var arrivals: [Arrival] = []
        var missing: [Int32] = []
        var members = [[Int32]](repeating: [], count: site.householdCount)
        for (person, resident) in site.residents.enumerated() { members[Int(resident.household)].append(Int32(person)) }
        for household in members where !household.isEmpty {
            let window = site.arrivalWindow(building: site.residents[Int(household[0])].building)
            var group: Arrival?
            for person in household {
                let staysAway = Double.random(in: 0..<1, using: &rng) < parameters.missingShare
                if staysAway, alwaysComes.isEmpty || !alwaysComes[Int(person)] {
                    missing.append(person)
                } else if group != nil, Double.random(in: 0..<1, using: &rng) < parameters.stragglerShare {
                    arrivals.append(Arrival(time: Double.random(in: window, using: &rng), people: [person]))
                } else if group == nil {
                    group = Arrival(time: Double.random(in: window, using: &rng), people: [person])
                } else {
                    group!.people.append(person)
                }
            }
            if let group { arrivals.append(group) }
        }
        missing.sort()
        let walkIns = Int((Double(site.residents.count) * parameters.walkInShare).rounded())
        var householdCount = site.householdCount
        for _ in 0..<walkIns {
            people.append(SimulatedSite.Resident(household: Int32(householdCount), building: -1, priority: false, singleTube: false))
            arrivals.append(Arrival(time: Double.random(in: site.opens...site.closes, using: &rng), people: [Int32(people.count - 1)]))
            householdCount += 1
        }
        // Stable: two groups drawn at the same instant keep their roster order.
        let ordered = arrivals.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        return Attendance(people: people, householdCount: householdCount, arrivals: ordered, missing: missing, walkIns: walkIns)
    }
}
