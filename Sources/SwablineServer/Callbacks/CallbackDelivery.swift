import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import ServiceLifecycle
import SwablineCore
import SwablineStore

/// How outcome callbacks are sent. The defaults suit a district; tests
/// shorten the retry schedule.
public struct CallbackConfiguration: Sendable {
    /// Backoff, jitter and the attempts before a message is dead-lettered.
    public var schedule = RetrySchedule()
    /// How long to wait before looking again when nothing was due.
    public var pollInterval: Duration = .milliseconds(500)
    /// Messages in flight at once per subscriber (each for a different
    /// resident or tube: one key's messages go one after another).
    public var concurrency = 32
    /// How long one delivery may take, answer included.
    public var timeout: TimeAmount = .seconds(10)
    /// How long delivered messages are kept (for questions like "was this sent?").
    public var keepDelivered: TimeInterval = 7 * 24 * 3600

    public init() {}
}

/// Sends the outbox's due messages to their subscribers, signed with
/// Standard Webhooks, and records every attempt in the store.
///
/// The outbox is the truth: this service only reads what is due and reports
/// how each attempt went, so a crash or a restart loses nothing. A message
/// interrupted mid-send is sent again with the same `webhook-id`, which is
/// what receivers deduplicate on (at-least-once delivery).
struct CallbackDelivery: Service {
    let store: any Outbox
    let configuration: CallbackConfiguration
    let logger: Logger

    static let delivered = Counter(label: "swabline_callbacks_total", dimensions: [("result", "delivered")])
    static let failed = Counter(label: "swabline_callbacks_total", dimensions: [("result", "failed")])
    static let pending = Gauge(label: "swabline_outbox_pending")
    static let dead = Gauge(label: "swabline_outbox_dead")
    static let oldestAge = Gauge(label: "swabline_outbox_oldest_pending_seconds")

    func run() async throws {
        var settings = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: configuration.timeout))
        // A receiver that refuses the connection is down: say so now, rather than
        // retrying the connection until the request's deadline (AsyncHTTPClient's default).
        settings.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
        do {
            try await cancelWhenGracefulShutdown { try await deliverUntilCancelled(client) }
        } catch is CancellationError {
            // Shutting down: whatever was in flight stays pending and goes after the restart.
        }
        try await client.shutdown()
    }

    private func deliverUntilCancelled(_ client: HTTPClient) async throws {
        var lastStatus = ContinuousClock.now - .seconds(3600)
        var lastPrune = lastStatus
        while !Task.isCancelled {
            var sent = 0
            do {
                let due = try await store.dueCallbacks(limit: configuration.concurrency)
                sent = due.count
                if !due.isEmpty {
                    let attempts = await deliver(due, with: client)
                    try await store.recordCallbackAttempts(attempts, schedule: configuration.schedule)
                }
                if ContinuousClock.now - lastStatus > .seconds(5) {
                    lastStatus = .now
                    try await publishStatus()
                }
                if ContinuousClock.now - lastPrune > .seconds(3600) {
                    lastPrune = .now
                    _ = try await store.pruneDeliveredCallbacks(olderThan: configuration.keepDelivered)
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // The store refused (disk full, say): try again later, never take the server down.
                logger.error("outcome callbacks: \(error)")
            }
            if sent == 0 { try await Task.sleep(for: configuration.pollInterval) }
        }
    }

    /// Sends a round of messages at once and says how each went.
    private func deliver(_ messages: [CallbackMessage], with client: HTTPClient) async -> [(id: Int64, outcome: DeliveryOutcome)] {
        await withTaskGroup(of: (id: Int64, outcome: DeliveryOutcome).self) { group in
            for message in messages {
                group.addTask { (message.id, await send(message, with: client)) }
            }
            var outcomes: [(id: Int64, outcome: DeliveryOutcome)] = []
            for await outcome in group {
                outcomes.append(outcome)
                if case .delivered = outcome.outcome { Self.delivered.increment() } else { Self.failed.increment() }
            }
            return outcomes
        }
    }

    private func send(_ message: CallbackMessage, with client: HTTPClient) async -> DeliveryOutcome {
        let timestamp = Int(Date().timeIntervalSince1970)
        // A FHIR subscriber gets the same message as an Observation, signed as it is sent.
        let fhir = message.format == .fhir ? FHIROutcomes.callback(message.body) : nil
        let body = fhir ?? message.body
        let signatures = message.secrets.compactMap {
            StandardWebhooks.sign(id: message.messageID, timestamp: timestamp, body: body, secret: $0)
        }
        var request = HTTPClientRequest(url: message.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: fhir == nil ? "application/json" : fhirMediaType)
        request.headers.add(name: "user-agent", value: "swabline")
        request.headers.add(name: "webhook-id", value: message.messageID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(name: "webhook-signature", value: signatures.joined(separator: " "))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: configuration.timeout)
            // Read (and drop) the answer, so the connection can be reused; a huge one is cut short.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return .delivered }
            // "Not now" answers from the receiver or its proxy pause the subscriber like silence does.
            return .failed(reason: "HTTP \(status)", receiverDown: [429, 502, 503, 504].contains(status))
        } catch {
            let reason = String(String(describing: error).prefix(200))
            logger.debug("outcome callback not delivered", metadata: ["subscriber": "\(message.subscriber)", "reason": "\(reason)"])
            return .failed(reason: reason, receiverDown: true)
        }
    }

    /// Outbox depth and the age of its oldest message, for `/metrics`.
    private func publishStatus() async throws {
        let status = try await store.outboxStatus()
        Self.pending.record(status.pending)
        Self.dead.record(status.dead)
        let age = status.oldestPendingAt.flatMap(Timestamp.date).map { max(0, Date().timeIntervalSince($0)) } ?? 0
        Self.oldestAge.record(age)
    }
}
