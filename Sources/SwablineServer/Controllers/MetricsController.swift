import Hummingbird
import Metrics
import Prometheus

/// Prometheus metrics at `/metrics`: request rate and latency per route
/// (Hummingbird's MetricsMiddleware, labelled by route template, never by
/// a path that could carry a code), the writer's batch size and commit time.
struct MetricsController {
    let registry: PrometheusCollectorRegistry

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("metrics") { _, _ in
            var text = [UInt8]()
            registry.emit(into: &text)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
        return routes
    }
}

/// Makes Prometheus the process's metrics backend. Once per process
/// (swift-metrics allows one bootstrap), so `serve` calls it, not tests.
public func bootstrapPrometheus() -> PrometheusCollectorRegistry {
    let registry = PrometheusCollectorRegistry()
    var factory = PrometheusMetricsFactory(registry: registry)
    // Sample age at the lab, in seconds: the buckets that matter are around the four-hour limit.
    factory.valueHistogramBuckets["swabline_sample_age_at_lab_seconds"] = [1_800, 3_600, 7_200, 10_800, 12_600, 14_400, 18_000, 21_600, 28_800]
    MetricsSystem.bootstrap(factory)
    return registry
}
