import SwablineCharts
import SwablineCore
import SwablineSimulation

/// The report of a simulated day as one self-contained HTML page: the
/// summary table, the charts inline (SVG drawn by Swabline), the advice
/// when asked for, and links to the raw CSV. No script, no external file.
enum SimulationHTML {
    static func page(summary: SimulationSummary, charts: SimulationCharts, advice: [String]) -> String {
        let e = SVGText.escape
        var out = """
            <p>A seeded simulation of one testing day (<code>swabline simulate</code>): the same site, options and seed give the same figures.
            Raw series: <a href="series.csv">series.csv</a>, courier runs: <a href="pickups.csv">pickups.csv</a>.</p>
            <h2>Summary</h2>
            <table>

            """
        for row in summary.rows { out += "<tr><th>\(e(row.label))</th><td>\(e(row.value))</td></tr>\n" }
        out += "</table>\n<h2>Stations</h2>\n<table>\n<tr><th>station</th><th>sampled</th><th>worst step p95 wait</th></tr>\n"
        for row in summary.stations {
            out +=
                "<tr><td>\(e(row.station))</td><td class=\"n\">\(row.sampled)</td><td class=\"n\">\(e(row.worstStepWaitP95.map(DayTime.duration) ?? "—"))</td></tr>\n"
        }
        out += "</table>\n<h2>Charts</h2>\n"
        for chart in charts.charts {
            out +=
                "<figure id=\"\(e(chart.name))\">\n\(chart.svg)<figcaption><a href=\"\(e(chart.name)).svg\">\(e(chart.name)).svg</a></figcaption>\n</figure>\n"
        }
        if !advice.isEmpty {
            out += "<h2>Advice</h2>\n<ul>\n"
            for line in advice { out += "<li>\(e(line))</li>\n" }
            out += "</ul>\n"
        }
        return ReportPage.document(title: "Simulated day: \(summary.title)", body: out)
    }
}
