import Foundation
import SwablineTestSupport
import Testing

@Suite("Crash soak, short")
struct SoakTests {
    @Test("kill -9 at random moments under check-ins and lab results: every acknowledged write is on disk once, the file is intact")
    func shortSoak() async throws {
        // On the PostgreSQL pass the soak runs in a schema of its own; on SQLite it makes its own file.
        let database = TestDatabase.onPostgres
            ? ["--database", try await TestDatabase.location(in: FileManager.default.temporaryDirectory, name: "soak.sqlite")] : []
        let run = try PythonScript.run([
            "scripts/soak.py", "--binary", ServerProcess.binary.path, "--cycles", "5", "--clients", "8", "--load-seconds", "0.8",
            "--tubes", "300", "--lab-clients", "2",
        ] + database)
        let output = run.output
        #expect(run.status == 0, "\(output)")
        let result = output.split(separator: "\n").first { $0.hasPrefix("RESULT") }.map(String.init) ?? ""
        let fields = Dictionary(
            result.split(separator: " ").compactMap { field -> (String, String)? in
                let parts = field.split(separator: "=", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
        #expect(fields["cycles"] == "5" && fields["lost"] == "0", "\(output)")
        #expect(fields["lab_lost"] == "0" && fields["lab_half_applied"] == "0", "\(output)")
        #expect((Int(fields["acknowledged"] ?? "") ?? 0) > 0, "the check-ins never got through: \(output)")
        #expect((Int(fields["lab_deliveries"] ?? "") ?? 0) > 0, "no lab delivery got through: \(output)")
        #expect((Int(fields["replays_ok"] ?? "") ?? 0) > 0, "no acknowledged delivery was posted again after a restart: \(output)")
    }
}
