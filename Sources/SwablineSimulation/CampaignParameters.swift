/// What a campaign adds to a day's parameters: how the virus moves between
/// days, how long a household stays isolated, and why the missing are
/// missing. Each default says where it comes from.
public struct CampaignParameters: Sendable, Hashable {
    /// Consecutive daily rounds at the site, at least 1.
    public var rounds = 5
    /// Each round's day. Walk-ins are left out whatever this says: a walk-in
    /// registered in one round is a resident in the next, which the roster
    /// the campaign starts from cannot know.
    public var day = SimulationParameters()
    /// Chance per day that one carrier at home infects each other member who
    /// never had it (≈0.5 secondary attack rate over a 4-day infectious
    /// spell at home for Omicron gives ≈0.15 a day).
    public var householdDailyAttackRate = 0.15
    /// Chance per day that someone outside isolation is infected outside
    /// the home (the community seed): small, since the compound is sealed.
    public var communityDailyRate = 0.000_2
    /// Days a carrier's swab stays positive after infection.
    public var detectableDays = 10
    /// Rounds (days) a household stays isolated after a pool-positive or
    /// positive result: 「居民自觉居家隔离7天」.
    public var isolationDays = 7
    /// Share of the missing whom the door-to-door team reaches with a
    /// reason (`MissingReason`); the rest stay open tasks for the next day.
    public var reasonShare = 0.7

    public init() {}

    /// The day as a campaign plays it.
    var dayParameters: SimulationParameters {
        var day = day
        day.walkInShare = 0
        return day
    }
}
