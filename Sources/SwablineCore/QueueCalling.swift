/// One waiting ticket, as the caller sees it. The queue is given in check-in
/// order; the caller never reads the clock.
public struct WaitingTicket: Sendable, Hashable {
    public var ticket: Int64
    public var household: Int64
    public var lane: Lane
    /// Flagged single-tube (close contact, symptoms, retest): never pooled.
    public var singleTube: Bool
    /// How many people have been called before this ticket although they
    /// checked in after it (bounded by `CallPolicy.maxOvertake`).
    public var overtaken: Int

    public init(ticket: Int64, household: Int64, lane: Lane, singleTube: Bool, overtaken: Int = 0) {
        self.ticket = ticket
        self.household = household
        self.lane = lane
        self.singleTube = singleTube
        self.overtaken = overtaken
    }
}

/// How far the caller may deviate from strict queue order to fill a tube.
public struct CallPolicy: Sendable, Hashable {
    /// The most people who may be called ahead of a household that checked
    /// in before them. Filling a tube to the brim matters (every empty place
    /// is a wasted test), but nobody may wait forever behind smaller
    /// households: once a household has been passed this many times over,
    /// nobody passes it again.
    public var maxOvertake: Int

    public init(maxOvertake: Int) { self.maxOvertake = maxOvertake }

    /// About one full tube's worth of people may pass a household.
    public static func standard(for mode: TubeMode) -> CallPolicy { CallPolicy(maxOvertake: max(mode.capacity, 5)) }
}

/// What a station gets when it calls the next group.
public struct CallDecision: Sendable, Hashable {
    /// The tickets called, in the order they should step up.
    public var called: [Int64]
    /// New overtaken counts for tickets that were passed by this call.
    public var overtaken: [Int64: Int]
    /// People waiting who may only go into a single tube (shown to the
    /// station so it opens one when they pile up).
    public var singleTubeWaiting: Int
    /// People waiting in the whole queue after this call.
    public var stillWaiting: Int

    public init(called: [Int64], overtaken: [Int64: Int], singleTubeWaiting: Int, stillWaiting: Int) {
        self.called = called
        self.overtaken = overtaken
        self.singleTubeWaiting = singleTubeWaiting
        self.stillWaiting = stillWaiting
    }
}

/// The queue caller: a pure function from the waiting queue and the open
/// tube to the next group for that tube.
///
/// It keeps rule 1 (never more people than the tube's room; single-tube
/// people only into single tubes, alone), rule 2 (whole households: a
/// household goes into one tube unless it is larger than a tube, and then into
/// the fewest tubes), calls the priority lane first, and bounds overtaking.
public enum QueueCaller {
    /// Picks the next group for a tube of `mode` that already holds `filled`
    /// people.
    ///
    /// `heldElsewhere` are the households a pooled tube must not be offered
    /// (rule 2): those with members in another station's open pooled tube
    /// that has room, or called to another station and not yet swabbed.
    /// Their members wait for that station, which owes them its places;
    /// offered here they would only be refused (`household_in_other_tube`).
    /// They are not passed by this call, so it does not count against them.
    ///
    /// - Throws: `RuleViolation.headDoesNotFit` when the household at the
    ///   head does not fit the room left and may not be passed any more: the
    ///   station must seal its tube and open a new one.
    public static func nextGroup(
        queue: [WaitingTicket],
        mode: TubeMode,
        filled: Int,
        policy: CallPolicy,
        heldElsewhere: Set<Int64> = []
    ) throws(RuleViolation) -> CallDecision {
        let singleWaiting = queue.reduce(0) { $0 + ($1.singleTube ? 1 : 0) }
        let offered = mode.isPooled && !heldElsewhere.isEmpty ? queue.filter { !heldElsewhere.contains($0.household) } : queue
        var units = unitQueue(from: offered, pooled: mode.isPooled)
        var called: [Int64] = []
        var passed: [(unit: Int, count: Int32)] = []
        let room = max(0, mode.capacity - filled)
        if room > 0 {
            try units.fill(
                room: room, capacity: mode.capacity, maxOvertake: policy.maxOvertake,
                passedCounts: { passed.append(($0, $1)) }, take: { called.append($0) })
        }
        var overtaken: [Int64: Int] = [:]
        for (unit, count) in passed {
            for index in Int(units.start[unit])..<Int(units.start[unit + 1]) { overtaken[units.members[index]] = Int(count) }
        }
        return CallDecision(
            called: called,
            overtaken: overtaken,
            singleTubeWaiting: singleWaiting - (mode.isPooled ? 0 : called.count),
            stillWaiting: queue.count - called.count
        )
    }

    /// The queue as units in calling order: priority lane first, a household
    /// placed where its earliest member stands (an elder in the priority
    /// lane brings their household along). For a pooled tube, single-tube
    /// people are left out; for a single tube, flagged people come first,
    /// one per unit.
    static func unitQueue(from queue: [WaitingTicket], pooled: Bool) -> UnitQueue {
        let ordered = queue.filter { $0.lane == .priority } + queue.filter { $0.lane == .normal }
        if !pooled {
            let singles = ordered.filter(\.singleTube) + ordered.filter { !$0.singleTube }
            return UnitQueue(
                members: singles.map(\.ticket), start: (0...singles.count).map(Int32.init),
                overtaken: singles.map { Int32($0.overtaken) })
        }
        var unitOf: [Int64: Int] = [:]
        var groups: [[WaitingTicket]] = []
        for entry in ordered where !entry.singleTube {
            if let unit = unitOf[entry.household] {
                groups[unit].append(entry)
            } else {
                unitOf[entry.household] = groups.count
                groups.append([entry])
            }
        }
        var start: [Int32] = [0]
        for group in groups { start.append(start.last! + Int32(group.count)) }
        return UnitQueue(
            members: groups.flatMap { $0.map(\.ticket) }, start: start,
            overtaken: groups.map { Int32($0.map(\.overtaken).max()!) })
    }

    /// Whether putting `room` members of a household of `size` into this tube
    /// still lets the whole household fit into the fewest tubes possible.
    static func fewestTubesKept(size: Int, room: Int, capacity: Int) -> Bool {
        let fewest = (size + capacity - 1) / capacity
        let rest = size - room
        return 1 + (rest + capacity - 1) / capacity == fewest
    }
}
