import SwablineCore

extension SimulatedSite {
    /// A made-up compound, the same for the same seed: households of 1–6 in
    /// the shares of `scripts/generate_rosters.py` (25, 30, 21, 13, 7, 4 %),
    /// about 20 % in the priority lane and 1.5 % single-tube, buildings of
    /// 20–120 households. Compounds over 600 households call their buildings
    /// in hourly slots from opening until an hour before closing, as
    /// 华夏里社区 does; smaller ones come any time.
    ///
    /// - Parameters:
    ///   - stations: nil gives one station per 500 residents, at least 2.
    public static func synthetic(
        id: String, households: Int, stations: Int? = nil, zone: Zone = .precaution, poolMode: TubeMode = .pooled10,
        lab: String = "lab-1", seed: UInt64
    ) -> SimulatedSite {
        precondition(households > 0, "a compound has at least one household")
        var rng = SeededGenerator(seed: seed)
        let sizes = [(1, 25), (2, 30), (3, 21), (4, 13), (5, 7), (6, 4)]
        var residents: [Resident] = []
        var buildingHouseholds: [Int] = []
        var building: Int32 = -1, left = 0
        for household in 0..<households {
            if left == 0 {
                building += 1
                left = Int.random(in: 20...120, using: &rng)
                buildingHouseholds.append(0)
            }
            left -= 1
            buildingHouseholds[Int(building)] += 1
            var pick = Int.random(in: 0..<100, using: &rng), size = 1
            for (s, weight) in sizes {
                if pick < weight { size = s; break }
                pick -= weight
            }
            for _ in 0..<size {
                residents.append(
                    Resident(
                        household: Int32(household), building: building,
                        priority: Double.random(in: 0..<1, using: &rng) < 0.2,
                        singleTube: Double.random(in: 0..<1, using: &rng) < 0.015))
            }
        }
        let names = buildingHouseholds.indices.map { String($0 + 1) }
        let opens = LocalTime("07:00")!, closes = LocalTime("19:00")!
        var slots: [SiteDefinition.Slot] = []
        if households > 600 {
            // Hourly windows, each carrying about the same number of households.
            let windows = (closes.minutes - opens.minutes) / 60 - 1
            var carried = 0
            for (b, count) in buildingHouseholds.enumerated() {
                let window = min(windows - 1, carried * windows / households)
                carried += count
                slots.append(
                    SiteDefinition.Slot(
                        building: names[b], from: Self.time(opens.minutes + 60 * window),
                        to: Self.time(opens.minutes + 60 * (window + 1))))
            }
        }
        let stationCount = stations ?? max(2, (residents.count + 499) / 500)
        let definition = SiteDefinition(
            id: id, name: id, address: "synthetic", timeZone: "Asia/Shanghai", zone: zone, poolMode: poolMode, lab: lab,
            opens: opens, closes: closes,
            stations: (1...stationCount).map { SiteDefinition.Station(id: "s\($0)", name: "\($0)号采样台") }, slots: slots)
        return SimulatedSite(definition: definition, buildings: names, residents: residents, householdCount: households)
    }

    private static func time(_ minutes: Int) -> LocalTime {
        let h = minutes / 60, m = minutes % 60
        return LocalTime((h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)")!
    }
}
