import SwablineCore
import SwablineSimulation
import Testing

@Suite("Retry schedule of outcome callbacks")
struct RetryScheduleTests {
    @Test("the step doubles from the base up to the cap; the wait is jittered within the step's upper half")
    func backoff() {
        let schedule = RetrySchedule(base: 10, cap: 600, maxAttempts: 10)
        #expect((1...9).map(schedule.step(after:)) == [10, 20, 40, 80, 160, 320, 600, 600, 600])
        var random = SeededGenerator(seed: 7)
        var waits: Set<Double> = []
        for _ in 0..<200 {
            guard case let .retry(after) = schedule.next(after: 3, using: &random) else { Issue.record("gave up too early"); return }
            #expect(after >= 20 && after <= 40)
            waits.insert(after)
        }
        // Jitter spreads messages that failed together.
        #expect(waits.count > 150)
    }

    @Test("after the last attempt the message is dead-lettered")
    func deadLetter() {
        let schedule = RetrySchedule(base: 1, cap: 1, maxAttempts: 3)
        var random = SeededGenerator(seed: 1)
        #expect(schedule.next(after: 2, using: &random) != .deadLetter)
        #expect(schedule.next(after: 3, using: &random) == .deadLetter)
    }

    @Test("the defaults keep trying well past an hour, so a receiver down for an hour loses nothing")
    func defaultsOutlastAnHour() {
        let schedule = RetrySchedule()
        // Every wait is at least half its step.
        #expect(schedule.longestSpan / 2 > 3_600 * 1.5)
        #expect(schedule.longestSpan < 4 * 3_600)
        // Huge attempt numbers do not overflow.
        #expect(schedule.step(after: 10_000) == schedule.cap)
    }
}
