import ArgumentParser
import Foundation

/// Writes a report folder: the data files, each chart as its own `.svg`,
/// and `report.html` with the charts inline.
enum ReportFolder {
    /// - Returns: the path of `report.html`.
    static func write(
        _ folder: String, files: [(name: String, text: String)], charts: SimulationCharts,
        html: (SimulationCharts) -> String
    ) throws -> String {
        var all = files
        all += charts.charts.map { ("\($0.name).svg", $0.svg) }
        all.append(("report.html", html(charts)))
        return try write(folder, all)
    }

    static func write(_ folder: String, _ files: [(name: String, text: String)]) throws -> String {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for file in files {
                try Data(file.text.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent(file.name), options: .atomic)
            }
        } catch {
            throw ValidationError("Cannot write the report to \(folder): \(error.localizedDescription)")
        }
        return (folder as NSString).appendingPathComponent("report.html")
    }

    static func elapsed(since start: ContinuousClock.Instant) -> String {
        let duration = ContinuousClock.now - start
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.2f s", seconds)
    }
}
