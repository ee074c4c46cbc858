import SwablineCharts
import SwablineCore
import SwablineSimulation

/// A campaign's rounds as one row each: what a coordinator reads at the end
/// of every day. Printed as an aligned table, written as CSV and HTML.
struct CampaignSummary: Sendable, Hashable {
    struct Row: Sendable, Hashable {
        var round: Int
        var sampled: Int
        var positive: Int
        var poolPositive: Int
        /// Not cleared as the round opened: single-tube all day.
        var notClearedCarried: Int
        var isolated: Int
        var missingClosed: Int
        var missingOpen: Int
        var pooledWhileNotCleared: Int
        /// Carriers on the day (ground truth) and how many of them were sampled.
        var carriers: Int
        var carriersSampled: Int

        init(_ round: CampaignRound) {
            self.round = round.number
            sampled = round.script.truth.sampled.filter { $0 }.count
            positive = round.count(.positive)
            poolPositive = round.count(.poolPositive)
            notClearedCarried = round.standingsBefore.filter(\.needsSingleTube).count
            isolated = round.isolated.filter { $0 }.count
            missingClosed = round.reasons.count
            missingOpen = round.openTasks.count
            pooledWhileNotCleared = round.pooledWhileNotCleared.count
            carriers = round.carriers.filter { $0 }.count
            carriersSampled = round.carriers.indices.filter { round.carriers[$0] && round.script.truth.sampled[$0] }.count
        }

        var values: [Int] {
            [
                round, sampled, positive, poolPositive, notClearedCarried, isolated, missingClosed, missingOpen, pooledWhileNotCleared,
                carriers, carriersSampled,
            ]
        }
    }

    static let columns = [
        "round", "sampled", "positive", "pool_positive", "not_cleared_carried", "isolated", "missing_closed", "missing_open",
        "pooled_while_not_cleared", "carriers", "carriers_sampled",
    ]

    var title: String
    var rows: [Row]

    init(_ rounds: [CampaignRound], site: SimulatedSite, seed: UInt64) {
        title = "\(site.definition.name) (\(site.definition.id)), \(rounds.count) rounds, seed \(seed)"
        rows = rounds.map(Row.init)
    }

    var pooledWhileNotCleared: Int { rows.reduce(0) { $0 + $1.pooledWhileNotCleared } }

    /// The table as aligned plain text, and the rule 9 line under it.
    var text: String {
        let headers = ["round", "sampled", "positive", "pool+", "not cleared", "isolated", "closed", "open", "pooled ✗", "carriers"]
        let cells = rows.map { row in
            row.values.prefix(9).map { String($0) } + ["\(row.carriersSampled)/\(row.carriers)"]
        }
        let widths = headers.indices.map { i in max(headers[i].count, cells.map { $0[i].count }.max() ?? 0) }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }.joined(separator: "  ")
        }
        var out = title + "\n" + line(headers) + "\n"
        for row in cells { out += line(row) + "\n" }
        out +=
            "(pool+: pool-positive people; not cleared: carried into the round, single-tube all day; closed / open: missing "
            + "people with a reason / still a task; pooled ✗: pooled while not cleared; carriers: sampled / infected that day)\n"
        out += "People pooled while not cleared, all rounds: \(pooledWhileNotCleared)\n"
        return out
    }

    var csv: String {
        Self.columns.joined(separator: ",") + "\n" + rows.map { $0.values.map { String($0) }.joined(separator: ",") + "\n" }.joined()
    }

    /// The report page: the table, and why each column matters.
    var html: String {
        let e = SVGText.escape
        var body = """
            <p>A seeded simulation of consecutive daily rounds (<code>swabline simulate --rounds</code>): the same site, options and
            seed give the same figures. Per round: <a href="rounds.csv">rounds.csv</a>; the missing and why:
            <a href="missing.csv">missing.csv</a>; standings not cleared: <a href="standings.csv">standings.csv</a>.</p>
            <table>
            <tr>
            """
        body += Self.columns.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        for row in rows { body += "<tr>" + row.values.map { "<td class=\"n\">\($0)</td>" }.joined() + "</tr>\n" }
        body += "</table>\n<p>People pooled while not cleared, all rounds: \(pooledWhileNotCleared) (rule 9 says none).</p>\n"
        return ReportPage.document(title: "Simulated campaign: \(title)", body: body)
    }
}
