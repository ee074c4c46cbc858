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
/// A refused scan sends the person back to the queue in their place
/// (`refusalTime`); a refusal that says "seal this tube" is obeyed. A desk
/// seals a partly filled tube when it has swabbed nobody for
/// `idleSealAfter`, when nobody else is coming, when only single-tube
/// people wait and no other desk is free to open a single tube for them,
/// and `sealBeforeCourier` before each courier comes.
struct SamplingDay: Sendable {
    struct Tube: Sendable, Equatable {
        var mode: TubeMode
        var station: Int
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
        var code: String
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
        /// A courier is coming: seal the tube at the next step.
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
    private(set) var tubes: [Tube] = []
    /// Tubes in the order they were sealed, which is the order they are boxed.
    private(set) var sealOrder: [Int32] = []
    private(set) var checkedInAt: [Double?]
    private(set) var sampledAt: [Double?]
    private(set) var tubeOf: [Int32]
    /// Admission refusals by their stable code, as the desk would see them.
    private(set) var refusals: [String: Int] = [:]
    /// Empty tubes whose mode no waiting person could use, exchanged for
    /// the other mode (see `DaySimulation`'s note).
    private(set) var emptyTubesExchanged = 0
    private(set) var series: QueueSeries
    private(set) var peakWaiting = 0

    private var events = EventQueue<Event>()
    private var nextArrival = 0
    private var tubesOpened = 0
    private var rng: SeededGenerator

    init(
        attendance: Attendance, pooledMode: TubeMode, stations: Int, opens: Double, parameters: SimulationParameters,
        rng: SeededGenerator
    ) {
        precondition(stations >= 1, "a site needs at least one station")
        people = attendance.people
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

    private var moreArrivals: Bool { nextArrival < arrivals.count }

    private mutating func scheduleCourier(visit: Int) {
        guard let lead = parameters.sealBeforeCourier else { return }
        events.schedule(.courierSoon(visit: visit), at: opens + Double(visit) * parameters.courierInterval - lead)
    }

    /// Desks seal what they hold so no sample waits for the next courier:
    /// an idle desk at once, a busy one after the swab in progress.
    private mutating func courierSoon(_ visit: Int, now: Double) {
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

    private mutating func arrive(_ index: Int, now: Double) {
        nextArrival = index + 1
        if moreArrivals { events.schedule(.arrival(nextArrival), at: arrivals[nextArrival].time) }
        for person in arrivals[index].people {
            let resident = people[Int(person)]
            let ticket = Int64(personOfTicket.count)
            personOfTicket.append(person)
            checkedInAt[Int(person)] = now
            if !resident.singleTube { pendingPooled[Int(resident.household)] += 1 }
            enqueue(
                WaitingTicket(
                    ticket: ticket, household: Int64(resident.household), lane: resident.priority ? .priority : .normal,
                    singleTube: resident.singleTube))
        }
        peakWaiting = max(peakWaiting, waiting.count)
        wakeIdleStations(now: now)
    }

    /// One step of a station: swab the next called person, or seal a full
    /// tube, or open a tube and call the next group, or go idle.
    private mutating func ready(_ s: Int, now: Double) {
        stations[s].scheduled = false
        if stations[s].sealForCourier {
            stations[s].sealForCourier = false
            if stations[s].tube?.index != nil {
                sealAndChange(s, now: now, because: .courier)
                return
            }
        }
        if !stations[s].called.isEmpty {
            swab(s, stations[s].called.removeFirst(), now: now)
            return
        }
        if let tube = stations[s].tube, let index = tube.index, tubes[Int(index)].members.count == tube.mode.capacity {
            sealAndChange(s, now: now, because: .full)
            return
        }
        if stations[s].tube == nil {
            guard !waiting.isEmpty else { return }
            stations[s].tube = openTube(s, now: now)
        } else if stations[s].tube!.index == nil, !waiting.isEmpty {
            // Still empty: take the mode the queue needs now.
            let mode = modeToOpen()
            if mode != stations[s].tube!.mode {
                stations[s].tube!.mode = mode
                emptyTubesExchanged += 1
            }
        }
        let tube = stations[s].tube!
        let filled = tube.index.map { tubes[Int($0)].members.count } ?? 0
        let decision: CallDecision
        do {
            decision = try QueueCaller.nextGroup(queue: waiting, mode: tube.mode, filled: filled, policy: .standard(for: tube.mode))
        } catch {
            // seal_tube_first: the head does not fit the room left. A fresh tube always takes the head,
            // so when another desk is free the household goes there and this tube waits for a smaller one.
            precondition(filled > 0, "a fresh tube refused the head of the queue: \(error)")
            if hasFreeDesk(besides: s) {
                waitForSmallerGroups(s, now: now)
            } else {
                sealAndChange(s, now: now, because: .sealTubeFirst)
            }
            return
        }
        if decision.called.isEmpty {
            guard filled > 0 else { return }
            // Only people this tube may not take are waiting (single-tube people): leave them
            // to a desk with no tube in hand, or seal and take them.
            let singlesStuck = !waiting.isEmpty && !hasFreeDesk(besides: s)
            if singlesStuck || !moreArrivals {
                sealAndChange(s, now: now, because: singlesStuck ? .singleTubeWaiting : .endOfDay)
            } else {
                waitForSmallerGroups(s, now: now)
            }
            return
        }
        let called = Set(decision.called)
        var group: [WaitingTicket] = []
        waiting.removeAll { entry in
            guard called.contains(entry.ticket) else { return false }
            group.append(entry)
            return true
        }
        for i in waiting.indices {
            if let overtaken = decision.overtaken[waiting[i].ticket] { waiting[i].overtaken = overtaken }
        }
        singleWaiting -= group.reduce(0) { $0 + ($1.singleTube ? 1 : 0) }
        // Step up in the order called.
        let position = Dictionary(uniqueKeysWithValues: decision.called.enumerated().map { ($1, $0) })
        stations[s].called = group.sorted { position[$0.ticket]! < position[$1.ticket]! }
        schedule(s, at: now)
    }

    private mutating func swab(_ s: Int, _ entry: WaitingTicket, now: Double) {
        let person = personOfTicket[Int(entry.ticket)]
        let resident = people[Int(person)]
        let request = admissionRequest(person: person, at: stations[s].tube!)
        do {
            _ = try SampleAdmission.decide(request)
        } catch {
            refusals[error.code, default: 0] += 1
            enqueue(entry)
            var pause = parameters.refusalTime
            switch error {
            case .householdDoesNotFit, .tubeFull, .tubeNotOpen:
                // "Seal this tube and use a new one."
                if stations[s].tube?.index != nil {
                    seal(s, now: now, because: .refusal)
                    pause += parameters.tubeChange.draw(using: &rng)
                }
            default:
                break
            }
            schedule(s, at: now + pause)
            wakeIdleStations(now: now)
            return
        }
        let index = stations[s].tube!.index ?? Int32(tubes.count)
        if stations[s].tube!.index == nil {
            stations[s].tube!.index = index
            tubes.append(Tube(mode: stations[s].tube!.mode, station: s, openedAt: stations[s].tube!.openedAt))
        }
        tubes[Int(index)].members.append(person)
        tubeOf[Int(person)] = index
        sampledAt[Int(person)] = now
        if !resident.singleTube { pendingPooled[Int(resident.household)] -= 1 }
        if !householdTubes[Int(resident.household)].contains(index) { householdTubes[Int(resident.household)].append(index) }
        series.sampled(station: s, wait: now - checkedInAt[Int(person)]!)
        stations[s].lastSwabAt = now
        schedule(s, at: now + parameters.serviceTime.draw(using: &rng))
    }

    /// What the store would gather for this scan inside its transaction.
    private func admissionRequest(person: Int32, at tube: OpenTube) -> SampleRequest {
        let resident = people[Int(person)]
        let household = Int(resident.household)
        let members = tube.index.map { tubes[Int($0)].members } ?? []
        let inThisTube = members.reduce(0) { $0 + (people[Int($1)].household == resident.household ? 1 : 0) }
        let elsewhere = householdTubes[household].first { t in
            let other = tubes[Int(t)]
            return t != tube.index && other.state == .open && other.mode.isPooled && other.members.count < other.mode.capacity
        }
        var owed = 0
        for h in Set(members.map { people[Int($0)].household }) where h != resident.household { owed += Int(pendingPooled[Int(h)]) }
        let others = Int(pendingPooled[household]) - (resident.singleTube ? 0 : 1)
        return SampleRequest(
            tube: .init(code: tube.code, mode: tube.mode, state: .open, filled: members.count), resident: "R\(person)",
            singleTube: resident.singleTube, outcome: nil, latestSampleTube: tubeOf[Int(person)] < 0 ? nil : code(tubeOf[Int(person)]),
            latestSampleDecided: false, householdWaiting: others + 1, householdInThisTube: inThisTube,
            householdOpenTubeElsewhere: elsewhere.map(code), placesOwed: owed)
    }

    private func code(_ tube: Int32) -> String { "T\(tube)" }

    private func modeToOpen() -> TubeMode { singleWaiting > 0 ? .single : pooledMode }

    private mutating func openTube(_ s: Int, now: Double) -> OpenTube {
        tubesOpened += 1
        return OpenTube(mode: modeToOpen(), code: "open-\(tubesOpened)", index: nil, openedAt: now)
    }

    /// Whether another desk has no tube in use and nobody called: it will
    /// open a fresh tube, which always takes the head of the queue.
    private func hasFreeDesk(besides s: Int) -> Bool {
        stations.indices.contains { $0 != s && stations[$0].tube?.index == nil && stations[$0].called.isEmpty }
    }

    /// Keeps a partly filled tube open while the desk has nobody to call,
    /// until `idleSealAfter` since its last swab.
    private mutating func waitForSmallerGroups(_ s: Int, now: Double) {
        events.schedule(.idleSeal(s), at: max(now, stations[s].lastSwabAt + parameters.idleSealAfter))
        wakeIdleStations(now: now, besides: s)
    }

    private mutating func sealAndChange(_ s: Int, now: Double, because reason: SealReason) {
        seal(s, now: now, because: reason)
        schedule(s, at: now + parameters.tubeChange.draw(using: &rng))
    }

    /// Seals the station's tube (if anyone is in it); anyone called but not
    /// swabbed goes back to the queue in their place, as the server does.
    private mutating func seal(_ s: Int, now: Double, because reason: SealReason) {
        if let index = stations[s].tube?.index {
            TubeState.step(&tubes[Int(index)].state, .sealed)
            tubes[Int(index)].sealedAt = now
            let full = tubes[Int(index)].members.count == tubes[Int(index)].mode.capacity
            tubes[Int(index)].sealedBecause = full ? .full : reason
            sealOrder.append(index)
        }
        stations[s].tube = nil
        for entry in stations[s].called { enqueue(entry) }
        stations[s].called.removeAll()
    }

    private mutating func enqueue(_ entry: WaitingTicket) {
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

    private mutating func schedule(_ s: Int, at time: Double) {
        stations[s].scheduled = true
        events.schedule(.ready(s), at: time)
    }

    private mutating func wakeIdleStations(now: Double, besides busy: Int? = nil) {
        for s in stations.indices where s != busy && !stations[s].scheduled { schedule(s, at: now) }
    }
}

extension TubeState {
    /// Moves a simulated tube one custody step. The simulation only takes
    /// steps in order, so a refusal here is a bug in the simulation.
    static func step(_ state: inout TubeState, _ event: CustodyEvent) {
        do { state = try state.applying(event) } catch { preconditionFailure("the simulation skipped a custody step: \(error)") }
    }
}

extension BoxState {
    static func step(_ state: inout BoxState, _ event: CustodyEvent) {
        do { state = try state.applying(event) } catch { preconditionFailure("the simulation skipped a custody step: \(error)") }
    }
}
