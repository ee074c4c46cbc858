import ArgumentParser
import Foundation

/// The server `simulate --against` plays a day through: plain HTTP on this
/// machine's loopback only, so a replay can never write made-up residents,
/// tubes and results into a server that others use.
struct ReplayTarget: Sendable, Equatable {
    /// `http://host:port`, no trailing slash; the API is under `/v1`.
    var base: String

    static let loopbackHosts: Set<String> = ["127.0.0.1", "::1", "localhost"]

    init(_ text: String) throws {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw ValidationError("--against must be a URL such as http://127.0.0.1:8080; got \"\(text)\".")
        }
        guard scheme == "http" else {
            throw ValidationError("--against takes a plain http:// URL of a server on this machine; got \"\(scheme)://\".")
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard Self.loopbackHosts.contains(bare.lowercased()) else {
            throw ValidationError(
                "--against only replays against a server on this machine (127.0.0.1, ::1 or localhost), never \(bare): "
                    + "a replay writes made-up check-ins, tubes and results.")
        }
        guard url.path.isEmpty || url.path == "/", url.query == nil, url.fragment == nil, url.user == nil else {
            throw ValidationError("--against is the server's address only, such as http://127.0.0.1:8080 (the API is under /v1).")
        }
        let shownHost = bare.contains(":") ? "[\(bare)]" : bare
        base = "http://\(shownHost)" + (url.port.map { ":\($0)" } ?? "")
    }
}
