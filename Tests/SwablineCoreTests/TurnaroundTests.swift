import Testing
@testable import SwablineCore

@Suite("Turnaround distributions")
struct TurnaroundTests {
    @Test("median, share at or past a limit, and negative durations counted as 0")
    func figures() {
        let t = Turnaround([10_800, -20, 18_000, 14_400, .nan])
        #expect(t.durations == [0, 10_800, 14_400, 18_000])
        #expect(t.median == 12_600)
        #expect(t.share(atLeast: Turnaround.receiptLimit) == 0.5)
        #expect(Turnaround([7]).median == 7)
        #expect(Turnaround([]).median == nil && Turnaround([]).share(atLeast: 1) == 0)
        #expect((Turnaround([1, 5]) + Turnaround([3])).durations == [1, 3, 5])
    }

    @Test("half-hour bins from 0: a value on an edge goes up, a quiet day keeps its scale, the tail shares an open last bin")
    func histogram() {
        let t = Turnaround([0, 1799, 1800, 14_400, 14_401])
        let bins = t.histogram(width: 1800, minBins: 10, maxBins: 16)
        #expect(bins.count == 10)
        #expect(bins.map(\.count) == [2, 1, 0, 0, 0, 0, 0, 0, 2, 0])
        #expect(bins[8].lower == 14_400 && bins[8].upper == 16_200)
        #expect(bins.allSatisfy { $0.upper != nil })

        let long = Turnaround([600, 32_400, 72_000]).histogram(width: 1800, minBins: 10, maxBins: 16)
        #expect(long.count == 16)
        #expect(long.last == Turnaround.Bin(lower: 27_000, upper: nil, count: 2))
        #expect(long.map(\.count).reduce(0, +) == 3)

        #expect(Turnaround([]).histogram(width: 1800, minBins: 4, maxBins: 8).map(\.count) == [0, 0, 0, 0])
        // Exactly as many bins as the data needs: the last one stays closed.
        #expect(Turnaround([10_805]).histogram(width: 3600, maxBins: 4).last?.upper == 14_400)
    }
}
