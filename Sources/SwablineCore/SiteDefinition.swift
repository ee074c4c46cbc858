/// A time of day on a site's wall clock ("07:30"), in the site's time zone.
public struct LocalTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var minutes: Int

    /// Reads exactly `HH:MM`, two ASCII digits each (`Int` alone would
    /// also take "+7:+0" and "-0:30").
    public init?(_ text: String) {
        let parts = text.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { (0x30...0x39).contains($0) } }),
            let hour = Int(Substring(parts[0])), let minute = Int(Substring(parts[1])), (0..<24).contains(hour),
            (0..<60).contains(minute)
        else { return nil }
        minutes = hour * 60 + minute
    }

    public var description: String {
        let h = minutes / 60, m = minutes % 60
        return TwoDigits.text(h) + ":" + TwoDigits.text(m)
    }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.minutes < rhs.minutes }
}

/// One testing site (采样点) in one compound, as `sites/<name>/site.toml`
/// defines it.
public struct SiteDefinition: Sendable, Hashable {
    public struct Station: Sendable, Hashable {
        public var id: String
        public var name: String
        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// The window in which a building is called to come down (分时段错峰).
    public struct Slot: Sendable, Hashable {
        public var building: String
        public var from: LocalTime
        public var to: LocalTime
        public init(building: String, from: LocalTime, to: LocalTime) {
            self.building = building
            self.from = from
            self.to = to
        }
    }

    public var id: String
    public var name: String
    public var address: String
    public var timeZone: String
    public var zone: Zone
    public var poolMode: TubeMode
    public var lab: String
    public var opens: LocalTime
    public var closes: LocalTime
    public var stations: [Station]
    public var slots: [Slot]
    /// Days of home isolation after a positive or pool-positive result, for the site's zone.
    public var isolationDays: Int
    /// Whether the gate asks for a temperature at check-in (扫码、登记、测温).
    public var triageTemperature: Bool

    /// Home isolation lasts this long unless `site.toml` says otherwise for the zone.
    public static let defaultIsolationDays = 7

    public init(
        id: String, name: String, address: String, timeZone: String, zone: Zone, poolMode: TubeMode, lab: String,
        opens: LocalTime, closes: LocalTime, stations: [Station], slots: [Slot],
        isolationDays: Int = SiteDefinition.defaultIsolationDays, triageTemperature: Bool = false
    ) {
        self.isolationDays = isolationDays
        self.triageTemperature = triageTemperature
        self.id = id
        self.name = name
        self.address = address
        self.timeZone = timeZone
        self.zone = zone
        self.poolMode = poolMode
        self.lab = lab
        self.opens = opens
        self.closes = closes
        self.stations = stations
        self.slots = slots
    }
}
