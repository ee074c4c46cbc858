import Foundation
import GRDB
import SwablineTestSupport
import Testing
@testable import SwablineStore

/// Runs the real `swabline` binary, as an operator would.
struct ServerProcess {
    let process: Process
    let port: Int

    /// The `swabline` executable the test build made, next to the test bundle.
    static var binary: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("swabline"),
            Bundle.main.bundleURL.appendingPathComponent("swabline"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("swabline"),
            TestServer.repository.appendingPathComponent(".build/debug/swabline"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    /// Runs a CLI command to its end and returns what it printed: `output`
    /// is stdout and stderr together (as a terminal shows them), `stdout`
    /// alone is what a script capturing the command gets (a token, say).
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, stdout: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("swabline-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stdout = String(decoding: data, as: UTF8.self)
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        return (process.terminationStatus, stdout + stderr, stdout)
    }

    /// Starts `swabline serve` on a free loopback port and waits until it
    /// answers. With `log`, everything it prints goes to that file;
    /// `arguments` are added to `serve`'s own.
    static func start(
        database: String, log: URL? = nil, logLevel: String = "warning", arguments extra: [String] = []
    ) async throws -> ServerProcess {
        for _ in 0..<5 {
            // Below Linux's ephemeral range (32768–60999): polling a port no one
            // listens on yet can otherwise be given that same port as the
            // client's source and connect to itself (scripts/loopback.py).
            let port = Int.random(in: 10_000..<32_768)
            let process = Process()
            process.executableURL = binary
            process.arguments = ["serve", "--port", String(port), "--db", database, "--sites",
                                 TestServer.repository.appendingPathComponent("sites").path, "--log-level", logLevel] + extra
            if let log {
                FileManager.default.createFile(atPath: log.path, contents: nil)
                let handle = try FileHandle(forWritingTo: log)
                process.standardOutput = handle
                process.standardError = handle
            } else {
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
            }
            try process.run()
            let client = Client(port: port)
            for _ in 0..<150 {
                if !process.isRunning { break }
                if let reply = try? await client.send("GET", "/healthz"), reply.status == 200 {
                    return ServerProcess(process: process, port: port)
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            if process.isRunning { process.terminate() }
        }
        throw CocoaError(.featureUnsupported)
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

@Suite("Rule 5: nothing acknowledged is lost", .serialized)
struct CrashTests {
    @Test("check-ins acknowledged before kill -9 are all there after a restart, and the database is intact")
    func killNine() async throws {
        let workspace = try await Workspace("crash")
        let database = workspace.database
        let token = try workspace.token("staff", site: "huaxiali")

        let server = try await workspace.start()
        let client = Client(port: server.port)
        let codes = (1...3000).map { String(format: "HXL%06d", $0) }
        // Eight clients check people in as fast as they can; the server is
        // killed mid-stream, once 300 check-ins have been acknowledged.
        let counter = Counter()
        let acknowledged = try await withThrowingTaskGroup(of: [(String, Int)].self) { group in
            for lane in 0..<8 {
                group.addTask {
                    var mine: [(String, Int)] = []
                    for code in codes.enumerated().filter({ $0.offset % 8 == lane }).map(\.element) {
                        guard let reply = try? await client.send("POST", "/v1/sites/huaxiali/checkins", token: token, json: ["resident_code": code]),
                            reply.status == 201, let ticket = reply.json["ticket"] as? [String: Any], let number = ticket["number"] as? Int
                        else { break }
                        mine.append((code, number))
                        if counter.increment() == 300 { server.kill9() }
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [(String, Int)]()) { $0 += $1 }
        }
        #expect(acknowledged.count > 0, "no check-in was acknowledged before the kill")
        #expect(acknowledged.count < codes.count, "the kill came after every request; it proves nothing")

        let restarted = try await ServerProcess.start(database: database)
        defer { restarted.process.terminate() }
        let again = Client(port: restarted.port)
        for (code, number) in acknowledged {
            let reply = try await again.send("POST", "/v1/sites/huaxiali/checkins", token: token, json: ["resident_code": code])
            #expect(reply.status == 200, "acknowledged check-in of \(code) was lost: \(reply)")
            #expect((reply.json["ticket"] as? [String: Any])?["number"] as? Int == number)
        }
        // SQLite's own check of the file; PostgreSQL has none to ask (its WAL replays on restart).
        if !TestDatabase.onPostgres {
            let store = try Store(path: database)
            let integrity = try await store.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            #expect(integrity == ["ok"])
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
