import Foundation
import Testing

/// `scripts/setup`, read through its `--list` (which installs nothing): the
/// README's run command installs only what the build needs, its test command
/// adds the test tools, and `.ci/run` runs exactly the README's test command.
@Suite("scripts/setup")
struct SetupScriptTests {
    /// Runs `scripts/setup` from the repository folder, to its end.
    static func setup(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", "scripts/setup"] + arguments
        process.currentDirectoryURL = TestServer.repository
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Small outputs: reading one pipe to its end cannot block on the other filling up.
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    /// The packages `--list` names, as `apt <name>` / `pip <name>`.
    static func listed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Set<String> {
        let run = try setup(arguments + ["--list"])
        #expect(run.status == 0, "scripts/setup \(arguments) --list: \(run.stderr)", sourceLocation: sourceLocation)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        for line in lines {
            #expect(line.hasPrefix("apt ") || line.hasPrefix("pip "), "not an apt or pip line: \(line)", sourceLocation: sourceLocation)
        }
        return Set(lines)
    }

    @Test("plain setup (the run command) ensures the build's packages and no test tool")
    func runCommand() throws {
        let packages = try Self.listed([])
        #expect(packages.contains("apt libsqlite3-dev"))
        #expect(packages.contains("apt libcurl4-openssl-dev"))
        for tool in ["apt chromium", "apt chromium-driver", "apt fonts-wqy-microhei", "pip selenium", "pip schemathesis"] {
            #expect(!packages.contains(tool), "the run command would install \(tool)")
        }
        #expect(!packages.contains(where: { $0.hasPrefix("pip ") }), "the run command needs no Python package: \(packages.sorted())")
    }

    @Test("setup --tests adds PostgreSQL's server, the browser, its driver, the font, openssl, selenium, schemathesis and the HL7 and FHIR peers")
    func testCommand() throws {
        let packages = try Self.listed(["--tests"])
        for package in [
            "apt libsqlite3-dev", "apt libcurl4-openssl-dev", "apt chromium", "apt chromium-driver", "apt fonts-wqy-microhei",
            "apt openssl", "apt postgresql-15", "apt postgresql-15-auto-failover", "apt pg-auto-failover-cli",
            "pip selenium", "pip schemathesis", "pip hl7", "pip hl7apy", "pip fhir.resources",
        ] {
            #expect(packages.contains(package), "setup --tests --list lacks \(package): \(packages.sorted())")
        }
        #expect(try Self.listed([]).isSubset(of: packages), "--tests drops a package the build needs")
        let reversed = try Self.setup(["--list", "--tests"])
        #expect(Set(reversed.stdout.split(separator: "\n").map(String.init)) == packages, "--list and --tests combine in either order")
    }

    @Test("an unknown flag is refused on stderr with exit 2", arguments: ["--test", "--bogus", "tests"])
    func unknownFlag(flag: String) throws {
        let run = try Self.setup([flag])
        #expect(run.status == 2, "exit \(run.status): \(run.stderr)")
        #expect(run.stderr.contains("'\(flag)'"), "stderr does not name \(flag): \(run.stderr)")
        #expect(run.stdout.isEmpty, "printed on stdout: \(run.stdout)")
    }

    @Test("the README runs with plain setup, tests with scripts/test (which runs setup --tests), and .ci/run runs exactly the README's test command")
    func commandsAgree() throws {
        let readme = try String(contentsOf: TestServer.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let ci = try String(contentsOf: TestServer.repository.appendingPathComponent(".ci/run"), encoding: .utf8)
        let script = try String(contentsOf: TestServer.repository.appendingPathComponent("scripts/test"), encoding: .utf8)
        let testCommand = "scripts/test"
        let runs = readme.contains("\nscripts/setup && swift run swabline serve\n")
        let tests = readme.contains("\n\(testCommand)\n")
        let oldTests = readme.contains("scripts/setup && swift test")
        let ciRuns = ci.split(separator: "\n").contains { $0 == testCommand }
        #expect(runs, "README.md lacks the run command `scripts/setup && swift run swabline serve`")
        #expect(tests, "README.md lacks the test command `\(testCommand)`")
        #expect(!oldTests, "README.md still tests with plain `scripts/setup`")
        #expect(ciRuns, ".ci/run does not run `\(testCommand)`")
        #expect(script.split(separator: "\n").contains("scripts/setup --tests"), "scripts/test does not install the test tools first")
    }
}
