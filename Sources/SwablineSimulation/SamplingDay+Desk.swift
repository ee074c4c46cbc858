import SwablineCore

/// A desk's steps: call, swab, seal. Each step is one event; the time it
/// takes is when the desk's next step comes.
extension SamplingDay {
    /// One step of a station: swab the next called person, or seal a full
    /// tube, or open a tube and call the next group, or go idle.
    mutating func ready(_ s: Int, now: Double) {
        stations[s].scheduled = false
        // Not in the middle of a called group: that would split its household.
        if stations[s].sealForCourier, stations[s].called.isEmpty {
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
            decision = try QueueCaller.nextGroup(
                queue: waiting, mode: tube.mode, filled: filled, policy: .standard(for: tube.mode),
                heldElsewhere: tube.mode.isPooled ? householdsHeld(besides: s) : [])
        } catch {
            // seal_tube_first: the head does not fit the room left. A fresh tube always takes the head,
            // so when another desk is free the household goes there and this tube waits for a smaller
            // one; unless the household already has members in this tube, which bars every other tube.
            precondition(filled > 0, "a fresh tube refused the head of the queue: \(error)")
            record(.callRefused(station: s, tube: tube.serial, code: error.code), at: now)
            if hasFreeDesk(besides: s), !headHasMembers(in: tube) {
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
        record(
            .call(station: s, tube: tube.serial, mode: tube.mode, called: stations[s].called.map { personOfTicket[Int($0.ticket)] }),
            at: now)
        schedule(s, at: now)
    }

    mutating func swab(_ s: Int, _ entry: WaitingTicket, now: Double) {
        let person = personOfTicket[Int(entry.ticket)]
        let resident = people[Int(person)]
        let request = admissionRequest(person: person, at: stations[s].tube!)
        do {
            _ = try SampleAdmission.decide(request)
        } catch {
            record(.sample(tube: stations[s].tube!.serial, person: person, refused: error.code), at: now)
            refusals[error.code, default: 0] += 1
            var pause = parameters.refusalTime
            switch error {
            case .householdInOtherTube:
                // "Sample them together there": the household's members called here go along.
                var group = [entry]
                stations[s].called.removeAll { other in
                    guard other.household == entry.household else { return false }
                    group.append(other)
                    return true
                }
                sendToTheirTube(group, household: resident.household, from: s, now: now)
            case .householdDoesNotFit, .tubeFull, .tubeNotOpen:
                // "Seal this tube and use a new one."
                enqueue(entry)
                if stations[s].tube?.index != nil {
                    seal(s, now: now, because: .refusal)
                    pause += parameters.tubeChange.draw(using: &rng)
                }
            default:
                enqueue(entry)
            }
            schedule(s, at: now + pause)
            wakeIdleStations(now: now)
            return
        }
        let index = stations[s].tube!.index ?? Int32(tubes.count)
        if stations[s].tube!.index == nil {
            stations[s].tube!.index = index
            tubes.append(
                Tube(mode: stations[s].tube!.mode, station: s, serial: stations[s].tube!.serial, openedAt: stations[s].tube!.openedAt))
        }
        record(.sample(tube: stations[s].tube!.serial, person: person, refused: nil), at: now)
        tubes[Int(index)].members.append(person)
        tubeOf[Int(person)] = index
        sampledAt[Int(person)] = now
        if !resident.singleTube { pendingPooled[Int(resident.household)] -= 1 }
        if !householdTubes[Int(resident.household)].contains(index) { householdTubes[Int(resident.household)].append(index) }
        series.sampled(station: s, wait: now - checkedInAt[Int(person)]!)
        stations[s].lastSwabAt = now
        schedule(s, at: now + parameters.serviceTime.draw(using: &rng))
    }

    func modeToOpen() -> TubeMode { singleWaiting > 0 ? .single : pooledMode }

    mutating func openTube(_ s: Int, now: Double) -> OpenTube {
        tubesOpened += 1
        return OpenTube(mode: modeToOpen(), serial: tubesOpened, index: nil, openedAt: now)
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

    mutating func sealAndChange(_ s: Int, now: Double, because reason: SealReason) {
        seal(s, now: now, because: reason)
        schedule(s, at: now + parameters.tubeChange.draw(using: &rng))
    }

    /// Seals the station's tube (if anyone is in it); anyone called but not
    /// swabbed goes back to the queue in their place, as the server does.
    mutating func seal(_ s: Int, now: Double, because reason: SealReason) {
        if let index = stations[s].tube?.index {
            TubeState.step(&tubes[Int(index)].state, .sealed)
            tubes[Int(index)].sealedAt = now
            let full = tubes[Int(index)].members.count == tubes[Int(index)].mode.capacity
            tubes[Int(index)].sealedBecause = full ? .full : reason
            sealOrder.append(index)
            record(.sealTube(tube: tubes[Int(index)].serial), at: now)
        }
        stations[s].tube = nil
        for entry in stations[s].called { enqueue(entry) }
        stations[s].called.removeAll()
    }
}
