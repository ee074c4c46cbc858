import Benchmark
import Foundation
import GRDB
import SwablineCore
import SwablineSimulation
import SwablineStore

// Every figure has a ceiling measured in the same run on the same machine:
// read the ratio, not the absolute number (the machine is shared and noisy).

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident], warmupIterations: 0, maxDuration: .seconds(60), maxIterations: 5)

    // MARK: Packing

    Benchmark("Packing: 5M residents into 10-in-1 tubes") { benchmark in
        let queue = Synthetic.queue(residents: 5_000_000, seed: 1)
        benchmark.startMeasurement()
        let packing = Packer.pack(
            household: queue.household, householdCount: queue.householdCount, priority: queue.priority,
            singleTube: queue.singleTube, mode: .pooled10, policy: .standard(for: .pooled10))
        benchmark.stopMeasurement()
        blackHole(packing.tubeSize.count)
    }

    Benchmark("Ceiling: one counting pass over 5M residents by household") { benchmark in
        let queue = Synthetic.queue(residents: 5_000_000, seed: 1)
        benchmark.startMeasurement()
        var perHousehold = [Int32](repeating: 0, count: queue.householdCount)
        var order = [Int32](repeating: 0, count: queue.household.count)
        for (i, h) in queue.household.enumerated() where !queue.singleTube[i] {
            perHousehold[Int(h)] += 1
            order[i] = perHousehold[Int(h)]
        }
        benchmark.stopMeasurement()
        blackHole(order.last)
    }

    // MARK: Matching

    Benchmark("Matching: 2.5M tube results to 25M residents", configuration: .init(maxIterations: 3)) { benchmark in
        var city = Synthetic.city(tubes: 2_500_000, perTube: 10)
        var outcomes = [Outcome](repeating: .pending, count: city.tubes.members.count)
        benchmark.startMeasurement()
        let report = BatchMatching.apply(city.posted, to: &city.tubes, outcomes: &outcomes)
        benchmark.stopMeasurement()
        blackHole(report.retests.count)
    }

    Benchmark("Ceiling: one pass writing 25M outcomes", configuration: .init(maxIterations: 3)) { benchmark in
        let city = Synthetic.city(tubes: 2_500_000, perTube: 10)
        var outcomes = [Outcome](repeating: .pending, count: city.tubes.members.count)
        benchmark.startMeasurement()
        for t in 0..<city.posted.count {
            let outcome = Outcome.after(city.posted[t].result, in: .pooled10, was: nil)
            for m in Int(city.tubes.memberStart[t])..<Int(city.tubes.memberStart[t + 1]) {
                outcomes[Int(city.tubes.members[m])] = outcome
            }
        }
        benchmark.stopMeasurement()
        blackHole(outcomes.last)
    }

    // MARK: Durable writes

    Benchmark("Store: 20,000 check-ins at 100 gates, 64 concurrent, group commit (FULL)", configuration: .init(
        metrics: [.wallClock, .custom("p50 µs", useScalingFactor: false), .custom("p99 µs", useScalingFactor: false),
                  .custom("requests per commit", useScalingFactor: false)],
        maxIterations: 3)
    ) { benchmark in
        // A district's load arrives at many gates at once; no single gate has 20,000 people waiting.
        let bench = try await Synthetic.store(residents: 20_000, sites: 100)
        benchmark.startMeasurement()
        let latencies = try await Synthetic.concurrently(count: 20_000, clients: 64) { index in
            _ = try await bench.store.checkIn(
                site: bench.site(of: index), code: Synthetic.code(index), walkIn: nil, priority: false, by: bench.staff[index % bench.staff.count])
        }
        benchmark.stopMeasurement()
        let stats = bench.store.writerStats
        benchmark.measurement(.custom("p50 µs", useScalingFactor: false), latencies.percentile(50))
        benchmark.measurement(.custom("p99 µs", useScalingFactor: false), latencies.percentile(99))
        benchmark.measurement(.custom("requests per commit", useScalingFactor: false), stats.requests / max(1, stats.batches))
    }

    Benchmark("Store: 100,000 tube results from a lab, 500 a delivery, 4 deliveries at once", configuration: .init(
        metrics: [.wallClock, .custom("requests per commit", useScalingFactor: false)], maxIterations: 3)
    ) { benchmark in
        // 100,000 received pooled tubes of ten: a million residents whose outcomes the results decide.
        let bench = try await Synthetic.store(residents: 1_000_000, sites: 100)
        let tubes = try bench.receivedTubes(perTube: 10)
        var rng = SeededGenerator(seed: 11)
        let deliveries = stride(from: 0, to: tubes, by: 500).map { first in
            (first..<min(first + 500, tubes)).map { tube in
                PostedResult(tube: "T\(tube)", result: rng.next() % 200 == 0 ? .positive : .negative,
                    testedAt: Timestamp.string(Date()), ct: nil)
            }
        }
        benchmark.startMeasurement()
        _ = try await Synthetic.concurrently(count: deliveries.count, clients: 4) { index in
            _ = try await bench.store.receiveLabDelivery(lab: "lab-bench", webhookID: "msg_\(index)", event: .tubeResults(deliveries[index]))
        }
        benchmark.stopMeasurement()
        let stats = bench.store.writerStats
        benchmark.measurement(.custom("requests per commit", useScalingFactor: false), stats.requests / max(1, stats.batches))
    }

    Benchmark("Ceiling: the same 100,000 results as raw SQLite writes, 500 tubes a transaction", configuration: .init(
        metrics: [.wallClock], maxIterations: 2)
    ) { benchmark in
        // What the disk and SQLite allow for the rows a result must write: per tube one state
        // update and one custody event, per member one outcome row; WAL + FULL, prepared statements.
        let bench = try await Synthetic.store(residents: 1_000_000, sites: 100)
        let tubes = try bench.receivedTubes(perTube: 10)
        let pool = try DatabasePool(path: bench.path)
        try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        benchmark.startMeasurement()
        for first in stride(from: 0, to: tubes, by: 500) {
            try await pool.write { db in
                let update = try db.makeStatement(sql: "UPDATE tube SET state = 'resulted', result = 'negative' WHERE code = ?")
                let event = try db.makeStatement(sql: """
                    INSERT INTO custody_event (subject, code, event, actor, at) VALUES ('tube', ?, 'resulted', 'lab:lab-bench', '2022-04-05T12:00:00Z')
                    """)
                let outcome = try db.makeStatement(sql: """
                    INSERT INTO outcome (round_id, resident_id, status, decided_by_sample, updated_at)
                    VALUES (1, ?, 'negative', ?, '2022-04-05T12:00:00Z')
                    """)
                for tube in first..<min(first + 500, tubes) {
                    try update.execute(arguments: ["T\(tube)"])
                    try event.execute(arguments: ["T\(tube)"])
                    for member in 0..<10 {
                        let resident = tube * 10 + member + 1
                        try outcome.execute(arguments: [resident, resident])
                    }
                }
            }
        }
        benchmark.stopMeasurement()
    }

    Benchmark("Ceiling: 20,000 raw SQLite inserts, WAL + FULL, 256 per transaction", configuration: .init(maxIterations: 3)) { benchmark in
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("raw-\(UUID().uuidString).sqlite").path
        let pool = try DatabasePool(path: path)
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, at TEXT NOT NULL)")
        }
        benchmark.startMeasurement()
        for batch in stride(from: 0, to: 20_000, by: 256) {
            try await pool.write { db in
                for index in batch..<min(batch + 256, 20_000) {
                    try db.execute(sql: "INSERT INTO t (code, at) VALUES (?, ?)", arguments: [Synthetic.code(index), "2022-04-05T07:00:00Z"])
                }
            }
        }
        benchmark.stopMeasurement()
    }
}

/// Deterministic synthetic data at city scale.
enum Synthetic {
    struct Queue {
        var household: [Int32] = []
        var priority: [Bool] = []
        var singleTube: [Bool] = []
        var householdCount = 0
    }

    /// Residents in households of 1–6, interleaved as they arrive.
    static func queue(residents: Int, seed: UInt64) -> Queue {
        var rng = SeededGenerator(seed: seed)
        var queue = Queue()
        queue.household.reserveCapacity(residents)
        queue.priority.reserveCapacity(residents)
        queue.singleTube.reserveCapacity(residents)
        var open: [(household: Int32, left: Int)] = []
        while queue.household.count < residents {
            if open.count < 3 || rng.next() % 2 == 0 {
                open.append((Int32(queue.householdCount), Int(rng.next() % 6) + 1))
                queue.householdCount += 1
            }
            let pick = Int(rng.next() % UInt64(open.count))
            queue.household.append(open[pick].household)
            queue.priority.append(rng.next() % 8 == 0)
            queue.singleTube.append(rng.next() % 70 == 0)
            open[pick].left -= 1
            if open[pick].left == 0 { open.swapAt(pick, open.count - 1); open.removeLast() }
        }
        return queue
    }

    struct City {
        var tubes: BatchMatching.Tubes
        var posted: [BatchMatching.Posted]
    }

    /// Tubes of `perTube` people, all received, one result each (1 in 200 positive).
    static func city(tubes count: Int, perTube: Int) -> City {
        var rng = SeededGenerator(seed: 7)
        let memberStart = (0...count).map { Int32($0 * perTube) }
        let members = (0..<(count * perTube)).map { Int32($0) }
        let tubes = BatchMatching.Tubes(
            memberStart: memberStart, members: members, mode: [TubeMode](repeating: .pooled10, count: count),
            state: [TubeState](repeating: .received, count: count), recorded: [TubeResult?](repeating: nil, count: count))
        let posted = (0..<count).map { BatchMatching.Posted(tube: Int32($0), result: rng.next() % 200 == 0 ? .positive : .negative) }
        return City(tubes: tubes, posted: posted)
    }

    static func code(_ index: Int) -> String { "BENCH\(index)" }

    /// A store, the path of its file, and one staff token per site.
    struct Bench {
        var store: Store
        var path: String
        var sites: Int
        var staff: [Actor]

        /// Residents are spread over the sites in turn.
        func site(of index: Int) -> String { "bench\(index % sites)" }

        /// Puts every resident into a received tube of `perTube` (pooled 10-in-1) in one
        /// box at the lab, straight in SQL: the state a city's tubes are in when results come.
        /// Returns the number of tubes, named T0, T1, ….
        func receivedTubes(perTube: Int) throws -> Int {
            let pool = try DatabasePool(path: path)
            return try pool.write { db in
                let residents = try Int.fetchOne(db, sql: "SELECT count(*) FROM resident")!
                let round = try Int64.fetchOne(db, sql: "SELECT max(id) FROM round")!
                try db.execute(sql: """
                    INSERT INTO box (code, site_id, lab_id, state, created_at)
                    VALUES ('BX', 'bench0', 'lab-bench', 'received', '2022-04-05T08:00:00Z')
                    """)
                try db.execute(sql: """
                    WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < ? - 1)
                    INSERT INTO tube (code, site_id, round_id, station_id, mode, state, box_code, opened_at)
                    SELECT 'T' || x, 'bench0', ?, 's1', 'pooled10', 'received', 'BX', '2022-04-05T07:00:00Z' FROM c
                    """, arguments: [residents / perTube, round])
                try db.execute(sql: """
                    INSERT INTO sample (round_id, resident_id, tube_code, slot, retest, sampled_at)
                    SELECT ?, id, 'T' || ((id - 1) / ?), (id - 1) % ?, 0, '2022-04-05T07:30:00Z' FROM resident WHERE id <= ?
                    """, arguments: [round, perTube, perTube, residents / perTube * perTube])
                return residents / perTube
            }
        }
    }

    /// A store with `sites` sites sharing `residents` people in households of three.
    static func store(residents: Int, sites: Int) async throws -> Bench {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).sqlite").path
        let store = try Store(path: path)
        var loaded: [LoadedSite] = []
        for s in 0..<sites {
            let site = SiteDefinition(
                id: "bench\(s)", name: "Bench \(s)", address: "loopback", timeZone: "Asia/Shanghai", zone: .precaution,
                poolMode: .pooled10, lab: "lab-bench", opens: LocalTime("07:00")!, closes: LocalTime("19:00")!,
                stations: [.init(id: "s1", name: "1")], slots: [])
            // Households of three consecutive residents of the same site: index = household * 3 * sites + member * sites + s.
            let roster = stride(from: s, to: residents, by: sites).map { index in
                let household = index / (3 * sites)
                return RosterEntry(
                    code: code(index), name: "居民\(index)", idNumber: "11010519491231002X", phone: "13812345678",
                    building: String(household / 1000), unit: "1", room: String(household % 1000), household: "h\(household)",
                    priority: false, singleTube: false)
            }
            loaded.append(LoadedSite(folder: "bench\(s)", definition: site, roster: roster))
        }
        _ = try await store.importSites(loaded)
        _ = try await store.ensureRound(defaultName: "Bench")
        var staff: [Actor] = []
        for s in 0..<sites {
            staff.append(try await store.actor(forToken: try await store.createToken(role: .staff, site: "bench\(s)", label: nil).token)!)
        }
        return Bench(store: store, path: path, sites: sites, staff: staff)
    }

    /// Runs `count` operations from `clients` concurrent clients; returns each one's latency in µs.
    static func concurrently(count: Int, clients: Int, _ operation: @escaping @Sendable (Int) async throws -> Void) async throws -> [Int] {
        try await withThrowingTaskGroup(of: [Int].self) { group in
            for client in 0..<clients {
                group.addTask {
                    var latencies: [Int] = []
                    for index in stride(from: client, to: count, by: clients) {
                        let start = ContinuousClock.now
                        try await operation(index)
                        let elapsed = ContinuousClock.now - start
                        latencies.append(Int(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000))
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }
}

extension Array where Element == Int {
    func percentile(_ p: Int) -> Int {
        guard !isEmpty else { return 0 }
        let sorted = self.sorted()
        return sorted[Swift.min(sorted.count - 1, sorted.count * p / 100)]
    }
}
