import Foundation
import Testing

/// The pages in a real browser: `Tests/browser/test_round.py` drives headless
/// Chromium through a whole round against the real `swabline` binary
/// (`scripts/setup` installs Chromium, its driver and Selenium).
@Suite("Pages in a real browser")
struct BrowserTests {
    @Test("a whole round at 芳菲苑 through the pages (Selenium, headless Chromium)", .timeLimit(.minutes(5)))
    func wholeRoundInABrowser() throws {
        let run = try PythonScript.run(["Tests/browser/test_round.py", ServerProcess.binary.path])
        #expect(run.status == 0, "Tests/browser/test_round.py failed:\n\(run.output)")
    }
}
