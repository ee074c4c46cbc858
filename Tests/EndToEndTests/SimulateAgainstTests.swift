import ArgumentParser
import Foundation
import SwablineCore
import SwablineSimulation
import SwablineStore
import Testing
@testable import swabline

/// `swabline simulate --against`: the simulated day played through the real
/// server (the built binary, a fresh database, loopback), then compared.
@Suite("swabline simulate --against a real server", .serialized)
struct SimulateAgainstTests {
    @Test("芳菲苑's day replayed through the API: the server's coverage, outcomes and retest list equal the ground truth")
    func replayEqualsTruth() async throws {
        let workspace = try await Workspace("against")
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        let sites = workspace.sites
        let credentials = try workspace.replayCredentials(site: "fangfeiyuan", lab: "lab-dian")
        let server = try await workspace.start()
        defer { server.process.terminate() }
        let against = "http://127.0.0.1:\(server.port)"
        // Seed 1 at 芳菲苑 has a positive pool: the retest list and the outcomes have something to compare.
        let replay = [
            "simulate", "--site", "fangfeiyuan", "--sites", sites, "--seed", "1", "--against", against, "--timeout", "120",
        ] + credentials
        let run = try ServerProcess.run(replay)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("Equal: the server's coverage, outcomes and retest list are the simulation's ground truth exactly."))
        #expect(run.output.range(of: #"Retest list\s+4\s+4\s+="#, options: .regularExpression) != nil, "\(run.output)")
        #expect(run.output.range(of: #"Outcome pool_positive\s+4\s+4\s+="#, options: .regularExpression) != nil)
        #expect(run.output.range(of: #"Replayed in [0-9.]+ s: [0-9]+ requests"#, options: .regularExpression) != nil)

        // The round now holds that day: a second replay into it is refused with what to do, and writes nothing.
        let again = try ServerProcess.run(replay)
        #expect(again.status != 0)
        #expect(again.output.contains("a replay needs a fresh round") && again.output.contains("swabline rounds open"), "\(again.output)")
        #expect(!again.output.contains("Replaying"))
    }

    @Test("only a server on this machine: other hosts and schemes are refused before anything is sent")
    func loopbackOnly() throws {
        for good in ["http://127.0.0.1:8080", "http://localhost:8080/", "http://[::1]:9000"] {
            #expect(throws: Never.self) { try ReplayTarget(good) }
        }
        #expect(try ReplayTarget("http://[::1]:9000").base == "http://[::1]:9000")
        for bad in ["http://10.0.0.7:8080", "http://example.com", "https://127.0.0.1:8443", "http://127.0.0.1:8080/v1", "127.0.0.1:8080"] {
            #expect(throws: (any Error).self, "\(bad)") { try ReplayTarget(bad) }
        }
        let run = try ServerProcess.run([
            "simulate", "--site", "fangfeiyuan", "--sites", TestServer.repository.appendingPathComponent("sites").path,
            "--against", "http://192.168.1.20:8080", "--staff-token", "a", "--courier-token", "b", "--coordinator-token", "c",
            "--lab-secret", "whsec_x",
        ])
        #expect(run.status != 0 && run.output.contains("only replays against a server on this machine"), "\(run.output)")
    }

    @Test("credentials come from the options or the environment, and a missing one is named with how to make it")
    func credentials() throws {
        let options = try ReplayOptions.parse(["--against", "http://127.0.0.1:1", "--staff-token", "S"])
        let environment = ["SWABLINE_STAFF_TOKEN": "env-staff", "SWABLINE_COURIER_TOKEN": "C", "SWABLINE_COORDINATOR_TOKEN": "K"]
        #expect(throws: (any Error).self) { try options.credentials(environment) }
        let all = try options.credentials(environment.merging(["SWABLINE_LAB_SECRET": "whsec_L"]) { $1 })
        #expect(all.staff == "S" && all.courier == "C" && all.coordinator == "K" && all.labSecret == "whsec_L")
        let error = #expect(throws: ValidationError.self) { try options.credentials([:]) }
        let message = error?.message ?? ""
        #expect(message.contains("--lab-secret or SWABLINE_LAB_SECRET") && message.contains("swabline labs add"), "\(message)")
        #expect(!message.contains("--staff-token"), "the staff token was given")
    }

    @Test("the verdict lists each difference when the server differs from the ground truth")
    func verdictDiffers() {
        let truth = RoundState(
            counts: CoverageCounts(expected: 3, checkedIn: 2, sampled: 2, resulted: 2), missing: ["FFY000003"],
            outcomes: ["FFY000001": .poolPositive, "FFY000002": .negative], retests: ["FFY000001"])
        #expect(ReplayVerdict(expected: truth, actual: truth).equal)
        var server = truth
        server.outcomes["FFY000001"] = .negative
        server.retests = []
        let verdict = ReplayVerdict(expected: truth, actual: server)
        #expect(!verdict.equal)
        let text = verdict.text()
        #expect(text.contains("Different: 2 difference(s)"))
        #expect(text.contains("retest FFY000001: simulation listed, server not listed"))
        #expect(text.contains("outcome of FFY000001: simulation pool_positive, server negative"))
        #expect(text.range(of: #"Retest list\s+1\s+0\s+≠"#, options: .regularExpression) != nil)
    }

    @Test("simulated walk-ins carry fields the gate accepts: a valid ID number and phone, an address of their own")
    func walkInFields() {
        var codes: Set<String> = [], ids: Set<String> = []
        for number in 1...400 {
            let fields = ReplayNames.walkIn(number, round: 3)
            let entry = RosterCheck.entry(
                [
                    "resident_code": "W\(number)", "name": fields.name, "id_number": fields.idNumber, "phone": fields.phone,
                    "building": fields.building, "unit": fields.unit, "room": fields.room, "household": "h",
                ], file: "walk-in", line: number)
            if case let .failure(problems) = entry { Issue.record("walk-in \(number): \(problems)") }
            codes.insert(fields.room)
            ids.insert(fields.idNumber)
        }
        #expect(codes.count == 400 && ids.count == 400, "each walk-in is its own household with its own ID number")
    }
}
