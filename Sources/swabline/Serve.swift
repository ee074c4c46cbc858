import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SwablineServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the service: loads the sites folder into the database and listens for HTTP.")

    @Option(help: "Address to listen on (env SWABLINE_HOST).")
    var host: String = ProcessInfo.processInfo.environment["SWABLINE_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on (env SWABLINE_PORT).")
    var port: Int = Int(ProcessInfo.processInfo.environment["SWABLINE_PORT"] ?? "") ?? 8080

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env SWABLINE_LOG_LEVEL).")
    var logLevel: String = ProcessInfo.processInfo.environment["SWABLINE_LOG_LEVEL"] ?? "info"

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port).") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
    }

    func run() async throws {
        var configuration = store.serverConfiguration
        configuration.host = host
        configuration.port = port
        configuration.logLevel = Logger.Level(rawValue: logLevel)!
        configuration.metrics = bootstrapPrometheus()
        do {
            // Runs until SIGTERM or SIGINT, then shuts down gracefully.
            try await buildApplication(configuration).runService()
        } catch let error as SiteFolderError {
            throw ValidationError(error.description)
        }
    }
}
