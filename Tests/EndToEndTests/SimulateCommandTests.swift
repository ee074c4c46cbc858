import Foundation
import Testing

/// `swabline simulate` run as an operator would: the real binary on a
/// shipped site, into a temporary folder.
@Suite("swabline simulate", .serialized)
struct SimulateCommandTests {
    static let sites = TestServer.repository.appendingPathComponent("sites")

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swabline-simulate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("华夏里社区: prints its summary, writes the report, and the same seed gives byte-identical files")
    func shippedSite() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("a"), second = folder.appendingPathComponent("b")
        let site = Self.sites.appendingPathComponent("华夏里社区").path
        let run = try ServerProcess.run(["simulate", "--site", site, "--out", first.path])
        #expect(run.status == 0, "\(run.output)")
        for line in [
            "华夏里社区 (huaxiali), seed 2022", "Everyone who came sampled by", "Samples over 4 h 00 min", "Retests", "People isolated",
        ] {
            #expect(run.output.contains(line), "the summary lacks \(line)")
        }
        let files = ["report.html", "series.csv", "pickups.csv", "queue.svg", "wait.svg", "wait-p50.svg", "wait-p95.svg", "pickups.svg"]
        for file in files {
            #expect(FileManager.default.fileExists(atPath: first.appendingPathComponent(file).path), "\(file) was not written")
        }
        let html = try String(contentsOf: first.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && !html.contains("<script") && !html.contains("src=\"http"))

        let again = try ServerProcess.run(["simulate", "--site", "huaxiali", "--sites", Self.sites.path, "--out", second.path])
        #expect(again.status == 0, "\(again.output)")
        for file in files {
            let a = try Data(contentsOf: first.appendingPathComponent(file)), b = try Data(contentsOf: second.appendingPathComponent(file))
            #expect(a == b, "\(file) differs between two runs with the same seed")
        }
        let other = folder.appendingPathComponent("c")
        let reseeded = try ServerProcess.run(["simulate", "--site", site, "--seed", "7", "--out", other.path])
        #expect(reseeded.status == 0, "\(reseeded.output)")
        #expect(
            try Data(contentsOf: other.appendingPathComponent("series.csv")) != Data(contentsOf: first.appendingPathComponent("series.csv"))
        )
    }

    @Test("--advise prints the Dorfman figure of every mode the zone allows")
    func advise() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try ServerProcess.run([
            "simulate", "--site", Self.sites.appendingPathComponent("芳菲苑").path, "--advise", "--out", folder.path,
        ])
        #expect(run.status == 0, "\(run.output)")
        // 芳菲苑 is a precaution zone at 0.1 %: 1/k + 1 − 0.999^k.
        for line in [
            "pooled5: 0.205 tests per person expected", "pooled10: 0.110 tests per person expected",
            "pooled20: 0.070 tests per person expected", "single: 1.000 tests per person expected",
        ] {
            #expect(run.output.contains(line), "the advice lacks \(line)")
        }
        #expect(run.output.contains("→ [dorfman] pooled20"))
    }

    @Test("a small district prints its totals and the load per lab")
    func district() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try ServerProcess.run(["simulate", "--district", "6", "--labs", "2", "--out", folder.path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("District of 6 communities") && run.output.contains("lab-1") && run.output.contains("lab-2"))
        let sites = try String(contentsOf: folder.appendingPathComponent("sites.csv"), encoding: .utf8)
        #expect(sites.split(separator: "\n").count == 7)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("lab-deliveries.svg").path))
    }

    @Test(
        "bad input is refused with a sentence and a non-zero exit",
        arguments: [
            (["simulate"], "--site"),
            (["simulate", "--site", "nowhere"], "No site \"nowhere\""),
            (["simulate", "--site", "huaxiali", "--prevalence", "2"], "--prevalence"),
            (["simulate", "--site", "huaxiali", "--pool-mode", "pooled7"], "--pool-mode must be one of"),
            (["simulate", "--site", "huaxiali", "--pool-mode", "pooled20"], "not allowed in a controlled zone"),
            (["simulate", "--site", "huaxiali", "--stations", "0"], "--stations"),
            (["simulate", "--site", "huaxiali", "--district", "3"], "not both"),
        ])
    func badInput(arguments: [String], message: String) throws {
        let run = try ServerProcess.run(
            arguments + [
                "--sites", Self.sites.path, "--out",
                FileManager.default.temporaryDirectory.appendingPathComponent("swabline-simulate-bad").path,
            ])
        #expect(run.status != 0)
        #expect(run.output.contains(message), "\(run.output)")
    }
}
