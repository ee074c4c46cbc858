/// Coverage counts (应检尽检): of the people expected, how many checked in,
/// were sampled, and have a result.
public struct CoverageCounts: Sendable, Hashable, Codable {
    public var expected = 0
    public var checkedIn = 0
    public var sampled = 0
    public var resulted = 0
    /// Not sampled, closed with a reason (`MissingReason`).
    public var closed = 0
    /// Not sampled and no reason yet: open tasks for the door-to-door team.
    public var open: Int { max(0, expected - sampled - closed) }

    public init(expected: Int = 0, checkedIn: Int = 0, sampled: Int = 0, resulted: Int = 0, closed: Int = 0) {
        self.expected = expected
        self.checkedIn = checkedIn
        self.sampled = sampled
        self.resulted = resulted
        self.closed = closed
    }

    enum CodingKeys: String, CodingKey {
        case expected, checkedIn, sampled, resulted, closed, open
    }

    // `open` is sent for readers' sake and derived, never read back.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            expected: try c.decode(Int.self, forKey: .expected), checkedIn: try c.decode(Int.self, forKey: .checkedIn),
            sampled: try c.decode(Int.self, forKey: .sampled), resulted: try c.decode(Int.self, forKey: .resulted),
            closed: try c.decodeIfPresent(Int.self, forKey: .closed) ?? 0)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(expected, forKey: .expected)
        try c.encode(checkedIn, forKey: .checkedIn)
        try c.encode(sampled, forKey: .sampled)
        try c.encode(resulted, forKey: .resulted)
        try c.encode(closed, forKey: .closed)
        try c.encode(open, forKey: .open)
    }

    public static func + (a: CoverageCounts, b: CoverageCounts) -> CoverageCounts {
        CoverageCounts(
            expected: a.expected + b.expected, checkedIn: a.checkedIn + b.checkedIn, sampled: a.sampled + b.sampled,
            resulted: a.resulted + b.resulted, closed: a.closed + b.closed)
    }
}

/// Coverage of one site, rolled up building → unit → household.
public struct CoverageTree: Sendable, Hashable, Codable {
    public struct Household: Sendable, Hashable, Codable {
        public var household: String
        public var room: String
        public var counts: CoverageCounts
    }

    public struct Unit: Sendable, Hashable, Codable {
        public var unit: String
        public var counts: CoverageCounts
        public var households: [Household]
    }

    public struct Building: Sendable, Hashable, Codable {
        public var building: String
        public var counts: CoverageCounts
        public var units: [Unit]
    }

    public var counts: CoverageCounts
    public var buildings: [Building]

    /// One household's counts with its address.
    public struct Row: Sendable, Hashable {
        public var building: String
        public var unit: String
        public var room: String
        public var household: String
        public var counts: CoverageCounts

        public init(building: String, unit: String, room: String, household: String, counts: CoverageCounts) {
            self.building = building
            self.unit = unit
            self.room = room
            self.household = household
            self.counts = counts
        }
    }

    /// Rolls household rows up into buildings and units, in natural order
    /// ("2" before "10").
    public static func rollUp(_ rows: [Row]) -> CoverageTree {
        let byBuilding = Dictionary(grouping: rows, by: \.building)
        let buildings = byBuilding.keys.sorted(by: naturalOrder).map { building -> Building in
            let byUnit = Dictionary(grouping: byBuilding[building]!, by: \.unit)
            let units = byUnit.keys.sorted(by: naturalOrder).map { unit -> Unit in
                let households = byUnit[unit]!.sorted { naturalOrder($0.room, $1.room) }
                    .map { Household(household: $0.household, room: $0.room, counts: $0.counts) }
                return Unit(unit: unit, counts: households.reduce(CoverageCounts()) { $0 + $1.counts }, households: households)
            }
            return Building(building: building, counts: units.reduce(CoverageCounts()) { $0 + $1.counts }, units: units)
        }
        return CoverageTree(counts: buildings.reduce(CoverageCounts()) { $0 + $1.counts }, buildings: buildings)
    }

    /// Numbers compare as numbers, then text as text.
    public static func naturalOrder(_ a: String, _ b: String) -> Bool {
        switch (Int(a), Int(b)) {
        case let (x?, y?): x < y
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): a < b
        }
    }
}
