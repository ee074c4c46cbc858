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
        defer { Synthetic.removeDatabase(at: bench.path) }
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
        // Milliseconds: in seconds the figure rounds away a fifth of itself, and the ratio with it.
        metrics: [.wallClock, .custom("requests per commit", useScalingFactor: false)], timeUnits: .milliseconds, maxIterations: 3)
    ) { benchmark in
        // 100,000 received pooled tubes of ten: a million residents whose outcomes the results decide.
        let bench = try await Synthetic.store(residents: 1_000_000, sites: 100)
        defer { Synthetic.removeDatabase(at: bench.path) }
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
        // update and one custody event, per member one outcome row; WAL and the store's writer settings
        // (FULL), prepared statements.
        let bench = try await Synthetic.store(residents: 1_000_000, sites: 100)
        defer { Synthetic.removeDatabase(at: bench.path) }
        let tubes = try bench.receivedTubes(perTube: 10)
        let pool = try DatabasePool(path: bench.path)
        try await pool.writeWithoutTransaction { db in
            for pragma in Store.writerPragmas { try db.execute(sql: pragma) }
        }
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
        defer { Synthetic.removeDatabase(at: path) }
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
