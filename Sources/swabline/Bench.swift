import ArgumentParser
import Hummingbird

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Helpers for the load benchmark (Benchmarks/http.sh).", subcommands: [Echo.self])

    /// The ceiling for HTTP figures: a bare Hummingbird route that echoes a
    /// small JSON body, measured with the same load generator in the same run.
    struct Echo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve POST /echo, answering the body it gets (loopback only).")

        @Option(help: "Port to listen on.")
        var port: Int = 8081

        func run() async throws {
            let router = Router()
            router.post("/echo") { request, context -> Response in
                let body = try await request.body.collect(upTo: 64 * 1024)
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
            }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
            try await app.runService()
        }
    }
}
