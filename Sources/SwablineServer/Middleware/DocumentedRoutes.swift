import Foundation
import Hummingbird

/// The paths and methods the OpenAPI document promises, so a request for a
/// known path with a method it does not take is answered 405 with `Allow`
/// (RFC 9110), not 404: the client used the wrong verb, not a wrong address.
struct DocumentedRoutes: Sendable {
    struct Route: Sendable {
        /// Path segments; nil matches any one segment (a `{parameter}`).
        var segments: [String?]
        var methods: [String]
    }

    let routes: [Route]

    static let api = DocumentedRoutes(document: MetaController.openAPIDocument)

    init(document: Data) {
        let paths = ((try? JSONSerialization.jsonObject(with: document)) as? [String: Any])?["paths"] as? [String: Any] ?? [:]
        let verbs: Set = ["get", "put", "post", "delete", "patch", "head", "options"]
        routes = paths.map { path, item in
            let methods = ((item as? [String: Any]) ?? [:]).keys.filter(verbs.contains).map { $0.uppercased() }.sorted()
            let segments = path.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }
            return Route(segments: segments, methods: methods)
        }
    }

    /// The methods the document allows on `path`, or nil when it does not describe the path.
    func methods(for path: String) -> [String]? {
        let parts = path.split(separator: "/").map(String.init)
        let matches = routes.filter { route in
            route.segments.count == parts.count && zip(route.segments, parts).allSatisfy { $0 == nil || $0 == $1 }
        }
        guard !matches.isEmpty else { return nil }
        return Array(Set(matches.flatMap(\.methods))).sorted()
    }
}
