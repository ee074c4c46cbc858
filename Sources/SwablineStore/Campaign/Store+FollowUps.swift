import GRDB
import SwablineCore

/// A reason recorded for one missing resident.
public struct FollowUpLine: Sendable, Codable, Equatable {
    public var resident: String
    public var reason: MissingReason
}

/// What a follow-up request recorded, in which round.
public struct FollowUpAnswer: Sendable, Codable, Equatable {
    public var round: String
    public var followUps: [FollowUpLine]
}

/// 应检尽检: why a resident expected at a site was not sampled in a round.
extension Store {
    /// Records why a resident (or every not-yet-sampled member of their
    /// household) was not sampled in their site's current round: staff of
    /// the site or a coordinator. The latest reason counts; every change is
    /// audited. Someone sampled in this round is not missing (`not_missing`).
    public func recordFollowUp(
        resident code: String, reason: MissingReason, note: String?, household: Bool, by actor: Actor
    ) async throws -> FollowUpAnswer {
        try Self.requireCode(code, field: "resident_code")
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let note, note.count > 200 { throw StoreError.invalid(field: "note", why: "must be at most 200 characters") }
        return try await write { db, now in
            let row = try Self.readableResident(db, code: code, by: actor)
            let round = try Self.currentRound(db, site: row.resident.siteID)
            let members = try ResidentRecord.fetchAll(
                db.cachedStatement(sql: """
                    SELECT * FROM resident r WHERE (r.id = :resident OR (:household = 1 AND r.household_id = :home))
                      AND NOT EXISTS (SELECT 1 FROM sample s WHERE s.round_id = :round AND s.resident_id = r.id)
                    ORDER BY r.code
                    """),
                arguments: ["resident": row.resident.id, "household": household, "home": row.resident.householdID, "round": round.id])
            guard members.contains(where: { $0.id == row.resident.id }) else { throw StoreError.conflict(.notMissing(resident: code)) }
            // A note may hold a phone number typed at the door (rule 8).
            let kept = note.map(PersonalData.maskNumbers(in:))
            for member in members {
                try db.cachedStatement(sql: """
                    INSERT INTO follow_up (round_id, resident_id, reason, note, actor, at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (round_id, resident_id) DO UPDATE SET reason = excluded.reason, note = excluded.note, actor = excluded.actor, at = excluded.at
                    """).execute(arguments: [round.id, member.id, reason, kept, actor.label, now])
                try Self.audit(
                    db, .followedUp, by: actor, resident: member.id, detail: reason.rawValue + (kept.map { ": \($0)" } ?? ""), now: now)
            }
            return FollowUpAnswer(round: round.name, followUps: members.map { FollowUpLine(resident: $0.code, reason: reason) })
        }
    }

    /// SQL: resident `r` was sampled in `:round`.
    static let sampledInRound = "EXISTS (SELECT 1 FROM sample s WHERE s.round_id = :round AND s.resident_id = r.id)"

    /// SQL: the reason staff recorded for resident `r` in `:round`, or NULL.
    static let recordedReason = "(SELECT f.reason FROM follow_up f WHERE f.round_id = :round AND f.resident_id = r.id)"

    /// SQL: why resident `r` was not sampled in `:round`: the reason staff
    /// recorded, or `:elsewhere` when another site sampled someone with the
    /// same ID number while this round ran here (`:from` to `:until`).
    static let missingReason = """
        coalesce(\(recordedReason),
          CASE WHEN EXISTS (SELECT 1 FROM resident r2 JOIN sample s2 ON s2.resident_id = r2.id
                            WHERE r2.id_number = r.id_number AND r2.site_id <> r.site_id
                              AND s2.sampled_at >= :from AND s2.sampled_at < :until) THEN :elsewhere END)
        """

    /// When a round ran at a site: from its opening to the opening of the site's next round (or for ever).
    static func roundSpan(_ db: SQLSession, site: String, round: RoundInfo) throws -> (from: String, until: String) {
        let next = try String.fetchOne(
            db.cachedStatement(sql: """
                SELECT min(r.opened_at) FROM site_round sr JOIN round r ON r.id = sr.round_id WHERE sr.site_id = ? AND r.id > ?
                """), arguments: [site, round.id])
        return (round.openedAt, next ?? "9999")
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
