/// Waiting households ("units") in calling order, laid out flat for speed:
/// one contiguous array of members, offsets per unit, and per-unit counters.
/// Both the station's caller (one tube at a time) and the packer (a whole
/// queue at once) fill tubes through `fill`, so they cannot disagree.
public struct UnitQueue: Sendable {
    /// Members of all units, unit after unit (caller-chosen ids: ticket or resident index).
    public private(set) var members: [Int64]
    /// Where each unit starts in `members`; one extra entry marks the end.
    public private(set) var start: [Int32]
    /// Members of each unit already placed (a unit larger than a tube is placed in parts).
    var placed: [Int32]
    /// People called ahead of each unit although they came later.
    public private(set) var overtaken: [Int32]
    /// The first unit that still has members waiting.
    var head: Int = 0
    /// Scratch space for one fill, kept to avoid allocating per tube.
    private var passed: [Int32] = []

    public var unitCount: Int { start.count - 1 }
    public var isEmpty: Bool { head >= unitCount }

    /// Builds the queue from units given as member lists' sizes and a flat member array.
    public init(members: [Int64], start: [Int32], overtaken: [Int32]) {
        precondition(start.count == overtaken.count + 1)
        self.members = members
        self.start = start
        self.overtaken = overtaken
        placed = [Int32](repeating: 0, count: overtaken.count)
    }

    func waiting(_ unit: Int) -> Int { Int(start[unit + 1] - start[unit] - placed[unit]) }

    /// Fills one tube with `room` places left, taking units from the head in
    /// order: a unit that fits goes in whole; a unit larger than a tube goes
    /// in part when that keeps it in the fewest tubes; a unit that does not
    /// fit is passed, but never by more than `maxOvertake` people in all.
    ///
    /// Calls `take` with each member placed, and returns how many were placed.
    /// - Throws: `RuleViolation.headDoesNotFit` when nothing could be placed.
    @discardableResult
    public mutating func fill(
        room: Int, capacity: Int, maxOvertake: Int, passedCounts: ((Int, Int32) -> Void)? = nil,
        take: (Int64) -> Void
    ) throws(RuleViolation) -> Int {
        var room = room
        var placedNow = 0
        passed.removeAll(keepingCapacity: true)
        var slack = Int.max  // how many more people the most-passed unit may still be passed by
        var unit = head
        while room > 0, unit < unitCount {
            let size = waiting(unit)
            if size == 0 { unit += 1; continue }
            let count: Int
            if size <= room {
                count = size
            } else if size > capacity, QueueCaller.fewestTubesKept(size: size, room: room, capacity: capacity) {
                count = room
            } else {
                passed.append(Int32(unit))
                slack = min(slack, maxOvertake - Int(overtaken[unit]))
                unit += 1
                continue
            }
            if count > slack { break }
            for p in passed {
                overtaken[Int(p)] += Int32(count)
                passedCounts?(Int(p), overtaken[Int(p)])
            }
            slack -= passed.isEmpty ? 0 : count
            let from = Int(start[unit] + placed[unit])
            for index in from..<(from + count) { take(members[index]) }
            placed[unit] += Int32(count)
            room -= count
            placedNow += count
            if waiting(unit) > 0 { break }  // a split household: the rest starts the next tube
            unit += 1
        }
        while head < unitCount, waiting(head) == 0 { head += 1 }
        if placedNow == 0, room > 0, !isEmpty {
            throw .headDoesNotFit(waiting: waiting(head), room: room)
        }
        return placedNow
    }
}
