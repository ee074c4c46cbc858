import SwablineCore

/// Everything about a simulated day that the site folder does not say: how
/// people behave, how fast desks, couriers and labs are, how much infection
/// there is. Times are seconds. The defaults describe an ordinary
/// whole-population round; each says where it comes from.
public struct SimulationParameters: Sendable, Hashable, Codable {
    /// Sampling stations (采样台) open all day, at least 1; nil: the site's own count.
    public var stations: Int?
    /// The tube mode for pooled people; nil: the site's `pool_mode`. The
    /// zone must allow it (the simulation refuses it as the server would).
    public var poolMode: TubeMode?

    /// Share of the roster who never come (away, refusing, bedridden): the
    /// missing list (应检尽检). Each resident stays away on their own.
    public var missingShare = 0.03
    /// Walk-ins (unknown codes registered at the gate) as a share of the
    /// roster. Each is one person in a household of their own, arriving any
    /// time the site is open.
    public var walkInShare = 0.01
    /// Share of a household's members who come down on their own, at their
    /// own time in the building's slot, instead of with the others. They
    /// meet rule 2's "members present together" and its refusals.
    public var stragglerShare = 0.05

    /// One swab at the desk, scan to scan: ≈15 s (median 15 s, one in
    /// twenty over 25 s).
    public var serviceTime = TimeSpread.lognormal(median: 15, sigma: 0.3)
    /// Sealing a tube and opening the next: ≈30 s.
    public var tubeChange = TimeSpread.fixed(30)
    /// What a refused scan costs the desk (reading the message, sending the
    /// person back to the queue).
    public var refusalTime: Double = 10
    /// A partly filled tube is sealed once its station has had nobody to
    /// call for this long, so its samples do not age in an idle desk.
    public var idleSealAfter: Double = 600

    /// Desks seal their open tubes this long before each courier comes, so
    /// no sample waits for the next one (a partly filled tube is the
    /// price); nil: they do not, and tubes go when full or idle.
    public var sealBeforeCourier: Double? = 300

    /// Tubes per transport box (转运箱); a full box is sealed at once, a
    /// partly filled one when the courier comes.
    public var boxCapacity = 100
    /// A courier comes this often, from opening time, and takes every
    /// sealed box; they keep coming until every tube has left.
    public var courierInterval: Double = 7_200
    /// Site to lab, pickup to hand-over: 30–60 min across a city. The lab
    /// confirms receipt on hand-over.
    public var transport = TimeSpread.uniform(low: 1_800, high: 3_600)
    /// Receipt to result for one tube: median 4 h, one in twenty over 6 h
    /// (extraction, PCR run, review). The lab is assumed never saturated
    /// here; `DistrictReport` shows its queue when many sites share it.
    public var labTurnaround = TimeSpread.lognormal(median: 14_400, sigma: 0.25)
    /// The oldest a sample should be when the lab receives it.
    public var sampleAgeLimit: Double = 14_400

    /// Share of people infected, on average over the day's population.
    public var prevalence = 0.001
    /// Chance that each other member of an infected household is infected
    /// too (secondary attack rate; ≈0.5 was reported for Omicron at home).
    /// 0 leaves one case per infected household.
    public var householdAttackRate = 0.5
    /// Share of tubes the lab cannot read (too little material, broken).
    public var invalidShare = 0.001

    /// The step of the queue time series.
    public var seriesStep: Double = 300

    public init() {}
}
