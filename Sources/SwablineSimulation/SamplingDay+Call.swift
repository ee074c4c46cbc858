import SwablineCore

/// A desk's step when nobody called waits at it: seal for a courier or a
/// full tube, else take up a tube and call the next group. Each step is
/// one event; the time it takes is when the desk's next step comes.
extension SamplingDay {
    /// One step of a station: swab the next called person, or seal a full
    /// tube, or open a tube and call the next group, or go idle.
    mutating func ready(_ s: Int, now: Double) {
        stations[s].scheduled = false
        if sealedForCourier(s, now: now) { return }
        if !stations[s].called.isEmpty {
            swab(s, stations[s].called.removeFirst(), now: now)
            return
        }
        if let tube = stations[s].tube, let index = tube.index, tubes[Int(index)].members.count == tube.mode.capacity {
            sealAndChange(s, now: now, because: .full)
            return
        }
        guard let tube = takeUpTube(s, now: now) else { return }
        call(s, with: tube, now: now)
    }

    /// Seals for a coming courier once the called group is swabbed (not in
    /// the middle of it: that would split its household); whether it did.
    mutating func sealedForCourier(_ s: Int, now: Double) -> Bool {
        guard stations[s].sealForCourier, stations[s].called.isEmpty else { return false }
        stations[s].sealForCourier = false
        guard stations[s].tube?.index != nil else { return false }
        sealAndChange(s, now: now, because: .courier)
        return true
    }

    /// The tube the desk calls for: a fresh one when it holds none and
    /// someone waits (nil when nobody does); a tube still empty takes the
    /// mode the queue needs now.
    mutating func takeUpTube(_ s: Int, now: Double) -> OpenTube? {
        if stations[s].tube == nil {
            guard !waiting.isEmpty else { return nil }
            stations[s].tube = openTube(s, now: now)
        } else if stations[s].tube!.index == nil, !waiting.isEmpty {
            let mode = modeToOpen()
            if mode != stations[s].tube!.mode {
                stations[s].tube!.mode = mode
                emptyTubesExchanged += 1
            }
        }
        return stations[s].tube!
    }

    /// Asks the core's caller for the next group into `tube`, and acts on the answer.
    mutating func call(_ s: Int, with tube: OpenTube, now: Double) {
        let filled = tube.index.map { tubes[Int($0)].members.count } ?? 0
        let decision: CallDecision
        do {
            decision = try QueueCaller.nextGroup(
                queue: waiting, mode: tube.mode, filled: filled, policy: .standard(for: tube.mode),
                heldElsewhere: tube.mode.isPooled ? householdsHeld(besides: s) : [])
        } catch {
            callRefused(s, tube: tube, filled: filled, error, now: now)
            return
        }
        if decision.called.isEmpty {
            nobodyToCall(s, filled: filled, now: now)
        } else {
            stepUp(s, tube: tube, decision, now: now)
        }
    }

    /// seal_tube_first: the head does not fit the room left. A fresh tube always takes the head,
    /// so when another desk is free the household goes there and this tube waits for a smaller
    /// one; unless the household already has members in this tube, which bars every other tube.
    mutating func callRefused(_ s: Int, tube: OpenTube, filled: Int, _ error: RuleViolation, now: Double) {
        precondition(filled > 0, "a fresh tube refused the head of the queue: \(error)")
        record(.callRefused(station: s, tube: tube.serial, code: error.code), at: now)
        if hasFreeDesk(besides: s), !headHasMembers(in: tube) {
            waitForSmallerGroups(s, now: now)
        } else {
            sealAndChange(s, now: now, because: .sealTubeFirst)
        }
    }

    /// Only people this tube may not take are waiting (single-tube people): leave them
    /// to a desk with no tube in hand, or seal and take them.
    mutating func nobodyToCall(_ s: Int, filled: Int, now: Double) {
        guard filled > 0 else { return }
        let singlesStuck = !waiting.isEmpty && !hasFreeDesk(besides: s)
        if singlesStuck || !moreArrivals {
            sealAndChange(s, now: now, because: singlesStuck ? .singleTubeWaiting : .endOfDay)
        } else {
            waitForSmallerGroups(s, now: now)
        }
    }

    /// Takes the called group out of the queue, records who passed whom,
    /// and has them step up in the order called.
    mutating func stepUp(_ s: Int, tube: OpenTube, _ decision: CallDecision, now: Double) {
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
        let position = Dictionary(uniqueKeysWithValues: decision.called.enumerated().map { ($1, $0) })
        stations[s].called = group.sorted { position[$0.ticket]! < position[$1.ticket]! }
        record(
            .call(station: s, tube: tube.serial, mode: tube.mode, called: stations[s].called.map { personOfTicket[Int($0.ticket)] }),
            at: now)
        schedule(s, at: now)
    }

    /// Whether the household at the head of a pooled call has members in `tube`.
    func headHasMembers(in tube: OpenTube) -> Bool {
        let head = waiting.first { $0.lane == .priority && !$0.singleTube } ?? waiting.first { !$0.singleTube }
        guard let head, let index = tube.index else { return false }
        return tubes[Int(index)].members.contains { Int64(people[Int($0)].household) == head.household }
    }

    /// Households another desk holds, as the store finds them for a call:
    /// members in its open pooled tube with room, or called to it.
    func householdsHeld(besides s: Int) -> Set<Int64> {
        var held: Set<Int64> = []
        for other in stations.indices where other != s {
            if let index = stations[other].tube?.index {
                let tube = tubes[Int(index)]
                if tube.mode.isPooled, tube.members.count < tube.mode.capacity {
                    for person in tube.members { held.insert(Int64(people[Int(person)].household)) }
                }
            }
            for entry in stations[other].called where !entry.singleTube { held.insert(entry.household) }
        }
        return held
    }

    /// Whether another desk has no tube in use and nobody called: it will
    /// open a fresh tube, which always takes the head of the queue.
    func hasFreeDesk(besides s: Int) -> Bool {
        stations.indices.contains { $0 != s && stations[$0].tube?.index == nil && stations[$0].called.isEmpty }
    }

    /// Keeps a partly filled tube open while the desk has nobody to call,
    /// until `idleSealAfter` since its last swab. (A free desk needs no
    /// waking: every arrival and every refusal wakes all idle desks, and a
    /// free desk always calls the head.)
    mutating func waitForSmallerGroups(_ s: Int, now: Double) {
        events.schedule(.idleSeal(s), at: max(now, stations[s].lastSwabAt + parameters.idleSealAfter))
    }
}
