import SwablineSimulation
import Testing
@testable import SwablineCore

@Suite("Queue calling keeps rules 1 and 2 and bounds overtaking")
struct QueueCallerTests {
    /// A random queue: households of 1–6 (some of 12, larger than a tube),
    /// arriving interleaved, some priority, some single-tube.
    static func randomQueue(_ rng: inout SeededGenerator, households: Int, largest: Int = 12) -> [WaitingTicket] {
        var pending: [[WaitingTicket]] = []
        var ticket: Int64 = 0
        for h in 0..<households {
            let size = min(largest, Int.random(in: 0..<20, using: &rng) == 0 ? 12 : Int.random(in: 1...6, using: &rng))
            let lane: Lane = Int.random(in: 0..<5, using: &rng) == 0 ? .priority : .normal
            pending.append((0..<size).map { _ in
                ticket += 1
                return WaitingTicket(
                    ticket: ticket, household: Int64(h), lane: Int.random(in: 0..<3, using: &rng) == 0 ? lane : .normal,
                    singleTube: Int.random(in: 0..<40, using: &rng) == 0)
            })
        }
        // Members of a household check in close together but interleaved with others.
        var queue: [WaitingTicket] = []
        while !pending.isEmpty {
            let i = Int.random(in: 0..<min(3, pending.count), using: &rng)
            queue.append(pending[i].removeFirst())
            if pending[i].isEmpty { pending.remove(at: i) }
        }
        return queue
    }

    struct Run {
        var tubes: [(mode: TubeMode, members: [WaitingTicket])] = []
        var maxOvertaken = 0
    }

    /// Drains a queue the way stations do: call into the open tube until it
    /// is full or nothing fits, then seal and open the next one.
    static func drain(_ queue: [WaitingTicket], mode: TubeMode, policy: CallPolicy) throws -> Run {
        var waiting = queue
        var run = Run()
        var guardCount = 0
        while !waiting.isEmpty {
            guardCount += 1
            #expect(guardCount < 10_000, "the queue never drains")
            if guardCount >= 10_000 { break }
            let pooledLeft = waiting.contains { !$0.singleTube }
            let tubeMode = pooledLeft ? mode : .single
            var members: [WaitingTicket] = []
            while members.count < tubeMode.capacity {
                let decision: CallDecision
                do {
                    decision = try QueueCaller.nextGroup(queue: waiting, mode: tubeMode, filled: members.count, policy: policy)
                } catch {
                    #expect(!members.isEmpty, "a fresh tube always takes the head: \(error)")
                    break
                }
                if decision.called.isEmpty { break }
                #expect(decision.called.count <= tubeMode.capacity - members.count, "rule 1: never more than the room")
                let called = Set(decision.called)
                members += waiting.filter { called.contains($0.ticket) }
                waiting.removeAll { called.contains($0.ticket) }
                for i in waiting.indices {
                    if let count = decision.overtaken[waiting[i].ticket] { waiting[i].overtaken = count }
                    run.maxOvertaken = max(run.maxOvertaken, waiting[i].overtaken)
                }
            }
            if members.isEmpty { break }
            run.tubes.append((tubeMode, members))
        }
        return run
    }

    @Test("random queues: every person in exactly one tube, no rule broken", arguments: [TubeMode.pooled5, .pooled10, .pooled20])
    func randomQueues(mode: TubeMode) throws {
        var rng = SeededGenerator(seed: 2022_04_05)
        for _ in 0..<150 {
            let queue = Self.randomQueue(&rng, households: Int.random(in: 1...60, using: &rng))
            let policy = CallPolicy.standard(for: mode)
            let run = try Self.drain(queue, mode: mode, policy: policy)
            let placed = run.tubes.flatMap { $0.members.map(\.ticket) }
            #expect(placed.sorted() == queue.map(\.ticket).sorted(), "everyone placed exactly once")
            #expect(run.maxOvertaken <= policy.maxOvertake, "overtaking stays bounded")
            for tube in run.tubes {
                #expect(tube.members.count <= tube.mode.capacity, "rule 1")
                if tube.mode.isPooled { #expect(tube.members.allSatisfy { !$0.singleTube }, "rule 1: single-tube people never pooled") }
            }
            // Rule 2: a household's pooled members share one tube, or the fewest tubes when larger than one.
            let pooled = queue.filter { !$0.singleTube }
            for (household, members) in Dictionary(grouping: pooled, by: \.household) {
                let tubes = run.tubes.filter { $0.mode.isPooled && $0.members.contains { $0.household == household } }.count
                let fewest = (members.count + mode.capacity - 1) / mode.capacity
                #expect(tubes == fewest, "household of \(members.count) in \(tubes) tubes, fewest is \(fewest)")
            }
        }
    }

    @Test("the priority lane is called first, and brings its household")
    func priorityFirst() throws {
        let queue = [
            WaitingTicket(ticket: 1, household: 1, lane: .normal, singleTube: false),
            WaitingTicket(ticket: 2, household: 2, lane: .normal, singleTube: false),
            WaitingTicket(ticket: 3, household: 3, lane: .priority, singleTube: false),
            WaitingTicket(ticket: 4, household: 3, lane: .normal, singleTube: false),
        ]
        let decision = try QueueCaller.nextGroup(queue: queue, mode: .pooled5, filled: 2, policy: .init(maxOvertake: 5))
        #expect(decision.called == [3, 4, 1])
        #expect(decision.stillWaiting == 1)
    }

    @Test("a household that does not fit is passed, but only up to the bound")
    func boundedOvertaking() throws {
        let queue = [
            WaitingTicket(ticket: 1, household: 1, lane: .normal, singleTube: false),
            WaitingTicket(ticket: 2, household: 1, lane: .normal, singleTube: false),
            WaitingTicket(ticket: 3, household: 1, lane: .normal, singleTube: false),
            WaitingTicket(ticket: 4, household: 2, lane: .normal, singleTube: false),
        ]
        // Room for 2: the household of 3 is passed by the single person behind it.
        let first = try QueueCaller.nextGroup(queue: queue, mode: .pooled10, filled: 8, policy: .init(maxOvertake: 1))
        #expect(first.called == [4])
        #expect(first.overtaken == [1: 1, 2: 1, 3: 1])
        // Once passed as often as allowed, nobody passes it again: the station must seal.
        let passed = queue.map { var t = $0; t.overtaken = $0.household == 1 ? 1 : 0; return t }
        #expect(throws: RuleViolation.headDoesNotFit(waiting: 3, room: 2)) {
            try QueueCaller.nextGroup(queue: passed, mode: .pooled10, filled: 8, policy: .init(maxOvertake: 1))
        }
    }

    @Test("a single tube takes one flagged person first; a pooled tube leaves them waiting")
    func singleTube() throws {
        let queue = [
            WaitingTicket(ticket: 1, household: 1, lane: .normal, singleTube: false),
            WaitingTicket(ticket: 2, household: 2, lane: .normal, singleTube: true),
        ]
        let single = try QueueCaller.nextGroup(queue: queue, mode: .single, filled: 0, policy: .init(maxOvertake: 5))
        #expect(single.called == [2])
        let pooled = try QueueCaller.nextGroup(queue: queue, mode: .pooled10, filled: 0, policy: .init(maxOvertake: 5))
        #expect(pooled.called == [1])
        #expect(pooled.singleTubeWaiting == 1)
    }

    @Test("a household larger than a tube is split only where the fewest tubes stay possible")
    func largeHousehold() {
        #expect(QueueCaller.fewestTubesKept(size: 13, room: 10, capacity: 10))
        #expect(QueueCaller.fewestTubesKept(size: 13, room: 3, capacity: 10))
        #expect(!QueueCaller.fewestTubesKept(size: 20, room: 5, capacity: 10))
        #expect(QueueCaller.fewestTubesKept(size: 7, room: 5, capacity: 5))
    }

    @Test("a household another station holds is not offered to a pooled tube, nor counted as passed")
    func heldElsewhere() throws {
        let queue = [
            WaitingTicket(ticket: 1, household: 1, lane: .normal, singleTube: false),
            WaitingTicket(ticket: 2, household: 2, lane: .normal, singleTube: false),
            WaitingTicket(ticket: 3, household: 2, lane: .normal, singleTube: false),
        ]
        let pooled = try QueueCaller.nextGroup(queue: queue, mode: .pooled10, filled: 0, policy: .init(maxOvertake: 5), heldElsewhere: [1])
        #expect(pooled.called == [2, 3])
        #expect(pooled.overtaken.isEmpty, "ticket 1 waits for its household's station; nobody passed it here")
        #expect(pooled.stillWaiting == 1)
        let free = try QueueCaller.nextGroup(queue: queue, mode: .pooled10, filled: 0, policy: .init(maxOvertake: 5))
        #expect(free.called == [1, 2, 3])
        // Rule 2 concerns pooled tubes: a single tube may take anyone.
        let single = try QueueCaller.nextGroup(queue: queue, mode: .single, filled: 0, policy: .init(maxOvertake: 5), heldElsewhere: [1])
        #expect(single.called == [1])
    }

    @Test("an empty queue calls nobody")
    func emptyQueue() throws {
        let decision = try QueueCaller.nextGroup(queue: [], mode: .pooled10, filled: 3, policy: .init(maxOvertake: 5))
        #expect(decision.called.isEmpty)
        #expect(decision.stillWaiting == 0)
    }
}
