import Foundation
import GRDB
import SwablineCore
import SwablineSimulation
import SwablineStore

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

    /// Deletes a benchmark's SQLite file with its WAL and shared memory: a
    /// million-resident store is 1.6 GB, and every iteration makes a new one.
    static func removeDatabase(at path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
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
