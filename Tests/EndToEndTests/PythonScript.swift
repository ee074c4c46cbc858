import Foundation

/// Runs a Python tool of the repository (or a module with `-m`) to its end,
/// from the repository folder, and returns its exit status and everything
/// it printed: the browser round, the crash soak and schemathesis all run this way.
enum PythonScript {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = TestServer.repository
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// The same, waited for on a Dispatch thread: a peer that talks to a
    /// server running in this process (the MLLP listener) must not hold one
    /// of the few threads that server's own tasks run on.
    static func runAside(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try run(arguments) }) }
        }
    }
}
