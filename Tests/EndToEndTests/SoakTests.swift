import Foundation
import Testing

@Suite("Crash soak, short")
struct SoakTests {
    @Test("kill -9 at random moments under load: every acknowledged check-in is on disk once, the file is intact")
    func shortSoak() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestServer.repository.appendingPathComponent("scripts/soak.py").path,
                             "--binary", ServerProcess.binary.path, "--cycles", "5", "--clients", "8", "--load-seconds", "0.8"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        let result = output.split(separator: "\n").first { $0.hasPrefix("RESULT") }.map(String.init) ?? ""
        #expect(result.contains("cycles=5") && result.contains("lost=0"), "\(output)")
        #expect(!result.contains("acknowledged=0 "), "the load never got through: \(output)")
    }
}
