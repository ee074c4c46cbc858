import Foundation
import GRDB
import SwablineCore

/// The outbox of outcome callbacks.
///
/// A change that downstream systems hear about writes its messages in its
/// own transaction (`enqueueCallback`), so a committed outcome always has
/// its callback and a rolled-back one never does. The delivery service
/// reads due messages and records each attempt here; it never decides
/// order or retries itself.
extension Store {
    /// How long a claimed message is left to the node sending it: longer
    /// than an attempt can take (connect 5 s, answer 10 s, a 64-message
    /// round at a time), short enough that a dead node's messages go again
    /// within minutes.
    static let callbackLease: TimeInterval = 120

    /// The subscribers of `event`. A change that writes many messages of one
    /// event (a tube's result, one per member) looks them up once.
    /// For a box event, `lab` leaves out the other labs' own subscribers.
    static func callbackSubscribers(_ db: SQLSession, of event: CallbackEvent, lab: String? = nil) throws -> [Int64] {
        try Int64.fetchAll(
            db.cachedStatement(sql: """
                SELECT id FROM subscriber WHERE removed_at IS NULL
                  AND replace(',' || events || ',', ?, '') <> ',' || events || ','
                  AND (lab_id IS NULL OR CAST(? AS TEXT) IS NULL OR lab_id = ?)
                """),
            arguments: [",\(event.rawValue),", lab, lab])
    }

    /// The subscribers of each event, looked up at most once per
    /// transaction: a lab delivery of 500 tubes asks twice (tube and
    /// outcome callbacks), not a thousand times. It lives inside one write
    /// closure, so a re-run (PostgreSQL's SERIALIZABLE retry) starts afresh
    /// and it never outlives the transaction whose reads it holds.
    final class Subscribers {
        private var known: [CallbackEvent: [Int64]] = [:]

        func of(_ event: CallbackEvent, _ db: SQLSession) throws -> [Int64] {
            if let ids = known[event] { return ids }
            let ids = try Store.callbackSubscribers(db, of: event)
            known[event] = ids
            return ids
        }
    }

    /// Writes one message per subscriber of `event` (looked up here unless
    /// given), inside the caller's transaction. `data` is only built when
    /// somebody subscribed.
    static func enqueueCallback<Payload: Encodable>(
        _ db: SQLSession, event: CallbackEvent, subscribers: [Int64]? = nil, orderingKey: String, now: String, data: () throws -> Payload
    ) throws {
        let subscribers = try subscribers ?? callbackSubscribers(db, of: event)
        guard !subscribers.isEmpty else { return }
        let body = try WireFormat.encoder().encode(CallbackEnvelope(type: event.rawValue, timestamp: now, data: try data()))
        for subscriber in subscribers {
            try db.cachedStatement(
                sql: """
                    INSERT INTO outbox (subscriber_id, message_id, event, ordering_key, body, state, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(
                arguments: [subscriber, "msg_" + UUID().uuidString.lowercased(), event.rawValue, orderingKey, body, OutboxState.pending, now, now])
        }
    }

    /// The messages to try now, at most `limit` per subscriber: for each
    /// ordering key only its oldest pending message (so one resident's
    /// callbacks arrive in order), and only when its retry time has come and
    /// its subscriber is not paused.
    ///
    /// Looks at the oldest `window` pending messages of each subscriber, so a
    /// backlog of millions costs one bounded index range per poll.
    ///
    /// The messages returned are claimed: their next attempt moves
    /// `callbackLease` ahead in the same transaction, so another node
    /// polling the same outbox does not send them too (on PostgreSQL two
    /// claims of one message cannot both commit: SERIALIZABLE). The attempt's
    /// record sets the real next time; a node that dies mid-send leaves the
    /// message to be sent again, with the same `webhook-id`, once the lease
    /// runs out.
    ///
    /// Whether anything is due is first asked of a reader: an idle outbox
    /// costs the writer nothing (each node polls twice a second, and on
    /// PostgreSQL every write takes the nodes' turn).
    public func dueCallbacks(limit: Int, window: Int) async throws -> [CallbackMessage] {
        let date = clock()
        let lease = Timestamp.string(date.addingTimeInterval(Self.callbackLease))
        let seen = Timestamp.string(date)
        guard try await read({ db in try !Self.due(db, now: seen, limit: limit, window: window).isEmpty }) else { return [] }
        return try await write { db, now in
            let due = try Self.due(db, now: now, limit: limit, window: window)
            for message in due {
                try db.cachedStatement(sql: "UPDATE outbox SET next_attempt_at = ? WHERE id = ?").execute(arguments: [lease, message.id])
            }
            return due
        }
    }

    /// The messages due at `now`: up to `limit`, the oldest of each ordering key, from each subscriber's oldest `window`.
    private static func due(_ db: SQLSession, now: String, limit: Int, window: Int) throws -> [CallbackMessage] {
        let subscribers = try SubscriberRow.fetchAll(
            db.cachedStatement(sql: """
                SELECT * FROM subscriber
                WHERE removed_at IS NULL AND (paused_until IS NULL OR paused_until <= ?)
                """), arguments: [now])
        var due: [CallbackMessage] = []
        for subscriber in subscribers {
            var secrets = [subscriber.secret]
            if let previous = subscriber.previousSecret, let until = subscriber.previousExpiresAt, until > now {
                secrets.append(previous)
            }
            var seenKeys: Set<String> = []
            var taken = 0
            let rows = try OutboxRecord.fetchAll(
                db.cachedStatement(sql: """
                    SELECT * FROM outbox
                    WHERE subscriber_id = ? AND state = \(OutboxState.pending.sqlLiteral) ORDER BY id LIMIT ?
                    """), arguments: [subscriber.id, window])
            for row in rows where taken < limit {
                let key = row.orderingKey
                // Only the oldest pending message of a key may go; later ones wait behind it.
                guard seenKeys.insert(key).inserted else { continue }
                guard row.nextAttemptAt <= now else { continue }
                due.append(CallbackMessage(
                    id: row.id, subscriber: subscriber.id, url: subscriber.url, secrets: secrets,
                    messageID: row.messageID, event: row.event, orderingKey: key, body: row.body, format: subscriber.format,
                    attempts: row.attempts))
                taken += 1
            }
        }
        return due
    }

    /// Records how a round of attempts went, in one transaction: delivered
    /// messages are done; failed ones are retried later by `schedule`, or
    /// dead-lettered with their reason once it runs out. A subscriber whose
    /// receiver did not answer at all waits until its earliest retry.
    public func recordCallbackAttempts(_ attempts: [(id: Int64, outcome: DeliveryOutcome)], schedule: RetrySchedule) async throws {
        guard !attempts.isEmpty else { return }
        let clock = self.clock
        try await write { db, now in
            var random = SystemRandomNumberGenerator()
            for (id, outcome) in attempts {
                guard let row = try OutboxRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM outbox WHERE id = ?"), arguments: [id]),
                    row.state == .pending
                else { continue }
                let made = row.attempts + 1
                switch outcome {
                case .delivered:
                    try db.cachedStatement(
                        sql: "UPDATE outbox SET state = ?, attempts = ?, finished_at = ?, last_error = NULL WHERE id = ?").execute(
                        arguments: [OutboxState.delivered, made, now, id])
                    try db.cachedStatement(sql: "UPDATE subscriber SET paused_until = NULL WHERE id = ?").execute(arguments: [row.subscriberID])
                case let .failed(reason, receiverDown):
                    switch schedule.next(after: made, using: &random) {
                    case let .retry(after):
                        let next = Timestamp.string(clock().addingTimeInterval(after))
                        try db.cachedStatement(
                            sql: "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?").execute(
                            arguments: [made, next, reason, id])
                        if receiverDown {
                            try db.cachedStatement(
                                sql: """
                                    UPDATE subscriber SET paused_until = CASE WHEN paused_until IS NULL OR paused_until < ? THEN ? ELSE paused_until END
                                    WHERE id = ?
                                    """).execute(
                                arguments: [now, next, row.subscriberID])
                        }
                    case .deadLetter:
                        try db.cachedStatement(
                            sql: "UPDATE outbox SET state = ?, attempts = ?, finished_at = ?, last_error = ? WHERE id = ?").execute(
                            arguments: [OutboxState.dead, made, now, "\(reason) (gave up after \(made) attempts)", id])
                    }
                }
            }
        }
    }

    /// Messages that ran out of attempts, oldest first.
    public func deadCallbacks(subscriber: Int64?, limit: Int) async throws -> [DeadLetter] {
        try await read { db in
            try OutboxRecord.fetchAll(
                db.cachedStatement(sql: """
                    SELECT * FROM outbox
                    WHERE state = \(OutboxState.dead.sqlLiteral) AND (CAST(? AS BIGINT) IS NULL OR subscriber_id = ?) ORDER BY id LIMIT ?
                    """), arguments: [subscriber, subscriber, limit]
            ).map { row in
                DeadLetter(
                    id: row.id, subscriber: row.subscriberID, messageId: row.messageID, event: row.event, orderingKey: row.orderingKey,
                    attempts: row.attempts, lastError: row.lastError, createdAt: row.createdAt, deadAt: row.finishedAt)
            }
        }
    }

    /// Puts dead-lettered messages back in the outbox with fresh attempts:
    /// those with the given ids, or all of one subscriber's, or all. The
    /// message keeps its `webhook-id` and its place in its key's order.
    /// Returns how many were put back.
    public func replayCallbacks(ids: [Int64]? = nil, subscriber: Int64? = nil) async throws -> Int {
        if let ids, ids.isEmpty { throw StoreError.invalid(field: "ids", why: "must list at least one message, or be left out") }
        if let ids, ids.count > 10_000 { throw StoreError.invalid(field: "ids", why: "may list at most 10000 messages at a time") }
        return try await write { db, now in
            if let subscriber { _ = try Self.subscriberView(db, id: subscriber) }
            // The ids, when given, as one placeholder each (at most 10,000: within both engines' limits).
            var arguments: SQLArguments = [OutboxState.pending, now, subscriber, subscriber]
            var chosen = ""
            if let ids {
                chosen = " AND id IN (" + Array(repeating: "?", count: ids.count).joined(separator: ", ") + ")"
                arguments += SQLArguments(ids)
            }
            try db.execute(
                sql: """
                    UPDATE outbox SET state = ?, attempts = 0, next_attempt_at = ?, finished_at = NULL
                    WHERE state = \(OutboxState.dead.sqlLiteral) AND (CAST(? AS BIGINT) IS NULL OR subscriber_id = ?)\(chosen)
                    """, arguments: arguments)
            let replayed = db.changesCount
            try db.cachedStatement(
                sql: """
                    UPDATE subscriber SET paused_until = NULL
                    WHERE (CAST(? AS BIGINT) IS NULL OR id = ?) AND id IN (SELECT subscriber_id FROM outbox WHERE state = \(OutboxState.pending.sqlLiteral))
                    """).execute(arguments: [subscriber, subscriber])
            return replayed
        }
    }

    /// How many messages wait, how many are dead, and the oldest waiting one.
    /// A removed subscriber's messages are kept but no longer wait for anything, so they are not counted.
    public func outboxStatus() async throws -> OutboxStatus {
        try await read { db in
            let active = "subscriber_id IN (SELECT id FROM subscriber WHERE removed_at IS NULL)"
            let pending = OutboxState.pending.sqlLiteral, dead = OutboxState.dead.sqlLiteral
            return OutboxStatus(
                pending: try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM outbox WHERE state = \(pending) AND \(active)"))!,
                dead: try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM outbox WHERE state = \(dead) AND \(active)"))!,
                oldestPendingAt: try String.fetchOne(
                    db.cachedStatement(sql: "SELECT created_at FROM outbox WHERE state = \(pending) AND \(active) ORDER BY id LIMIT 1")))
        }
    }

    /// Forgets delivered messages finished before `age` seconds ago, a
    /// bounded number at a time so the writer is never held long. Pending and
    /// dead messages are never pruned. Returns how many went. Asks a reader
    /// first, so that nothing to prune costs the writer nothing.
    public func pruneDeliveredCallbacks(olderThan age: TimeInterval, limit: Int) async throws -> Int {
        let cutoff = Timestamp.string(clock().addingTimeInterval(-age))
        let anyDue = try await read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM outbox WHERE state = \(OutboxState.delivered.sqlLiteral) AND finished_at < ? LIMIT 1"),
                arguments: [cutoff]) != nil
        }
        guard anyDue else { return 0 }
        return try await write { db, _ in
            try db.cachedStatement(
                sql: """
                    DELETE FROM outbox WHERE id IN (
                      SELECT id FROM outbox WHERE state = \(OutboxState.delivered.sqlLiteral) AND finished_at < ? ORDER BY finished_at LIMIT ?)
                    """).execute(arguments: [cutoff, limit])
            return db.changesCount
        }
    }
}
