import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

/// 居家隔离: a positive isolates the household, with tests due during it.
@Suite("Home isolation after a positive")
struct IsolationTests {
    @Test("a pool-positive isolates each member's household for 7 days; the follow-up list shows who owes which test; callbacks carry it")
    func isolation() async throws {
        let day = Date(timeIntervalSince1970: 1_651_197_600)  // 2022-04-29 10:00 in Shanghai
        let clock = MovableClock(day)
        let f = try await Fixture.make(clock: { clock.now })
        _ = try await f.store.addSubscriber(url: "http://127.0.0.1:9/outcomes", events: [.residentOutcome], label: nil)
        let people = try await f.household("1-2-401")
        try await f.shipTube("P1", residents: people, box: "B1")
        _ = try await f.results("w1", [("P1", .positive)])
        let report = try await f.store.isolation(site: Fixture.site, by: f.staff)
        #expect(report.households.map(\.household) == ["1-2-401"])
        let household = report.households[0]
        #expect(household.since == "2022-04-29" && household.until == "2022-05-05")
        #expect(household.testDays == ["2022-04-29", "2022-05-01", "2022-05-03", "2022-05-05"])
        #expect(household.residents.allSatisfy { $0.testDue == "2022-04-29" && $0.standing == .poolPositive })
        #expect(report.due == people.count && report.overdue == 0)
        let callback = try #require(try await f.store.dueCallbacks(limit: 10).first)
        let body = String(decoding: callback.body, as: UTF8.self)
        #expect(body.contains(#""isolated_until":"2022-05-05""#) && body.contains(#""standing":"pool_positive""#), "\(body)")
        // Two days on, nobody retested: day 1's test is overdue, day 3's is due.
        clock.now = day.addingTimeInterval(2 * 86_400)
        let later = try await f.store.isolation(site: Fixture.site, by: f.coordinator)
        #expect(later.households[0].residents.allSatisfy { $0.testDue == "2022-05-01" && $0.testOverdue == "2022-04-29" })
        await #expect(throws: StoreError.self) { try await f.store.isolation(site: nil, by: f.staff) }
        await #expect(throws: StoreError.self) { try await f.store.isolation(site: "huaxiali", by: f.staff) }
        // After the last day the list is empty.
        clock.now = day.addingTimeInterval(7 * 86_400)
        #expect(try await f.store.isolation(site: nil, by: f.coordinator).households.isEmpty)
    }
}

