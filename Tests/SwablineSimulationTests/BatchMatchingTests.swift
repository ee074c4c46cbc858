import SwablineCore
import Testing

@testable import SwablineSimulation

@Suite("Matching results in bulk")
struct BatchMatchingTests {
    @Test("bulk matching applies once, keeps conflicts as anomalies, and lists retests")
    func matching() {
        var tubes = BatchMatching.Tubes(
            memberStart: [0, 3, 5, 6], members: [0, 1, 2, 3, 4, 5], mode: [.pooled10, .pooled10, .single],
            state: [.received, .received, .handedOver], recorded: [nil, nil, nil])
        var outcomes = [Outcome](repeating: .pending, count: 6)
        let report = BatchMatching.apply(
            [.init(tube: 0, result: .positive), .init(tube: 1, result: .negative), .init(tube: 1, result: .negative),
             .init(tube: 1, result: .invalid), .init(tube: 2, result: .negative), .init(tube: -1, result: .negative)],
            to: &tubes, outcomes: &outcomes)
        #expect(report.fates == [.applied, .applied, .duplicate, .anomaly, .notReceived, .unknownTube])
        #expect(outcomes == [.poolPositive, .poolPositive, .poolPositive, .negative, .negative, .pending])
        #expect(report.retests == [0, 1, 2])
        #expect(report.anomalies == [3])
        #expect(tubes.recorded[1] == .negative, "a conflicting result never overwrites")
    }
}
