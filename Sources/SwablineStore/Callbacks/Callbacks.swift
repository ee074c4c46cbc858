import Foundation
import SwablineCore

// Outcome callbacks: what downstream systems (the health-code platform, a
// notifier) subscribe to, and what the outbox holds for them.

/// The events a subscriber can ask for.
public enum CallbackEvent: String, Sendable, CaseIterable, Codable {
    /// A resident's outcome was decided by a tube result (negative, pool
    /// positive, invalid, positive). Kept in order per resident.
    case residentOutcome = "resident.outcome"
    /// A tube was sealed at a station.
    case tubeSealed = "tube.sealed"
    /// A lab's result was applied to a tube.
    case tubeResulted = "tube.resulted"
    /// A tube was reported lost before it was boxed; its members are sampled again.
    case tubeLost = "tube.lost"
    /// A lab rejected a tube it received; its members are sampled again.
    case tubeRejected = "tube.rejected"
    /// A courier handed a box to its lab: the box's manifest (`BoxManifest`),
    /// sent only to subscribers of that lab or of every lab.
    case boxHandedOver = "box.handed_over"
}

/// How a subscriber's callbacks are written.
public enum CallbackFormat: String, Sendable, CaseIterable, Codable {
    /// Swabline's JSON envelope (`type`, `timestamp`, `data`).
    case json
    /// A FHIR R4 `Observation` per `resident.outcome`, for a health
    /// authority's FHIR server; the other events have no FHIR form.
    case fhir
}

/// The body of every callback, as Standard Webhooks suggests: the event's
/// type, when it happened, and its data.
struct CallbackEnvelope<Payload: Encodable>: Encodable {
    var type: String
    var timestamp: String
    var data: Payload
}

/// The data of a `resident.outcome` callback. It names the resident by
/// code only: no name, ID number or phone leaves Swabline (rule 8).
public struct ResidentOutcomeCallback: Sendable, Codable, Equatable {
    public var resident: String
    public var site: String
    public var round: String
    public var outcome: Outcome
    public var tube: String
    /// The lab's result for the tube; absent when the tube was lost.
    public var tubeResult: TubeResult?
    public var testedAt: String?
    /// The tube was lost before any lab saw it: sample the resident again.
    public var tubeLost: Bool
    /// The lab rejected the tube, for this reason: sample the resident again.
    public var tubeRejected: TubeRejection?
    /// Their standing across rounds after this result (rule 9): anyone not
    /// `cleared` is sampled single-tube until a single-tube negative clears them.
    public var standing: Standing
    /// The last day of their household's home isolation, when one was ever set (the site's local date).
    public var isolatedUntil: String?
}

/// A subscriber as the CLI and the coordinator see it; its secret is shown
/// only once, when made.
public struct SubscriberView: Sendable, Codable, Equatable {
    public var id: Int64
    public var url: String
    public var events: [CallbackEvent]
    public var label: String?
    /// Set for a lab's own subscriber: it hears only about that lab's boxes.
    public var lab: String?
    public var format: CallbackFormat
    public var createdAt: String
    public var removedAt: String?
    /// While a rotation's overlap lasts, deliveries carry both signatures.
    public var previousSecretValidUntil: String?
    /// No delivery is tried before this time: the receiver was not answering.
    public var pausedUntil: String?
    public var pending: Int
    public var dead: Int
}

/// One message due to be sent, with what it takes to sign it.
public struct CallbackMessage: Sendable, Equatable {
    public var id: Int64
    public var subscriber: Int64
    public var url: String
    /// The current secret first, then one being rotated out.
    public var secrets: [String]
    /// The `webhook-id`: the same on every attempt, so a receiver can drop repeats.
    public var messageID: String
    public var event: CallbackEvent
    public var orderingKey: String
    /// The stored JSON envelope; a `fhir` subscriber is sent it as FHIR.
    public var body: Data
    public var format: CallbackFormat
    /// Attempts made before this one.
    public var attempts: Int
}

/// How one attempt to deliver a message went.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    /// Failed with this reason (`HTTP 503`, `connection refused`, …).
    /// `receiverDown` when nothing answered at all: the whole subscriber then
    /// waits for the retry, instead of every message finding out on its own.
    case failed(reason: String, receiverDown: Bool)
}

/// A message that exhausted its attempts, kept with the reason.
public struct DeadLetter: Sendable, Codable, Equatable {
    public var id: Int64
    public var subscriber: Int64
    public var messageId: String
    public var event: CallbackEvent
    public var orderingKey: String
    public var attempts: Int
    public var lastError: String?
    public var createdAt: String
    public var deadAt: String?
}

/// How far behind the outbox is: for `/metrics` and `swabline outbox status`.
public struct OutboxStatus: Sendable, Codable, Equatable {
    public var pending: Int
    public var dead: Int
    /// When the oldest message still waiting was written.
    public var oldestPendingAt: String?
}
