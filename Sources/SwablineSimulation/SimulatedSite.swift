import SwablineCore

/// A site as the simulation sees it: its definition and its residents
/// reduced to what moves the day (household, building, lane, single-tube),
/// with no personal data. Built from a loaded roster, or synthesised.
public struct SimulatedSite: Sendable, Hashable {
    public struct Resident: Sendable, Hashable {
        /// Dense household id, `0..<householdCount`.
        public var household: Int32
        /// Index into `buildings`.
        public var building: Int32
        public var priority: Bool
        public var singleTube: Bool

        public init(household: Int32, building: Int32, priority: Bool, singleTube: Bool) {
            self.household = household
            self.building = building
            self.priority = priority
            self.singleTube = singleTube
        }
    }

    public var definition: SiteDefinition
    /// Building names as the roster writes them.
    public var buildings: [String]
    /// Residents in roster order; members of a household stand together.
    public var residents: [Resident]
    public var householdCount: Int

    public init(definition: SiteDefinition, buildings: [String], residents: [Resident], householdCount: Int) {
        self.definition = definition
        self.buildings = buildings
        self.residents = residents
        self.householdCount = householdCount
    }

    /// The site of a loaded `site.toml` and `roster.csv`.
    public init(definition: SiteDefinition, roster: [RosterEntry]) {
        var households: [String: Int32] = [:], buildingIndex: [String: Int32] = [:]
        var buildings: [String] = []
        var residents: [Resident] = []
        residents.reserveCapacity(roster.count)
        for entry in roster {
            let household = households[entry.household] ?? Int32(households.count)
            households[entry.household] = household
            let building = buildingIndex[entry.building] ?? Int32(buildings.count)
            if buildingIndex[entry.building] == nil {
                buildingIndex[entry.building] = building
                buildings.append(entry.building)
            }
            residents.append(
                Resident(household: household, building: building, priority: entry.priority, singleTube: entry.singleTube))
        }
        self.init(definition: definition, buildings: buildings, residents: residents, householdCount: households.count)
    }

    /// When the site opens and closes, in seconds since the day's start.
    public var opens: Double { Double(definition.opens.minutes * 60) }
    public var closes: Double { Double(definition.closes.minutes * 60) }

    /// When residents of `building` come down: its slot (分时段错峰) when it
    /// has one, else any time the site is open.
    public func arrivalWindow(building: Int32) -> ClosedRange<Double> {
        let name = buildings[Int(building)]
        if let slot = definition.slots.first(where: { $0.building == name }) {
            let from = Double(slot.from.minutes * 60)
            return from...max(from, Double(slot.to.minutes * 60))
        }
        return opens...closes
    }
}
