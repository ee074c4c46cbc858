import Foundation
import Testing

/// The pages in a real browser: `Tests/browser/test_round.py` drives headless
/// Chromium through a whole round against the real `swabline` binary
/// (`scripts/setup` installs Chromium, its driver and Selenium).
@Suite("Pages in a real browser")
struct BrowserTests {
    @Test("a whole round at 芳菲苑 through the pages (Selenium, headless Chromium)", .timeLimit(.minutes(5)))
    func wholeRoundInABrowser() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestServer.repository.appendingPathComponent("Tests/browser/test_round.py").path, ServerProcess.binary.path]
        process.currentDirectoryURL = TestServer.repository
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "Tests/browser/test_round.py failed:\n\(output)")
    }
}
