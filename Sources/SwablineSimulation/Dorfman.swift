import Foundation

/// Dorfman's two-stage pooling: every pool is tested once, and everyone in a
/// positive pool is tested again alone. Expected tests per person for pools
/// of `k` at prevalence `p`:
///
///     1/k + 1 − (1 − p)^k
///
/// (one test shared by `k` people, plus a retest for each person whose pool
/// holds at least one infection).
///
/// This is the per-person expectation when infections are independent. At a
/// site they are not: households share a tube (rule 2) and infect each
/// other, so infections bunch into fewer tubes and the real figure is
/// usually a little lower. `DaySimulation` measures that clustered figure
/// (`SimulationReport.testsPerPerson`); these numbers stay the plain Dorfman
/// ones so they can be checked against the textbook.
public enum Dorfman {
    /// Expected tests per person for pools of `poolSize` at `prevalence`
    /// (0…1). A pool of one is testing alone: exactly one test, no retest.
    public static func testsPerPerson(poolSize: Int, prevalence: Double) -> Double {
        precondition(poolSize >= 1, "a pool holds at least one person")
        if poolSize == 1 { return 1 }
        let k = Double(poolSize)
        return 1 / k + 1 - pow(1 - prevalence, k)
    }

    /// The pool size with the fewest expected tests per person among
    /// `sizes` (1…100 unless told), ignoring what a zone allows. Ties go to
    /// the smaller pool: fewer people to isolate when it is positive.
    public static func optimum(prevalence: Double, sizes: ClosedRange<Int> = 1...100) -> PoolSizeFigure {
        var best: PoolSizeFigure?
        for k in sizes {
            let figure = testsPerPerson(poolSize: k, prevalence: prevalence)
            if best == nil || figure < best!.testsPerPerson { best = PoolSizeFigure(poolSize: k, testsPerPerson: figure) }
        }
        return best!
    }
}

/// One pool size and its expected tests per person.
public struct PoolSizeFigure: Sendable, Hashable, Codable {
    public var poolSize: Int
    public var testsPerPerson: Double

    public init(poolSize: Int, testsPerPerson: Double) {
        self.poolSize = poolSize
        self.testsPerPerson = testsPerPerson
    }
}
