import Foundation
import Testing

@Suite("Schemathesis against the served OpenAPI document", .serialized)
struct SchemathesisTests {
    /// Runs schemathesis (PyPI) against the real server with a real token:
    /// no 5xx, every answer matches the document (status, content type,
    /// body schema), undeclared methods get 405. Positive-data acceptance is
    /// left out on purpose: an ID number's check digit or a real birth date
    /// cannot be said in JSON Schema, so a schema-valid walk-in may rightly get 422.
    @Test("generated requests as staff and as coordinator: no 5xx, every answer as documented", arguments: ["staff", "coordinator"])
    func conformance(role: String) async throws {
        let workspace = try await Workspace("st")
        let token = try workspace.token(role, site: role == "staff" ? "fangfeiyuan" : nil)
        #expect(!token.isEmpty)
        // Known path values, so generated requests reach the domain instead of stopping at 403/404.
        let config = workspace.directory.appendingPathComponent("schemathesis.toml")
        try """
            [parameters]
            "path.site" = "fangfeiyuan"
            "path.station" = "s1"
            """.write(to: config, atomically: true, encoding: .utf8)

        let server = try await workspace.start()
        defer { server.kill9() }
        let run = try PythonScript.run([
            "-m", "schemathesis.cli", "--config-file", config.path, "run", "http://127.0.0.1:\(server.port)/v1/openapi.json",
            "-H", "Authorization: Bearer \(token)", "--checks", "all", "--exclude-checks", "positive_data_acceptance",
            "--max-examples", "25", "--seed", "2022", "--workers", "1",
        ])
        let output = run.output
        #expect(run.status == 0, "schemathesis (scripts/setup --tests installs it):\n\(output.suffix(6000))")
        #expect(output.contains("generated"), "\(output.suffix(2000))")
    }
}
