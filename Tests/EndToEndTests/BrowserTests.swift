import Foundation
import Testing

/// The pages in a real browser: `Tests/browser/test_round.py` drives headless
/// Chromium through a whole round against the real `swabline` binary
/// (`scripts/setup --tests` installs Chromium, its driver and Selenium).
@Suite("Pages in a real browser")
struct BrowserTests {
    @Test("a whole round at 芳菲苑 through the pages (Selenium, headless Chromium)", .timeLimit(.minutes(5)))
    func wholeRoundInABrowser() throws {
        let run = try PythonScript.run(["Tests/browser/test_round.py", ServerProcess.binary.path])
        #expect(run.status == 0, "Tests/browser/test_round.py failed:\n\(run.output)")
    }

    /// A phone on the site's network opens the pages by address, not localhost:
    /// the Secure session cookie must come over HTTPS (`serve --tls-cert --tls-key`).
    /// `Tests/browser/test_tls.py` shows Chromium dropping it over plain HTTP at
    /// `swabline.test` (mapped to 127.0.0.1), then keeping it over HTTPS with a certificate it makes.
    @Test("signing in from a non-loopback origin holds over HTTPS, not over HTTP (Selenium, headless Chromium)",
          .timeLimit(.minutes(5)))
    func signInOverHTTPS() throws {
        let run = try PythonScript.run(["Tests/browser/test_tls.py", ServerProcess.binary.path])
        #expect(run.status == 0, "Tests/browser/test_tls.py failed:\n\(run.output)")
    }
}
