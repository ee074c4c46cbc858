import Foundation
import Testing

@Suite("Crash soak, short")
struct SoakTests {
    @Test("kill -9 at random moments under load: every acknowledged check-in is on disk once, the file is intact")
    func shortSoak() throws {
        let run = try PythonScript.run([
            "scripts/soak.py", "--binary", ServerProcess.binary.path, "--cycles", "5", "--clients", "8", "--load-seconds", "0.8",
        ])
        let output = run.output
        #expect(run.status == 0, "\(output)")
        let result = output.split(separator: "\n").first { $0.hasPrefix("RESULT") }.map(String.init) ?? ""
        #expect(result.contains("cycles=5") && result.contains("lost=0"), "\(output)")
        #expect(!result.contains("acknowledged=0 "), "the load never got through: \(output)")
    }
}
