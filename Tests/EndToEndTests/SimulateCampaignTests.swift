import Foundation
import Testing

/// `swabline simulate --rounds N`: a campaign run as an operator would, on
/// a shipped site, and played through the real server round after round.
@Suite("swabline simulate --rounds", .serialized)
struct SimulateCampaignTests {
    static let sites = SimulateCommandTests.sites

    /// The output without the line that says how long it took.
    static func withoutTiming(_ output: String) -> String {
        output.split(separator: "\n").filter { !$0.hasPrefix("Report: ") }.joined(separator: "\n")
    }

    @Test("华夏里社区, 5 rounds: a row per round, nobody pooled while not cleared, and the same seed gives the same output and files")
    func shippedSite() throws {
        let folder = try SimulateCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("a"), second = folder.appendingPathComponent("b")
        let arguments = ["simulate", "--site", "huaxiali", "--sites", Self.sites.path, "--rounds", "5"]
        let run = try ServerProcess.run(arguments + ["--out", first.path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("华夏里社区 (huaxiali), 5 rounds, seed 2022"))
        #expect(run.output.contains("People pooled while not cleared, all rounds: 0"))
        let rows = run.output.split(separator: "\n").filter { $0.range(of: #"^\s+[1-5]\s+\d+"#, options: .regularExpression) != nil }
        #expect(rows.count == 5, "\(run.output)")
        let files = ["report.html", "rounds.csv", "missing.csv", "standings.csv"]
        let again = try ServerProcess.run(arguments + ["--out", second.path])
        #expect(Self.withoutTiming(again.output) == Self.withoutTiming(run.output))
        for file in files {
            let a = try Data(contentsOf: first.appendingPathComponent(file)), b = try Data(contentsOf: second.appendingPathComponent(file))
            #expect(a == b, "\(file) differs between two runs with the same seed")
        }
        let rounds = try String(contentsOf: first.appendingPathComponent("rounds.csv"), encoding: .utf8)
        #expect(rounds.hasPrefix("round,sampled,positive,pool_positive,not_cleared_carried,isolated,missing_closed,missing_open"))
        #expect(rounds.split(separator: "\n").count == 6)
    }

    @Test("芳菲苑, 3 rounds replayed through the API: each round's coverage, outcomes, retest list and standings equal the ground truth")
    func replayEqualsTruth() async throws {
        let workspace = try await Workspace("campaign")
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        let credentials = try workspace.replayCredentials(site: "fangfeiyuan", lab: "lab-dian")
        let server = try await workspace.start()
        defer { server.process.terminate() }
        // Seed 1 at 3 %: pool-positives and a positive in round 1, so rounds 2 and 3 carry people not cleared.
        let run = try ServerProcess.run([
            "simulate", "--site", "fangfeiyuan", "--sites", workspace.sites, "--rounds", "3", "--seed", "1", "--prevalence", "0.03",
            "--against", "http://127.0.0.1:\(server.port)", "--timeout", "120",
        ] + credentials)
        #expect(run.status == 0, "\(run.output)")
        for round in 1...3 {
            #expect(
                run.output.range(
                    of: "Round \(round) \"[^\"]+\": [0-9]+ requests in [0-9.]+ s; coverage, outcomes, retest list, standings =",
                    options: .regularExpression) != nil, "round \(round): \(run.output)")
        }
        #expect(run.output.contains("Equal in all 3 rounds"), "\(run.output)")
        #expect(run.output.contains("0 people pooled while not cleared"))
    }

    @Test(
        "bad campaign options are refused with a sentence",
        arguments: [
            (["--rounds", "0"], "--rounds must be between 1 and 30"),
            (["--rounds", "3", "--advise"], "--advise is about one day"),
        ])
    func badInput(arguments: [String], message: String) throws {
        let run = try ServerProcess.run(["simulate", "--site", "huaxiali", "--sites", Self.sites.path] + arguments)
        #expect(run.status != 0)
        #expect(run.output.contains(message), "\(run.output)")
    }
}
