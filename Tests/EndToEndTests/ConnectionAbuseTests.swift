import Foundation
import Testing

/// Abuse without credentials against the real binary under a small
/// descriptor limit: idle connections, stalled unsigned uploads and
/// malformed chunked bodies (`Tests/connections/test_abuse.py`).
@Suite("Abuse without credentials")
struct ConnectionAbuseTests {
    @Test("idle connections are closed, stalled uploads stay small, malformed bodies are 400", .timeLimit(.minutes(4)))
    func abuse() throws {
        let run = try PythonScript.run(["Tests/connections/test_abuse.py", ServerProcess.binary.path])
        #expect(run.status == 0, "Tests/connections/test_abuse.py failed:\n\(run.output)")
    }

    @Test("an idle timeout longer than a request body may take is refused at start, with the limit")
    func idleTimeoutBound() async throws {
        // A stalled body is closed by the idle timeout alone: past the body's 45 s it would be held too long.
        let workspace = try await Workspace("idle-timeout")
        let refused = try workspace.run(["serve", "--port", "0", "--idle-timeout", "46"])
        #expect(refused.status != 0 && refused.output.contains("--idle-timeout must be at most 45 seconds"), "\(refused.output)")
    }
}
