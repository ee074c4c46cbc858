import Foundation
import GRDB
import SwablineCore

extension Store {
    /// Subscribes a downstream system to callbacks and returns its Standard
    /// Webhooks secret, shown this once. Only changes made after this are sent.
    /// A subscriber given a `lab` is that lab's: of the box events it hears
    /// only about boxes shipped to that lab.
    /// A `fhir` subscriber hears `resident.outcome` only, each as a FHIR
    /// Observation.
    public func addSubscriber(
        url: String, events: [CallbackEvent], label: String?, lab: String? = nil, format: CallbackFormat = .json
    ) async throws -> (id: Int64, secret: String) {
        try Self.requireCallbackURL(url)
        guard !events.isEmpty else {
            throw StoreError.invalid(field: "events", why: "must name at least one of \(CallbackEvent.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if lab != nil, events != [.boxHandedOver] {
            // Rule 7: a lab's own receiver hears of its own boxes, not of other labs' tubes or of residents.
            throw StoreError.invalid(field: "events", why: "must be box.handed_over alone for a lab's own subscriber")
        }
        if format == .fhir, events != [.residentOutcome] {
            throw StoreError.invalid(field: "events", why: "must be resident.outcome alone for a FHIR subscriber: the other events have no FHIR form")
        }
        if let label, label.count > 100 { throw StoreError.invalid(field: "label", why: "must be at most 100 characters") }
        let secret = Secrets.newWebhookSecret()
        let names = Self.eventList(events)
        let id = try await write { db, now in
            if let lab, try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM lab WHERE id = ?"), arguments: [lab]) == nil {
                throw StoreError.notFound(kind: .lab, code: lab)
            }
            return try Int64.fetchOne(
                db.cachedStatement(
                    sql: "INSERT INTO subscriber (url, events, label, lab_id, format, secret, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"),
                arguments: [url, names, label, lab, format, secret, now])!
        }
        return (id, secret)
    }

    /// Every subscriber, removed ones included, with how many messages wait for it.
    public func subscribers() async throws -> [SubscriberView] {
        try await read { db in
            try SubscriberRow.fetchAll(db.cachedStatement(sql: "\(Self.subscriberSelect) ORDER BY s.id")).map(\.view)
        }
    }

    /// One subscriber.
    public func subscriber(id: Int64) async throws -> SubscriberView {
        try await read { db in try Self.subscriberView(db, id: id) }
    }

    /// Stops sending to a subscriber. Its messages stay in the outbox (the
    /// pending ones are not sent), so nothing is deleted by a slip of the hand.
    public func removeSubscriber(id: Int64) async throws -> SubscriberView {
        try await write { db, now in
            _ = try Self.subscriberView(db, id: id)
            try db.cachedStatement(sql: "UPDATE subscriber SET removed_at = coalesce(removed_at, ?) WHERE id = ?").execute(arguments: [now, id])
            return try Self.subscriberView(db, id: id)
        }
    }

    /// A new secret for a subscriber; deliveries carry a signature with the
    /// old one too until the overlap ends, so the receiver can switch at leisure.
    public func rotateSubscriberSecret(id: Int64, overlap: TimeInterval) async throws -> String {
        guard overlap >= 0, overlap.isFinite else { throw StoreError.invalid(field: "overlap", why: "must be zero or more seconds") }
        let secret = Secrets.newWebhookSecret()
        let expires = Timestamp.string(clock().addingTimeInterval(overlap))
        try await write { db, _ in
            let view = try Self.subscriberView(db, id: id)
            guard view.removedAt == nil else {
                throw StoreError.conflict(.subscriberRemoved(id: id))
            }
            try db.cachedStatement(
                sql: "UPDATE subscriber SET previous_secret = secret, previous_expires_at = ?, secret = ? WHERE id = ?").execute(
                arguments: [expires, secret, id])
        }
        return secret
    }

    // MARK: - Helpers

    /// Callbacks go to http(s) URLs with a host; anything else is a typo that would only fail later.
    static func requireCallbackURL(_ url: String) throws {
        guard url.count <= 2_000, let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parsed.host, !host.isEmpty
        else { throw StoreError.invalid(field: "url", why: "must be an http:// or https:// address with a host") }
    }

    /// Events as stored: comma-separated, in the enum's order, each once.
    static func eventList(_ events: [CallbackEvent]) -> String {
        CallbackEvent.allCases.filter(events.contains).map(\.rawValue).joined(separator: ",")
    }

    static let subscriberSelect = """
        SELECT s.*,
          (SELECT count(*) FROM outbox o WHERE o.subscriber_id = s.id AND o.state = \(OutboxState.pending.sqlLiteral)) AS pending,
          (SELECT count(*) FROM outbox o WHERE o.subscriber_id = s.id AND o.state = \(OutboxState.dead.sqlLiteral)) AS dead
        FROM subscriber s
        """

    static func subscriberView(_ db: SQLSession, id: Int64) throws -> SubscriberView {
        guard let row = try SubscriberRow.fetchOne(db.cachedStatement(sql: "\(subscriberSelect) WHERE s.id = ?"), arguments: [id]) else {
            throw StoreError.notFound(kind: .subscriber, code: String(id))
        }
        return row.view
    }
}
