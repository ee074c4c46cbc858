import Foundation
import SwablineTestSupport
import Testing

/// A fresh database in its own temporary folder, with the repository's
/// sites, worked on by the real `swabline` binary: what an operator has
/// after cloning. Tests that start `serve` as a process begin here.
struct Workspace {
    let directory: URL
    let database: String
    let sites: String

    /// The database is an SQLite file in the folder, or on the PostgreSQL
    /// pass a new schema of that server (`TestDatabase`).
    init(_ name: String) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("swabline-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try await TestDatabase.location(in: directory, name: "\(name).sqlite")
        sites = TestServer.repository.appendingPathComponent("sites").path
    }

    /// Runs a command on this database, whatever its outcome.
    func run(_ arguments: [String]) throws -> (status: Int32, output: String, stdout: String) {
        try ServerProcess.run(arguments + ["--db", database, "--sites", sites])
    }

    /// Runs a command that must succeed and returns what it printed on stdout, trimmed (a token, a secret).
    func cli(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.output)", sourceLocation: sourceLocation)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new bearer token (`tokens create`).
    func token(_ role: String, site: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try cli(["tokens", "create", "--role", role] + (site.map { ["--site", $0] } ?? []), sourceLocation: sourceLocation)
    }

    /// `swabline serve` on this database, on a free loopback port.
    /// The four credentials a replay acts with (staff of `site`, a courier, a
    /// coordinator, the site's lab secret), as `simulate --against` options.
    func replayCredentials(site: String, lab: String) throws -> [String] {
        [
            "--staff-token", try token("staff", site: site), "--courier-token", try token("courier"),
            "--coordinator-token", try token("coordinator"), "--lab-secret", try cli(["labs", "add", lab]),
        ]
    }

    func start(log: URL? = nil, logLevel: String = "warning", arguments: [String] = []) async throws -> ServerProcess {
        try await ServerProcess.start(database: database, log: log, logLevel: logLevel, arguments: arguments)
    }
}
