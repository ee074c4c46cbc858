import Foundation
import GRDB
import SwablineCore

extension CallbackEvent: DatabaseValueConvertible {}

/// A row of `subscriber`, with how many of its messages wait and how many are dead.
struct SubscriberRow: RowDecodable, Sendable {
    var id: Int64
    var url: String
    var events: String
    var label: String?
    /// A lab's own subscriber hears only about that lab's boxes.
    var lab: String?
    var format: CallbackFormat
    var secret: String
    var previousSecret: String?
    var previousExpiresAt: String?
    var pausedUntil: String?
    var createdAt: String
    var removedAt: String?
    var pending: Int
    var dead: Int

    enum Columns {
        static let id = Column("id")
        static let url = Column("url")
        static let events = Column("events")
        static let label = Column("label")
        static let lab = Column("lab_id")
        static let format = Column("format")
        static let secret = Column("secret")
        static let previousSecret = Column("previous_secret")
        static let previousExpiresAt = Column("previous_expires_at")
        static let pausedUntil = Column("paused_until")
        static let createdAt = Column("created_at")
        static let removedAt = Column("removed_at")
        /// Counted by `Store.subscriberSelect`, not stored.
        static let pending = Column("pending")
        static let dead = Column("dead")
    }

    init(row: SQLRow) throws {
        id = try row.decode(forColumn: Columns.id)
        url = try row.decode(forColumn: Columns.url)
        events = try row.decode(forColumn: Columns.events)
        label = try row.decode(forColumn: Columns.label)
        lab = try row.decode(forColumn: Columns.lab)
        format = try row.decode(forColumn: Columns.format)
        secret = try row.decode(forColumn: Columns.secret)
        previousSecret = try row.decode(forColumn: Columns.previousSecret)
        previousExpiresAt = try row.decode(forColumn: Columns.previousExpiresAt)
        pausedUntil = try row.decode(forColumn: Columns.pausedUntil)
        createdAt = try row.decode(forColumn: Columns.createdAt)
        removedAt = try row.decode(forColumn: Columns.removedAt)
        pending = try row.decode(Int?.self, forColumn: Columns.pending) ?? 0
        dead = try row.decode(Int?.self, forColumn: Columns.dead) ?? 0
    }

    var view: SubscriberView {
        SubscriberView(
            id: id, url: url, events: events.split(separator: ",").compactMap { CallbackEvent(rawValue: String($0)) }, label: label,
            lab: lab, format: format, createdAt: createdAt, removedAt: removedAt, previousSecretValidUntil: previousExpiresAt, pausedUntil: pausedUntil,
            pending: pending, dead: dead)
    }
}

/// A row of `outbox`: one callback message to one subscriber.
struct OutboxRecord: RowDecodable, Sendable {
    var id: Int64
    var subscriberID: Int64
    var messageID: String
    var event: CallbackEvent
    var orderingKey: String
    var body: Data
    var state: OutboxState
    var attempts: Int
    var nextAttemptAt: String
    var lastError: String?
    var createdAt: String
    var finishedAt: String?

    enum Columns {
        static let id = Column("id")
        static let subscriberID = Column("subscriber_id")
        static let messageID = Column("message_id")
        static let event = Column("event")
        static let orderingKey = Column("ordering_key")
        static let body = Column("body")
        static let state = Column("state")
        static let attempts = Column("attempts")
        static let nextAttemptAt = Column("next_attempt_at")
        static let lastError = Column("last_error")
        static let createdAt = Column("created_at")
        static let finishedAt = Column("finished_at")
    }

    init(row: SQLRow) throws {
        id = try row.decode(forColumn: Columns.id)
        subscriberID = try row.decode(forColumn: Columns.subscriberID)
        messageID = try row.decode(forColumn: Columns.messageID)
        event = try row.decode(forColumn: Columns.event)
        orderingKey = try row.decode(forColumn: Columns.orderingKey)
        body = try row.decode(forColumn: Columns.body)
        state = try row.decode(forColumn: Columns.state)
        attempts = try row.decode(forColumn: Columns.attempts)
        nextAttemptAt = try row.decode(forColumn: Columns.nextAttemptAt)
        lastError = try row.decode(forColumn: Columns.lastError)
        createdAt = try row.decode(forColumn: Columns.createdAt)
        finishedAt = try row.decode(forColumn: Columns.finishedAt)
    }
}

/// Who a `resident.outcome` callback names: the resident's code and site, and the round's name.
struct OutcomeCallbackRow: RowDecodable, Sendable {
    var code: String
    var siteID: String
    var round: String

    enum Columns {
        static let code = Column("code")
        static let siteID = Column("site_id")
        static let round = Column("round")
    }

    init(row: SQLRow) throws {
        code = try row.decode(forColumn: Columns.code)
        siteID = try row.decode(forColumn: Columns.siteID)
        round = try row.decode(forColumn: Columns.round)
    }
}
