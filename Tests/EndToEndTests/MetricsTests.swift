import Foundation
import Testing

@Suite("Prometheus metrics")
struct MetricsTests {
    @Test("/metrics counts requests per route template and the writer's batches, with no codes in labels")
    func exposition() async throws {
        let workspace = try await Workspace("metrics")
        let staff = try workspace.token("staff", site: "fangfeiyuan")
        let server = try await workspace.start()
        defer { server.kill9() }
        let http = Client(port: server.port)
        for code in ["FFY000005", "FFY000006", "NOBODY"] {
            try await http.send("POST", "/v1/sites/fangfeiyuan/checkins", token: staff, json: ["resident_code": code])
        }
        let metrics = try await http.send("GET", "/metrics")
        #expect(metrics.status == 200 && metrics.contentType.hasPrefix("text/plain"))
        let text = metrics.text
        #expect(text.contains(#"http_route="/v1/sites/{site}/checkins",http_request_method="POST",http_response_status_code="201""#), "\(text.prefix(3000))")
        #expect(text.contains(#"http_response_status_code="404""#))
        #expect(text.contains("swabline_writer_batch_size"))
        #expect(text.contains("swabline_writer_commit_seconds_count"))
        // The callback service publishes the outbox's depth as soon as it starts.
        #expect(text.contains("swabline_outbox_pending 0"), "\(text.prefix(3000))")
        #expect(text.contains("swabline_outbox_oldest_pending_seconds 0"))
        #expect(!text.contains("FFY000005") && !text.contains("NOBODY"), "a resident code became a label")
    }
}
