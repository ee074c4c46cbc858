import Hummingbird
import SwablineCore
import SwablineStore

/// The coordinator's view of outcome callbacks: who subscribes, how far
/// behind the outbox is, what was dead-lettered, and putting it back.
/// Subscribing itself is done with the CLI (`swabline subscribers add`),
/// since it hands out a secret.
struct CallbackController {
    let store: any Outbox

    struct ReplayRequest: Decodable {
        var ids: [Int64]?
        var subscriber: Int64?
    }

    struct Replayed: ResponseEncodable, Codable { var replayed: Int }
    struct DeadLetters: ResponseEncodable, Codable { var deadLetters: [DeadLetter] }
    struct Subscribers: ResponseEncodable, Codable { var subscribers: [SubscriberView] }

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("subscribers", use: subscribers)
        routes.get("outbox", use: status)
        routes.get("outbox/dead", use: dead)
        routes.post("outbox/replay", use: replay)
        return routes
    }

    @Sendable func subscribers(_ request: Request, context: AppContext) async throws -> Subscribers {
        try requireCoordinator(context)
        return Subscribers(subscribers: try await store.subscribers())
    }

    @Sendable func status(_ request: Request, context: AppContext) async throws -> OutboxStatus {
        try requireCoordinator(context)
        return try await store.outboxStatus()
    }

    @Sendable func dead(_ request: Request, context: AppContext) async throws -> DeadLetters {
        try requireCoordinator(context)
        let subscriber = try request.uri.queryParameters["subscriber"].map { text -> Int64 in
            guard let id = Int64(text), id > 0 else { throw Problem.invalidField("subscriber", "must be a subscriber number") }
            return id
        }
        return DeadLetters(deadLetters: try await store.deadCallbacks(subscriber: subscriber))
    }

    @Sendable func replay(_ request: Request, context: AppContext) async throws -> Replayed {
        try requireCoordinator(context)
        let body = try await request.decode(as: ReplayRequest.self, context: context)
        return Replayed(replayed: try await store.replayCallbacks(ids: body.ids, subscriber: body.subscriber))
    }

    private func requireCoordinator(_ context: AppContext) throws {
        guard case .coordinator = try context.requireActor() else {
            throw Problem(StoreError.forbidden("Outcome callbacks are the coordinator's: this needs a coordinator token."))
        }
    }
}

extension OutboxStatus: ResponseEncodable {}
