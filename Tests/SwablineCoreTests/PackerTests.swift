import SwablineSimulation
import Testing
@testable import SwablineCore

/// The packer (`SwablineSimulation`) against the live caller, through the
/// caller tests' own random queues and station drain, so it lives beside them.
@Suite("Packing a whole queue")
struct PackerTests {
    @Test("random queues: rules 1 and 2 hold, everyone in one tube, and the packer fills tubes exactly as stations calling one by one would",
          arguments: [TubeMode.pooled5, .pooled10, .pooled20])
    func packs(mode: TubeMode) throws {
        var rng = SeededGenerator(seed: 20_220_405)
        var compared = 0
        for round in 0..<200 {
            // Every other queue has no household larger than a tube, so the comparison below runs often.
            let queue = QueueCallerTests.randomQueue(
                &rng, households: Int.random(in: 1...80, using: &rng), largest: round % 2 == 0 ? 12 : mode.capacity)
            let households = Int(queue.map(\.household).max()! + 1)
            let policy = CallPolicy.standard(for: mode)
            let packing = Packer.pack(
                household: queue.map { Int32($0.household) }, householdCount: households,
                priority: queue.map { $0.lane == .priority }, singleTube: queue.map(\.singleTube), mode: mode, policy: policy)
            #expect(packing.tubeOf.allSatisfy { $0 >= 0 }, "everyone is placed")
            var sizes = [Int32](repeating: 0, count: packing.tubeSize.count)
            for t in packing.tubeOf { sizes[Int(t)] += 1 }
            #expect(sizes == packing.tubeSize, "each person counted once")
            for (t, size) in packing.tubeSize.enumerated() {
                #expect(size <= Int32(packing.tubeMode[t].capacity), "rule 1")
            }
            for (i, entry) in queue.enumerated() where entry.singleTube {
                #expect(packing.tubeMode[Int(packing.tubeOf[i])] == .single, "rule 1: single-tube people never pooled")
            }
            for (household, members) in Dictionary(grouping: queue.indices.filter { !queue[$0].singleTube }, by: { queue[$0].household }) {
                let tubes = Set(members.map { packing.tubeOf[$0] }).count
                #expect(tubes == (members.count + mode.capacity - 1) / mode.capacity, "rule 2: household \(household)")
            }
            #expect(packing.maxOvertaken <= policy.maxOvertake)
            // The same tubes as the station's caller gives, call after call. (After a household
            // larger than a tube is split, the packer finishes it first while the caller places
            // its rest where its earliest waiting member stands: both keep the fewest tubes.)
            let largest = Dictionary(grouping: queue.filter { !$0.singleTube }, by: \.household).values.map(\.count).max() ?? 0
            guard largest <= mode.capacity else { continue }
            compared += 1
            let run = try QueueCallerTests.drain(queue, mode: mode, policy: policy)
            let index = Dictionary(uniqueKeysWithValues: queue.enumerated().map { ($1.ticket, $0) })
            let fromCaller = run.tubes.filter { $0.mode.isPooled }.map { Set($0.members.map { index[$0.ticket]! }) }
            let fromPacker = packing.tubeSize.indices.filter { packing.tubeMode[$0].isPooled }.map { t in
                Set(queue.indices.filter { packing.tubeOf[$0] == Int32(t) })
            }
            #expect(fromCaller == fromPacker)
        }
        #expect(compared >= 100)
    }
}
