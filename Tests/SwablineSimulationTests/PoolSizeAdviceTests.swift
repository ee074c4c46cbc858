import Foundation
import SwablineCore
import Testing

@testable import SwablineSimulation

@Suite("Pool-size advice: Dorfman's two-stage figures")
struct PoolSizeAdviceTests {
    @Test("at 1 % prevalence the best pool is 11-in-1, at about 0.196 tests per person")
    func onePercent() {
        let best = Dorfman.optimum(prevalence: 0.01)
        #expect(best.poolSize == 11)
        #expect(abs(best.testsPerPerson - 0.196) < 0.0005)
    }

    @Test("at 0.1 % prevalence the best pool is 32-in-1, at about 0.063 tests per person")
    func oneInAThousand() {
        let best = Dorfman.optimum(prevalence: 0.001)
        #expect(best.poolSize == 32)
        #expect(abs(best.testsPerPerson - 0.063) < 0.0005)
    }

    @Test("testing alone is one test per person; a pool is one test shared plus the retests")
    func formula() {
        for p in [0.0, 0.001, 0.2, 0.9] { #expect(Dorfman.testsPerPerson(poolSize: 1, prevalence: p) == 1) }
        // 1/10 + 1 − 0.99^10, worked by hand: 0.1 + 1 − 0.904382 = 0.195618.
        #expect(abs(Dorfman.testsPerPerson(poolSize: 10, prevalence: 0.01) - 0.195618) < 0.000001)
        #expect(abs(Dorfman.testsPerPerson(poolSize: 20, prevalence: 0) - 0.05) < 1e-12)
    }

    @Test("with no infection the largest pool wins; when half are infected pooling does not pay")
    func extremes() {
        #expect(Dorfman.optimum(prevalence: 0).poolSize == 100)
        #expect(Dorfman.optimum(prevalence: 0.5) == PoolSizeFigure(poolSize: 1, testsPerPerson: 1))
    }

    @Test(
        "the recommendation is the mode the zone allows that needs the fewest tests",
        arguments: [
            (0.01, Zone.precaution, TubeMode.pooled10), (0.001, .precaution, .pooled20), (0.001, .controlled, .pooled10),
            (0.001, .sealed, .pooled5), (0.3, .precaution, .single), (0.05, .controlled, .pooled5),
        ])
    func recommendation(prevalence: Double, zone: Zone, expected: TubeMode) {
        let advice = PoolSizeAdvice(prevalence: prevalence, zone: zone)
        #expect(advice.recommended == expected)
        #expect(advice.options.map(\.mode) == zone.allowedModes)
        for option in advice.options {
            #expect(option.testsPerPerson == Dorfman.testsPerPerson(poolSize: option.mode.capacity, prevalence: prevalence))
            #expect(option.testsPerPerson >= advice.testsPerPerson(expected))
        }
        #expect(advice.optimum == Dorfman.optimum(prevalence: prevalence))
    }
}
