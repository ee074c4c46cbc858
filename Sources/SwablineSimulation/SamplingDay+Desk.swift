import SwablineCore

/// A desk's steps after the call (`SamplingDay+Call.swift`): swab, seal.
/// Each step is one event; the time it takes is when the desk's next step comes.
extension SamplingDay {
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
        if !singleLane(person) { pendingPooled[Int(resident.household)] -= 1 }
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
