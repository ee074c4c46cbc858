import GRDB
import SwablineCore

/// A round (轮次) of testing: coverage and outcomes are counted per round.
public struct RoundInfo: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var openedAt: String
}

extension Store {
    /// The round new check-ins and tubes belong to: the one opened last.
    static func currentRound(_ db: Database) throws -> RoundInfo {
        guard let round = try RoundRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM round ORDER BY id DESC LIMIT 1")) else {
            throw StoreError.conflict(.noRound)
        }
        return round.info
    }

    public func currentRound() async throws -> RoundInfo {
        try await read { try Self.currentRound($0) }
    }

    /// Opens a new round; from now on check-ins, tubes and outcomes count
    /// toward it.
    public func openRound(name: String) async throws -> RoundInfo {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 100 else {
            throw StoreError.invalid(field: "name", why: "must be 1 to 100 characters")
        }
        return try await write { db, now in
            // A tube belongs to the round it was opened in; one still open would mix two rounds.
            let open = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM tube WHERE state = ?"), arguments: [TubeState.open])!
            guard open == 0 else {
                throw StoreError.conflict(.tubesOpen(count: open))
            }
            try db.cachedStatement(sql: "INSERT INTO round (name, opened_at) VALUES (?, ?)").execute( arguments: [trimmed, now])
            return RoundInfo(id: db.lastInsertedRowID, name: trimmed, openedAt: now)
        }
    }

    /// Opens a first round when there is none, so a new install runs with no
    /// set-up. Returns the current round.
    public func ensureRound(defaultName: String) async throws -> RoundInfo {
        try await write { db, now in
            if let round = try? Self.currentRound(db) { return round }
            try db.cachedStatement(sql: "INSERT INTO round (name, opened_at) VALUES (?, ?)").execute( arguments: [defaultName, now])
            return RoundInfo(id: db.lastInsertedRowID, name: defaultName, openedAt: now)
        }
    }
}
