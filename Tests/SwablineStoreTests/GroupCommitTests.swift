import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

@Suite("Group commit")
struct GroupCommitTests {
    @Test("concurrent requests share transactions; a failing request fails alone")
    func grouping() async throws {
        let f = try await Fixture.make()
        let before = f.store.writerStats
        let codes = (1...300).map { String(format: "HXL%06d", $0) } + ["NOBODY1", "NOBODY2"]
        let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
            for code in codes {
                group.addTask {
                    let ticket = try? await f.store.checkIn(site: "huaxiali", code: code, walkIn: nil, priority: false, by: f.otherStaff)
                    return (code, ticket != nil)
                }
            }
            return await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.values.filter { $0 }.count == 300)
        #expect(outcomes["NOBODY1"] == false && outcomes["NOBODY2"] == false)
        let stats = f.store.writerStats
        #expect(stats.requests - before.requests == 302)
        #expect(stats.batches - before.batches < 302, "concurrent requests were committed together")
        #expect(stats.largestBatch <= Store.defaultMaxBatch)
        let numbers = try await f.store.read {
            try Int.fetchAll($0, sql: "SELECT number FROM ticket WHERE site_id = 'huaxiali' ORDER BY number")
        }
        #expect(numbers == Array(1...300), "every acknowledged check-in is there once, numbered without gaps")
    }

    @Test("rule 3 under concurrency: the same resident scanned at once on ten phones gets one ticket")
    func sameResidentAtOnce() async throws {
        let f = try await Fixture.make()
        let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try await f.store.checkIn(site: Fixture.site, code: "FFY000005", walkIn: nil, priority: false, by: f.staff).ticket.number
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(Set(numbers) == [1])
        let rows = try await f.store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ticket") }
        #expect(rows == 1)
    }

    @Test("a batch bound of one still answers everyone")
    func batchOfOne() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gc-\(UUID().uuidString).sqlite")
        let store = try Store(path: directory.path, maxBatch: 1)
        let rounds = try await withThrowingTaskGroup(of: RoundInfo.self) { group in
            for index in 0..<20 { group.addTask { try await store.openRound(name: "R\(index)").round } }
            return try await group.reduce(into: [RoundInfo]()) { $0.append($1) }
        }
        #expect(Set(rounds.map(\.id)).count == 20)
        #expect(store.writerStats.largestBatch == 1)
    }
}
