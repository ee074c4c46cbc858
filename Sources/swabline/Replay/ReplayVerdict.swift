import SwablineCore
import SwablineSimulation

/// The comparison a replay ends with: the simulation's ground truth beside
/// the server's reports, row by row, and every difference by name.
struct ReplayVerdict {
    let expected: RoundState
    let actual: RoundState
    let differences: [RoundDifference]

    init(expected: RoundState, actual: RoundState) {
        self.expected = expected
        self.actual = actual
        differences = expected.differences(from: actual)
    }

    var equal: Bool { differences.isEmpty }

    /// The table, the verdict line, and the differences (the first
    /// `limit`, then how many more).
    func text(limit: Int = 40) -> String {
        var rows: [(String, Int, Int, Bool)] = [
            ("Expected", expected.counts.expected, actual.counts.expected, true),
            ("Checked in", expected.counts.checkedIn, actual.counts.checkedIn, true),
            ("Sampled", expected.counts.sampled, actual.counts.sampled, true),
            ("Resulted", expected.counts.resulted, actual.counts.resulted, true),
            ("Missing list", expected.missing.count, actual.missing.count, expected.missing == actual.missing),
            ("Retest list", expected.retests.count, actual.retests.count, expected.retests == actual.retests),
        ]
        for ((outcome, mine), (_, theirs)) in zip(expected.outcomeCounts, actual.outcomeCounts) {
            let same = expected.outcomes.filter { $0.value == outcome } == actual.outcomes.filter { $0.value == outcome }
            rows.append(("Outcome \(outcome.rawValue)", mine, theirs, same))
        }
        var lines = ["", "                      simulation     server"]
        for (name, mine, theirs, sameSet) in rows {
            let same = mine == theirs && sameSet
            lines.append(
                pad(name, 20) + pad(String(mine), 12, left: true) + pad(String(theirs), 11, left: true) + (same ? "   =" : "   ≠"))
        }
        lines.append("(lists and outcomes compare the residents' codes, not only their number)")
        lines.append("")
        if equal {
            lines.append("Equal: the server's coverage, outcomes and retest list are the simulation's ground truth exactly.")
        } else {
            lines.append("Different: \(differences.count) difference(s) between the simulation's ground truth and the server:")
            lines += differences.prefix(limit).map { "  \($0)" }
            if differences.count > limit { lines.append("  … and \(differences.count - limit) more") }
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return left ? fill + text : text + fill
    }
}
