import SwablineCore

/// Each scan asks the core's `SampleAdmission` with what the store would
/// gather in its transaction, and the desk acts on the answer as staff
/// would on the message.
extension SamplingDay {
    /// What the store would gather for this scan inside its transaction.
    func admissionRequest(person: Int32, at tube: OpenTube) -> SampleRequest {
        let resident = people[Int(person)]
        let household = Int(resident.household)
        let members = tube.index.map { tubes[Int($0)].members } ?? []
        let inThisTube = members.reduce(0) { $0 + (people[Int($1)].household == resident.household ? 1 : 0) }
        let elsewhere = openTube(of: resident.household, besides: tube.index)
        var owed = 0
        for h in Set(members.map { people[Int($0)].household }) where h != resident.household { owed += Int(pendingPooled[Int(h)]) }
        let others = Int(pendingPooled[household]) - (singleLane(person) ? 0 : 1)
        return SampleRequest(
            tube: .init(code: "open-\(tube.serial)", mode: tube.mode, state: .open, filled: members.count), resident: "R\(person)",
            checkedIn: true, singleTube: resident.singleTube, outcome: nil, latestSampleTube: tubeOf[Int(person)] < 0 ? nil : code(tubeOf[Int(person)]),
            latestSampleDecided: false, householdWaiting: others + 1, householdInThisTube: inThisTube,
            householdOpenTubeElsewhere: elsewhere.map(code), placesOwed: owed, standing: standing(of: person))
    }

    func code(_ tube: Int32) -> String { "T\(tube)" }

    /// Another open pooled tube with room that holds members of `household`
    /// (the store's `householdOpenTubeElsewhere`).
    func openTube(of household: Int32, besides tube: Int32?) -> Int32? {
        householdTubes[Int(household)].first { t in
            let other = tubes[Int(t)]
            return t != tube && other.state == .open && other.mode.isPooled && other.members.count < other.mode.capacity
        }
    }

    /// Walks a refused household to the desk holding their tube, when it
    /// has room for them after the group it has called; else they queue
    /// again, together, until that tube is full or sealed.
    mutating func sendToTheirTube(_ group: [WaitingTicket], household: Int32, from s: Int, now: Double) {
        if let t = openTube(of: household, besides: stations[s].tube?.index) {
            let desk = tubes[Int(t)].station
            let room = tubes[Int(t)].mode.capacity - tubes[Int(t)].members.count - stations[desk].called.count
            if room >= group.count {
                stations[desk].called += group
                if !stations[desk].scheduled { schedule(desk, at: now) }
                return
            }
        }
        for entry in group { enqueue(entry) }
    }
}
