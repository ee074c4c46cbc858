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
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    return registry
}
