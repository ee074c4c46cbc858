import Foundation

/// The virus between a campaign's days: inside households, where people
/// share air whatever the compound does, and a small community seed for
/// anyone not isolated. Day 0 starts from the day model's clustered draw
/// (`Infections`); a person is infected at most once.
struct Transmission: Sendable, Equatable {
    /// The day each person was infected, nil for never.
    private(set) var infectedOn: [Int?]
    /// Members of each household, by person.
    let households: [[Int32]]

    init(site: SimulatedSite, day: SimulationParameters, using rng: inout SeededGenerator) {
        var members = [[Int32]](repeating: [], count: site.householdCount)
        for (person, resident) in site.residents.enumerated() { members[Int(resident.household)].append(Int32(person)) }
        households = members
        let first = Infections.draw(
            people: site.residents, householdCount: site.householdCount, prevalence: day.prevalence,
            attackRate: day.householdAttackRate, using: &rng)
        infectedOn = first.map { $0 ? 0 : nil }
    }

    /// Whose swab is positive on `day`: infected on or before it, for `detectableDays`.
    func carriers(on day: Int, detectableDays: Int) -> [Bool] {
        infectedOn.map { on in on.map { $0 <= day && day - $0 < detectableDays } ?? false }
    }

    /// Infections from `day` to the next: each member who never had it is
    /// infected with 1 − (1 − a)^k for k carriers at home, and with the
    /// community rate unless the household is isolated. Everyone takes one
    /// draw, so a change in one household moves no other's.
    mutating func spread(after day: Int, isolated: [Bool], parameters: CampaignParameters, using rng: inout SeededGenerator) {
        let carrying = carriers(on: day, detectableDays: parameters.detectableDays)
        for (household, members) in households.enumerated() {
            let carriers = members.reduce(0) { $0 + (carrying[Int($1)] ? 1 : 0) }
            let home = 1 - pow(1 - parameters.householdDailyAttackRate, Double(carriers))
            let community = isolated[household] ? 0 : parameters.communityDailyRate
            let chance = 1 - (1 - home) * (1 - community)
            for person in members {
                let draw = Double.random(in: 0..<1, using: &rng)
                if infectedOn[Int(person)] == nil, draw < chance { infectedOn[Int(person)] = day + 1 }
            }
        }
    }
}
