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

    @Option(help: """
        Failed sign-ins (unknown, expired or revoked tokens) one client address may have a minute, as many at once, \
        before 429 (env SWABLINE_FAILED_SIGN_INS_PER_MINUTE).
        """)
    var failedSignInsPerMinute: Int = Self.environment("SWABLINE_FAILED_SIGN_INS_PER_MINUTE") ?? AccessLimits.standard.signIns.burst

    @Option(help: "Badly signed lab webhooks one client address may send a minute before 429 (env SWABLINE_BAD_SIGNATURES_PER_MINUTE).")
    var badSignaturesPerMinute: Int =
        Self.environment("SWABLINE_BAD_SIGNATURES_PER_MINUTE") ?? AccessLimits.standard.signaturesPerAddress.burst

    @Option(help: """
        Badly signed webhooks in one lab's name a minute, from any address, before 429 \
        (env SWABLINE_BAD_SIGNATURES_PER_LAB_PER_MINUTE).
        """)
    var badSignaturesPerLabPerMinute: Int =
        Self.environment("SWABLINE_BAD_SIGNATURES_PER_LAB_PER_MINUTE") ?? AccessLimits.standard.signaturesPerLab.burst

    @Option(help: """
        Seconds a connection may stay silent (no request, or a stalled body) before it is closed, \
        at most \(BodyReading.deadline.components.seconds) (env SWABLINE_IDLE_TIMEOUT). The board's event stream is not silent: it sends a heartbeat.
        """)
    var idleTimeout: Double = Double(ProcessInfo.processInfo.environment["SWABLINE_IDLE_TIMEOUT"] ?? "") ?? 30

    @Option(help: """
        The most connections held at once; more wait until one closes (env SWABLINE_MAX_CONNECTIONS). \
        Default: the open-file limit, raised to the hard limit at start, less \(FileLimit.reserved).
        """)
    var maxConnections: Int? = Self.environment("SWABLINE_MAX_CONNECTIONS")

    @Option(help: "PEM certificate chain: serve HTTPS, which phones on a site network need to stay signed in (env SWABLINE_TLS_CERT).")
    var tlsCert: String? = ProcessInfo.processInfo.environment["SWABLINE_TLS_CERT"]

    @Option(help: "PEM private key of --tls-cert (env SWABLINE_TLS_KEY).")
    var tlsKey: String? = ProcessInfo.processInfo.environment["SWABLINE_TLS_KEY"]

    @Option(help: """
        Open an MLLP port for labs' HL7 v2 ORU^R01 results (env SWABLINE_MLLP_PORT). A lab names itself in MSH-4 \
        and puts the key `swabline labs mllp-key <lab>` prints in MSH-8.
        """)
    var mllpPort: Int? = Self.environment("SWABLINE_MLLP_PORT")

    @Option(help: """
        The address the MLLP port listens on (env SWABLINE_MLLP_HOST); default --host. A lab on another machine \
        needs an address it can reach (0.0.0.0 for all), with --mllp-allow naming its network.
        """)
    var mllpHost: String? = ProcessInfo.processInfo.environment["SWABLINE_MLLP_HOST"]

    @Option(help: """
        Comma-separated addresses, with optional /prefix lengths, that may connect to the MLLP port \
        (env SWABLINE_MLLP_ALLOW). Default: loopback only (a lab on this machine, or an SSH tunnel or VPN).
        """)
    var mllpAllow: String = ProcessInfo.processInfo.environment["SWABLINE_MLLP_ALLOW"] ?? "127.0.0.0/8,::1"

    @OptionGroup var store: StoreOptions

    var mllpAllowList: [String] { mllpAllow.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    static func environment(_ name: String) -> Int? { ProcessInfo.processInfo.environment[name].flatMap { Int($0) } }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port).") }
        for (flag, value) in [
            ("--failed-sign-ins-per-minute", failedSignInsPerMinute), ("--bad-signatures-per-minute", badSignaturesPerMinute),
            ("--bad-signatures-per-lab-per-minute", badSignaturesPerLabPerMinute),
        ] where value < 1 {
            throw ValidationError("\(flag) must be at least 1, not \(value).")
        }
        guard idleTimeout > 0, idleTimeout.isFinite else { throw ValidationError("--idle-timeout must be a number of seconds above 0.") }
        // A body that stops arriving is closed only by the idle timeout (`BodyReading`): a longer one would hold
        // stalled uploads past the time any body is given.
        let bodyDeadline = BodyReading.deadline.components.seconds
        guard idleTimeout <= Double(bodyDeadline) else {
            throw ValidationError(
                "--idle-timeout must be at most \(bodyDeadline) seconds, the time a request body may take to arrive, not \(idleTimeout).")
        }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1, not \(maxConnections).") }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: give both to serve HTTPS, or neither for HTTP.")
        }
        if let mllpPort, !(0...65535).contains(mllpPort) { throw ValidationError("--mllp-port must be between 0 and 65535, not \(mllpPort).") }
        do {
            _ = try AddressAllowList(mllpAllowList)
        } catch {
            throw ValidationError("--mllp-allow: \(error)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
    }

    func run() async throws {
        var configuration = store.serverConfiguration
        configuration.host = host
        configuration.port = port
        configuration.logLevel = Logger.Level(rawValue: logLevel)!
        configuration.accessLimits = AccessLimits(
            signIns: RateLimit(perMinute: failedSignInsPerMinute), signaturesPerAddress: RateLimit(perMinute: badSignaturesPerMinute),
            signaturesPerLab: RateLimit(perMinute: badSignaturesPerLabPerMinute))
        configuration.metrics = bootstrapPrometheus()
        configuration.idleTimeout = idleTimeout
        configuration.maxConnections = maxConnections
        if let tlsCert, let tlsKey { configuration.tls = TLSFiles(certificateChain: tlsCert, privateKey: tlsKey) }
        configuration.mllpPort = mllpPort
        configuration.mllpHost = mllpHost
        configuration.mllpAllowed = try AddressAllowList(mllpAllowList)
        do {
            // Runs until SIGTERM or SIGINT, then shuts down gracefully.
            try await buildApplication(configuration).runService()
        } catch let error as SiteFolderError {
            throw ValidationError(error.description)
        } catch let error as TLSFilesError {
            throw ValidationError(error.description)
        }
    }
}
