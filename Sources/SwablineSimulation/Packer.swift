import SwablineCore

/// Tubes for a whole queue at once, as the stations would fill them one
/// call after another (the same `UnitQueue.fill`), for planning a day and
/// for checking the caller at city scale.
public struct Packing: Sendable {
    /// The tube each resident went into (index into `tubeMode`/`tubeSize`).
    public var tubeOf: [Int32]
    public var tubeMode: [TubeMode]
    public var tubeSize: [Int32]
    /// The most people who were called ahead of anyone who came before them.
    public var maxOvertaken: Int
}

public enum Packer {
    /// Packs residents, given in check-in order, into tubes of `mode`
    /// (single-tube people into single tubes, after the pooled ones).
    ///
    /// - Parameters:
    ///   - household: each resident's household, a dense id in `0..<householdCount`.
    ///   - priority: whether each resident is in the priority lane.
    ///   - singleTube: whether each resident may only go into a single tube.
    public static func pack(
        household: [Int32], householdCount: Int, priority: [Bool], singleTube: [Bool], mode: TubeMode, policy: CallPolicy
    ) -> Packing {
        let n = household.count
        precondition(priority.count == n && singleTube.count == n)
        // Calling order: the priority lane first, each lane in check-in order.
        var order = [Int32]()
        order.reserveCapacity(n)
        for i in 0..<n where priority[i] { order.append(Int32(i)) }
        for i in 0..<n where !priority[i] { order.append(Int32(i)) }
        let queue = unitQueue(order: order, household: household, householdCount: householdCount, singleTube: singleTube)
        var units = queue.units
        var packing = Packing(tubeOf: [Int32](repeating: -1, count: n), tubeMode: [], tubeSize: [], maxOvertaken: 0)
        packing.tubeMode.reserveCapacity(n / max(1, mode.capacity) + queue.singles.count + 1)
        packing.tubeSize.reserveCapacity(packing.tubeMode.capacity)
        fillPooled(&units, into: &packing, mode: mode, policy: policy)
        for i in queue.singles {
            packing.tubeOf[Int(i)] = Int32(packing.tubeSize.count)
            packing.tubeMode.append(.single)
            packing.tubeSize.append(1)
        }
        packing.maxOvertaken = Int(units.overtaken.max() ?? 0)
        return packing
    }

    /// Units: each household's pooled members, placed where its first member
    /// stands in the calling `order`; and the single-tube people, in order.
    static func unitQueue(
        order: [Int32], household: [Int32], householdCount: Int, singleTube: [Bool]
    ) -> (units: UnitQueue, singles: [Int32]) {
        var unitOf = [Int32](repeating: -1, count: householdCount)
        var unitSize: [Int32] = []
        var singles: [Int32] = []
        for i in order {
            if singleTube[Int(i)] { singles.append(i); continue }
            let h = Int(household[Int(i)])
            if unitOf[h] < 0 {
                unitOf[h] = Int32(unitSize.count)
                unitSize.append(0)
            }
            unitSize[Int(unitOf[h])] += 1
        }
        var start = [Int32](repeating: 0, count: unitSize.count + 1)
        for u in 0..<unitSize.count { start[u + 1] = start[u] + unitSize[u] }
        var cursor = Array(start.dropLast())
        var members = [Int64](repeating: 0, count: Int(start.last!))
        for i in order where !singleTube[Int(i)] {
            let u = Int(unitOf[Int(household[Int(i)])])
            members[Int(cursor[u])] = Int64(i)
            cursor[u] += 1
        }
        return (UnitQueue(members: members, start: start, overtaken: [Int32](repeating: 0, count: unitSize.count)), singles)
    }

    /// Fills tubes of `mode` one after another until every unit is placed.
    static func fillPooled(_ units: inout UnitQueue, into packing: inout Packing, mode: TubeMode, policy: CallPolicy) {
        while !units.isEmpty {
            let tube = Int32(packing.tubeSize.count)
            let count: Int
            do {
                count = try units.fill(room: mode.capacity, capacity: mode.capacity, maxOvertake: policy.maxOvertake) {
                    packing.tubeOf[Int($0)] = tube
                }
            } catch {
                // A fresh tube always takes the head household, whole or in its first part.
                preconditionFailure("a fresh tube refused the head of the queue: \(error)")
            }
            packing.tubeMode.append(mode)
            packing.tubeSize.append(Int32(count))
        }
    }
}
