import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import Prometheus
import ServiceLifecycle
import SwablineCore
import SwablineStore

/// Everything `swabline serve` can be told.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var databasePath: String
    public var sitesPath: String
    public var logLevel: Logger.Level
    /// Where `/metrics` reads from; nil serves no `/metrics` (see `bootstrapPrometheus`).
    public var metrics: PrometheusCollectorRegistry?
    /// How many failed sign-ins and bad lab signatures a client may have before 429 (see `AccessLimits`).
    public var accessLimits: AccessLimits = .standard
    /// How outcome callbacks are sent; nil sends none (the outbox still fills).
    public var callbacks: CallbackConfiguration? = CallbackConfiguration()
    /// Seconds a connection may stay silent (no request, or a request's body
    /// stalled) before it is closed; a response being written, like the
    /// board's event stream, keeps it open.
    public var idleTimeout: Double = 30
    /// The most connections held at once; nil holds as many as the process's
    /// open-file limit allows, less `FileLimit.reserved`.
    public var maxConnections: Int?
    /// PEM certificate chain and private key: serve HTTPS instead of HTTP.
    public var tls: TLSFiles?
    /// The MLLP port for labs' HL7 v2 (`MLLPListener`); nil opens none.
    public var mllpPort: Int?
    /// The address MLLP listens on; nil: the HTTP `host`.
    public var mllpHost: String?
    /// Where MLLP connections may come from.
    public var mllpAllowed: AddressAllowList = .loopback

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databasePath: String = "swabline.sqlite", sitesPath: String = "sites",
        logLevel: Logger.Level = .info
    ) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.sitesPath = sitesPath
        self.logLevel = logLevel
    }
}

/// The sites folder did not check out; the server does not start on bad data.
public struct SiteFolderError: Error, CustomStringConvertible {
    public var problems: [SiteProblem]
    public var description: String {
        "The sites folder has \(problems.count) problem(s):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

/// Opens the store, brings it up to date with the sites folder when its
/// files changed since the last import (an unchanged folder is not read),
/// and makes sure a round is open: what a first start needs, and nothing else.
public func prepareStore(_ configuration: ServerConfiguration, logger: Logger) async throws -> Store {
    let store = try await Store.open(configuration.databasePath)
    let digests = SiteDirectory.digests(configuration.sitesPath)
    let loaded = try await store.siteDigests()
    if digests.isEmpty || digests != loaded {
        let report = SiteDirectory.load(configuration.sitesPath)
        guard report.problems.isEmpty else { throw SiteFolderError(problems: report.problems) }
        let summary = try await store.importSites(report.sites)
        try await store.recordSiteDigests(digests)
        logger.info("sites loaded", metadata: ["sites": "\(summary.sites)", "residents": "\(summary.residents)"])
    }
    let round = try await store.ensureRound(defaultName: "Round 1")
    logger.info("store ready", metadata: ["database": "\(store.location)", "round": "\(round.name)"])
    return store
}

/// Builds the whole application: the store, the router, the server.
public func buildApplication(_ configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    let tls = try configuration.tls?.configuration()  // before the store: bad files stop the start at once
    let store = try await prepareStore(configuration, logger: makeLogger(configuration))
    return try buildApplication(configuration, store: store, tls: tls)
}

/// Builds the application around a store that is already prepared.
public func buildApplication(_ configuration: ServerConfiguration, store: any ServerStore) throws -> some ApplicationProtocol {
    try buildApplication(configuration, store: store, tls: configuration.tls?.configuration())
}

func buildApplication(_ configuration: ServerConfiguration, store: any ServerStore, tls: TLSConfiguration?) throws -> some ApplicationProtocol {
    let logger = makeLogger(configuration)
    var services: [any Service] = []
    if let callbacks = configuration.callbacks {
        services.append(CallbackDelivery(store: store, configuration: callbacks, logger: logger))
    }
    if let mllpPort = configuration.mllpPort {
        services.append(MLLPListener(
            host: configuration.mllpHost ?? configuration.host, port: mllpPort, allowed: configuration.mllpAllowed, store: store,
            logger: logger))
    }
    let maxConnections = configuration.maxConnections ?? FileLimit.connections(for: FileLimit.raise())
    let http1 = HTTPServerBuilder.http1(
        configuration: .init(idleTimeout: .milliseconds(Int64(configuration.idleTimeout * 1000))))
    logger.info("listening", metadata: [
        "address": "\(configuration.tls == nil ? "http" : "https")://\(configuration.host):\(configuration.port)",
        "max_connections": "\(maxConnections)", "idle_timeout_s": "\(configuration.idleTimeout)",
    ])
    return Application(
        router: buildRouter(store: store, metrics: configuration.metrics, limits: configuration.accessLimits),
        server: try tls.map { try .tls(http1, tlsConfiguration: $0) } ?? http1,
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "swabline",
            availableConnectionsDelegate: ConnectionLimit(maximum: maxConnections, logger: logger)),
        services: services,
        logger: logger)
}

func makeLogger(_ configuration: ServerConfiguration) -> Logger {
    var logger = Logger(label: "swabline")
    logger.logLevel = configuration.logLevel
    return logger
}

/// The routes, with errors as problem+json and tokens resolved to actors.
public func buildRouter(
    store: any ServerStore, metrics: PrometheusCollectorRegistry? = nil, clock: @escaping @Sendable () -> Date = Date.init,
    limits: AccessLimits = .standard
) -> Router<AppContext> {
    let router = Router(context: AppContext.self)
    let failures = FailedAttempts(limits, clock: clock)
    // Outermost first: the log line and the metrics see the final answer, problems included.
    router.middlewares.add(RequestLogMiddleware())
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(ProblemMiddleware())
    router.addRoutes(MetaController(store: store).endpoints)
    if let metrics { router.addRoutes(MetricsController(registry: metrics).endpoints) }
    let v1 = router.group("v1")
    v1.addRoutes(LabWebhookController(store: store, clock: clock, failures: failures).endpoints)
    // One memory of answered keys for the API's header and the pages' hidden field.
    let answers = IdempotentAnswers(store: store)
    let authenticated = v1.group().add(middleware: AuthMiddleware(store: store, failures: failures)).add(middleware: IdempotencyMiddleware(answers: answers))
    authenticated.addRoutes(QueueController(store: store).endpoints)
    authenticated.addRoutes(TubeController(store: store).endpoints)
    authenticated.addRoutes(BoxController(store: store).endpoints)
    authenticated.addRoutes(LabUploadController(store: store).endpoints)
    authenticated.addRoutes(RosterController(store: store).endpoints)
    authenticated.addRoutes(ReportController(store: store).endpoints)
    authenticated.addRoutes(CampaignController(store: store).endpoints)
    authenticated.addRoutes(ExportController(store: store).endpoints)
    authenticated.addRoutes(CallbackController(store: store).endpoints)
    authenticated.addRoutes(AuditController(store: store).endpoints)
    authenticated.addRoutes(AnomalyController(store: store).endpoints)
    // FHIR R4 answers refusals as OperationOutcomes; only its metadata is open to all.
    let fhir = router.group("fhir/r4").add(middleware: FHIRErrorMiddleware())
    fhir.get("metadata", use: FHIRController.metadata)
    let fhirAuthenticated = fhir.group().add(middleware: AuthMiddleware(store: store, failures: failures))
    let fhirController = FHIRController(store: store)
    fhirAuthenticated.post(use: fhirController.receiveBundle)
    fhirAuthenticated.addRoutes(fhirController.endpoints)
    router.addPages(store: store, clock: clock, failures: failures, answers: answers)
    return router
}
