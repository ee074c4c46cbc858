import Foundation
import Hummingbird
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
    let store = try Store(path: configuration.databasePath)
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
    logger.info("store ready", metadata: ["database": "\(configuration.databasePath)", "round": "\(round.name)"])
    return store
}

/// Builds the whole application: the store, the router, the server.
public func buildApplication(_ configuration: ServerConfiguration) async throws -> some ApplicationProtocol {
    let store = try await prepareStore(configuration, logger: makeLogger(configuration))
    return buildApplication(configuration, store: store)
}

/// Builds the application around a store that is already prepared.
public func buildApplication(_ configuration: ServerConfiguration, store: Store) -> some ApplicationProtocol {
    let logger = makeLogger(configuration)
    var services: [any Service] = []
    if let callbacks = configuration.callbacks {
        services.append(CallbackDelivery(store: store, configuration: callbacks, logger: logger))
    }
    return Application(
        router: buildRouter(store: store, metrics: configuration.metrics, limits: configuration.accessLimits),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "swabline"),
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
    store: Store, metrics: PrometheusCollectorRegistry? = nil, clock: @escaping @Sendable () -> Date = Date.init,
    limits: AccessLimits = .standard
) -> Router<AppContext> {
    let router = Router(context: AppContext.self)
    let access = AccessGuard(limits, clock: clock)
    // Outermost first: the log line and the metrics see the final answer, problems included.
    router.middlewares.add(RequestLogMiddleware())
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(ProblemMiddleware())
    router.addRoutes(MetaController(store: store).endpoints)
    if let metrics { router.addRoutes(MetricsController(registry: metrics).endpoints) }
    let v1 = router.group("v1")
    v1.addRoutes(LabWebhookController(store: store, clock: clock, access: access).endpoints)
    // One memory of answered keys for the API's header and the pages' hidden field.
    let answers = IdempotentAnswers(store: store)
    let authenticated = v1.group().add(middleware: AuthMiddleware(store: store, access: access)).add(middleware: IdempotencyMiddleware(answers: answers))
    authenticated.addRoutes(QueueController(store: store).endpoints)
    authenticated.addRoutes(TubeController(store: store).endpoints)
    authenticated.addRoutes(BoxController(store: store).endpoints)
    authenticated.addRoutes(ReportController(store: store).endpoints)
    authenticated.addRoutes(CallbackController(store: store).endpoints)
    authenticated.addRoutes(AuditController(store: store).endpoints)
    authenticated.addRoutes(AnomalyController(store: store).endpoints)
    router.addPages(store: store, clock: clock, access: access, answers: answers)
    return router
}
