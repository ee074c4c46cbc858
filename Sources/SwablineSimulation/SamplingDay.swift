import SwablineCore

/// The sampling part of one day at one site, played event by event with
/// the server's own rules: residents check in and wait in one queue, each
/// station calls its next group with `QueueCaller.nextGroup` (priority
/// first, whole households, bounded overtaking), every scan of a person
/// into a tube goes through `SampleAdmission.decide` (rules 1–3), and a
/// tube is sealed through the custody state machine. Nothing here decides
/// who goes into which tube; it only plays the desks and the clock.
///
/// A station: opens a tube (a single tube when someone flagged single-tube
/// waits, else the site's pooled mode), calls a group, scans and swabs
/// them one by one (`serviceTime` each), seals when the tube is full or
/// the caller answers `seal_tube_first`, and changes tubes (`tubeChange`).
/// A refused scan costs `refusalTime`: a refusal that says "seal this
/// tube" is obeyed; one that says the household is in another desk's tube
/// sends them there (`SamplingDay+Admission.swift`). A desk
/// seals a partly filled tube when it has swabbed nobody for
/// `idleSealAfter`, when nobody else is coming, when only single-tube
/// people wait and no other desk is free to open a single tube for them,
/// and `sealBeforeCourier` before each courier comes.
struct SamplingDay: Sendable {
    struct Tube: Sendable, Equatable {
        var mode: TubeMode
        var station: Int
        /// The desk's tube number (`OpenTube.serial`), which names it in a `DayScript`.
        var serial: Int
        var members: [Int32] = []
        var openedAt: Double
        var sealedAt: Double?
        var sealedBecause: SealReason?
        var state: TubeState = .open
    }

    /// A tube at a desk. It enters `tubes` when its first person is
    /// scanned in, so a tube nobody could use is never counted.
    struct OpenTube: Sendable {
        var mode: TubeMode
        /// Tubes are numbered 1, 2, … in the order desks take them up.
        var serial: Int
        var index: Int32?
        var openedAt: Double
    }

    struct Station: Sendable {
        var tube: OpenTube?
        /// The group called and not yet swabbed, in stepping-up order.
        var called: [WaitingTicket] = []
        /// Whether a `ready` event is pending; a station without one is idle.
        var scheduled = false
        /// When the station last swabbed someone: the idle seal counts from here.
        var lastSwabAt = -Double.infinity
        /// A courier is coming: seal the tube once the called group is swabbed.
        var sealForCourier = false
    }

    enum Event: Sendable {
        case arrival(Int)
        case ready(Int)
        case idleSeal(Int)
        /// `sealBeforeCourier` before courier visit number `visit`.
        case courierSoon(visit: Int)
    }

    let people: [SimulatedSite.Resident]
    /// Each person's standing as the day begins (rule 9); empty: everyone cleared.
    let standing: [Standing]
    let arrivals: [Attendance.Arrival]
    let pooledMode: TubeMode
    let opens: Double
    let parameters: SimulationParameters

    // The queue, in check-in (ticket) order.
    var waiting: [WaitingTicket] = []
    var singleWaiting = 0
    var personOfTicket: [Int32] = []
    /// Per household: members checked in, pooled, not yet sampled.
    var pendingPooled: [Int32]
    /// Per household: tubes holding its members.
    var householdTubes: [[Int32]]

    var stations: [Station]
    var tubes: [Tube] = []
    /// Tubes in the order they were sealed, which is the order they are boxed.
    var sealOrder: [Int32] = []
    var checkedInAt: [Double?]
    var sampledAt: [Double?]
    var tubeOf: [Int32]
    /// Admission refusals by their stable code, as the desk would see them.
    var refusals: [String: Int] = [:]
    /// Empty tubes whose mode no waiting person could use, exchanged for
    /// the other mode (see `DaySimulation`'s note).
    var emptyTubesExchanged = 0
    var series: QueueSeries
    var peakWaiting = 0

    var events = EventQueue<Event>()
    var nextArrival = 0
    var tubesOpened = 0
    var rng: SeededGenerator
    /// What the desks did, step by step, for a `DayScript`; nil (the
    /// default) records nothing, so plain runs stay lean.
    var script: [DayScript.Timed]?

    init(
        attendance: Attendance, pooledMode: TubeMode, stations: Int, opens: Double, parameters: SimulationParameters,
        rng: SeededGenerator, standing: [Standing] = []
    ) {
        precondition(stations >= 1, "a site needs at least one station")
        precondition(standing.isEmpty || standing.count == attendance.people.count, "one standing per person")
        people = attendance.people
        self.standing = standing
        arrivals = attendance.arrivals
        self.pooledMode = pooledMode
        self.opens = opens
        self.parameters = parameters
        self.rng = rng
        pendingPooled = [Int32](repeating: 0, count: attendance.householdCount)
        householdTubes = [[Int32]](repeating: [], count: attendance.householdCount)
        self.stations = [Station](repeating: Station(), count: stations)
        checkedInAt = [Double?](repeating: nil, count: people.count)
        sampledAt = [Double?](repeating: nil, count: people.count)
        tubeOf = [Int32](repeating: -1, count: people.count)
        series = QueueSeries(start: opens, step: parameters.seriesStep, stations: stations)
        for s in 0..<stations {
            self.stations[s].scheduled = true
            events.schedule(.ready(s), at: opens)
        }
        if !arrivals.isEmpty { events.schedule(.arrival(0), at: arrivals[0].time) }
        scheduleCourier(visit: 1)
    }

    /// Plays the day until every station is idle and nobody else is coming.
    mutating func play() {
        while let (now, event) = events.next() {
            series.advance(to: now, waiting: waiting.count)
            switch event {
            case let .arrival(index): arrive(index, now: now)
            case let .ready(station): ready(station, now: now)
            case let .idleSeal(station):
                let idle = !stations[station].scheduled && stations[station].tube?.index != nil
                guard idle, now >= stations[station].lastSwabAt + parameters.idleSealAfter else { break }
                sealAndChange(station, now: now, because: .idle)
            case let .courierSoon(visit):
                courierSoon(visit, now: now)
            }
        }
        series.finish(at: sampledAt.reduce(series.start) { max($0, $1 ?? $0) }, waiting: waiting.count)
    }

    var moreArrivals: Bool { nextArrival < arrivals.count }

    mutating func scheduleCourier(visit: Int) {
        guard let lead = parameters.sealBeforeCourier else { return }
        events.schedule(.courierSoon(visit: visit), at: opens + Double(visit) * parameters.courierInterval - lead)
    }

    /// Desks seal what they hold so no sample waits for the next courier:
    /// an idle desk at once, a busy one after the swab in progress.
    mutating func courierSoon(_ visit: Int, now: Double) {
        for s in stations.indices where stations[s].tube?.index != nil {
            if stations[s].scheduled {
                stations[s].sealForCourier = true
            } else {
                sealAndChange(s, now: now, because: .courier)
            }
        }
        // Couriers keep coming while the day goes on.
        if moreArrivals || !waiting.isEmpty || stations.contains(where: { $0.scheduled || $0.tube?.index != nil }) {
            scheduleCourier(visit: visit + 1)
        }
    }

    mutating func arrive(_ index: Int, now: Double) {
        nextArrival = index + 1
        if moreArrivals { events.schedule(.arrival(nextArrival), at: arrivals[nextArrival].time) }
        for person in arrivals[index].people {
            let resident = people[Int(person)]
            let ticket = Int64(personOfTicket.count)
            personOfTicket.append(person)
            checkedInAt[Int(person)] = now
            record(.checkIn(person: person), at: now)
            if !singleLane(person) { pendingPooled[Int(resident.household)] += 1 }
            enqueue(
                WaitingTicket(
                    ticket: ticket, household: Int64(resident.household), lane: resident.priority ? .priority : .normal,
                    singleTube: singleLane(person)))
        }
        peakWaiting = max(peakWaiting, waiting.count)
        wakeIdleStations(now: now)
    }

    /// The person's standing as the day begins.
    func standing(of person: Int32) -> Standing { standing.isEmpty ? .cleared : standing[Int(person)] }

    /// Whether the person waits for a single tube, as the server's queue
    /// has it: flagged single-tube, or not cleared by an earlier round.
    func singleLane(_ person: Int32) -> Bool { people[Int(person)].singleTube || standing(of: person).needsSingleTube }

    mutating func enqueue(_ entry: WaitingTicket) {
        // Tickets keep their place: the queue stays in ticket order.
        var low = waiting.count
        if let last = waiting.last, last.ticket > entry.ticket {
            low = 0
            var high = waiting.count
            while low < high {
                let mid = (low + high) / 2
                if waiting[mid].ticket < entry.ticket { low = mid + 1 } else { high = mid }
            }
        }
        waiting.insert(entry, at: low)
        if entry.singleTube { singleWaiting += 1 }
    }

    mutating func record(_ step: DayScript.Step, at time: Double) {
        script?.append(DayScript.Timed(time: time, step: step))
    }

    mutating func schedule(_ s: Int, at time: Double) {
        stations[s].scheduled = true
        events.schedule(.ready(s), at: time)
    }

    mutating func wakeIdleStations(now: Double) {
        for s in stations.indices where !stations[s].scheduled { schedule(s, at: now) }
    }
}
