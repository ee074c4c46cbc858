import Foundation
import GRDB
import SwablineCore

/// Rule 9: a standing carried across rounds. It is a projection of results
/// and clearances, written in the same transaction as its cause; the
/// core's `StandingState.after` decides every change.
extension Store {
    /// The resident's standing (cleared when nothing was ever held against them).
    static func standingState(_ db: SQLSession, resident: Int64) throws -> StandingState {
        try StandingRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM standing WHERE resident_id = ?"), arguments: [resident])?.state
            ?? .cleared
    }

    /// Applies one event to a resident's standing and writes it if it
    /// changed. Returns the new state.
    @discardableResult
    static func applyStanding(_ db: SQLSession, resident: Int64, _ event: StandingEvent, round: Int64, now: String) throws -> StandingState {
        let before = try standingState(db, resident: resident)
        let after = before.after(event)
        guard after != before else { return before }
        try writeStandings(db, [(resident, after)], round: round, now: now)
        return after
    }

    /// Writes distinct residents' new standings, all in one statement: a
    /// pooled tube's ten members are one step for SQLite and one round
    /// trip to PostgreSQL, not ten (issue #18).
    static func writeStandings(_ db: SQLSession, _ changes: [(resident: Int64, state: StandingState)], round: Int64, now: String) throws {
        guard !changes.isEmpty else { return }
        var arguments = SQLArguments()
        for (resident, state) in changes { arguments.append(row: resident, state.standing, state.decidedBySample, round, now) }
        try db.cachedStatement(sql: standingUpsert[changes.count]).execute(arguments: arguments)
    }

    static let standingUpsert = MultiRowSQL(upTo: TubeMode.pooled20.capacity) { rows in
        """
        INSERT INTO standing (resident_id, status, decided_by_sample, round_id, updated_at) VALUES \(MultiRow.values(rows, columns: 5))
        ON CONFLICT (resident_id) DO UPDATE SET status = excluded.status, decided_by_sample = excluded.decided_by_sample,
          round_id = excluded.round_id, updated_at = excluded.updated_at
        """
    }

    /// What a tube's result does to its members' standings, and to their
    /// households' when a single tube is positive (household contacts).
    /// Each member's standing is the one read with the tube's members, not
    /// read again, and the members' changes are written together: a tube's
    /// members are distinct residents, and household contacts are touched
    /// only for a single tube, whose one member is written by then, so
    /// nothing written here changes a standing still to be taken from
    /// `members`. Returns the household contacts whose standing it wrote.
    @discardableResult
    static func applyResultToStandings(
        _ db: SQLSession, result: TubeResult, mode: TubeMode, round: Int64, members: [TubeMemberRow], now: String
    ) throws -> [Int64] {
        let changes = members.compactMap { member -> (resident: Int64, state: StandingState)? in
            let after = member.standing.after(.result(result, mode: mode, sample: member.sampleID))
            return after == member.standing ? nil : (member.residentID, after)
        }
        try writeStandings(db, changes, round: round, now: now)
        guard result == .positive, !mode.isPooled else { return [] }
        var contacts: [Int64] = []
        for member in members {
            for contact in try Int64.fetchAll(
                db.cachedStatement(sql: """
                    SELECT o.id FROM resident r JOIN resident o ON o.household_id = r.household_id AND o.id <> r.id WHERE r.id = ?
                    """), arguments: [member.residentID])
            {
                try applyStanding(db, resident: contact, .householdPositive(sample: member.sampleID), round: round, now: now)
                contacts.append(contact)
            }
        }
        return contacts
    }

    /// The resident's newest single-tube sample: only a single tube can clear
    /// a standing, so only it answers one (`StandingState.retestDue`).
    static func latestSingleTube(_ db: SQLSession, resident: Int64) throws -> Int64? {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT max(s.id) FROM sample s JOIN tube t ON t.code = s.tube_code WHERE s.resident_id = ? AND t.mode = ?"),
            arguments: [resident, TubeMode.single])
    }

    /// SQL that is true when the resident aliased `alias` is not cleared;
    /// bind `Standing.cleared` once for it, where it stands.
    static func notCleared(_ alias: String, named argument: String? = nil) -> String {
        "EXISTS (SELECT 1 FROM standing st WHERE st.resident_id = \(alias).id AND st.status <> \(argument.map { ":" + $0 } ?? "?"))"
    }
}

/// Computes every standing from the results on record, applied in the order
/// they were (migration v13, and the projection test).
enum StandingBackfill {
    static func states(_ db: SQLSession) throws -> [Int64: (state: StandingState, round: Int64)] {
        // In the order the results were applied (their custody step), as the live path met them.
        let rows = try StandingEventRow.fetchAll(db, sql: """
            SELECT \(StandingEventRow.columns) FROM sample s JOIN tube t ON t.code = s.tube_code JOIN resident r ON r.id = s.resident_id
            JOIN custody_event c ON c.subject = ? AND c.code = t.code AND c.event = ?
            WHERE t.result IS NOT NULL ORDER BY c.id, s.id
            """, arguments: [CustodySubject.tube, CustodyEvent.resulted])
        let households = Dictionary(grouping: try SQLRow.fetchAll(db, sql: "SELECT id, household_id FROM resident"), by: { $0["household_id"] as Int64 })
            .mapValues { $0.map { $0["id"] as Int64 } }
        var events: [Int64: [(round: Int64, event: StandingEvent)]] = [:]
        for row in rows {
            events[row.residentID, default: []].append((row.roundID, .result(row.result, mode: row.mode, sample: row.sampleID)))
            guard row.result == .positive, !row.mode.isPooled else { continue }
            for contact in households[row.householdID] ?? [] where contact != row.residentID {
                events[contact, default: []].append((row.roundID, .householdPositive(sample: row.sampleID)))
            }
        }
        return events.mapValues { list in (StandingState.fold(list.map(\.event)), list.last!.round) }
    }

    static func run(_ db: SQLSession) throws {
        // A cleared row that remembers its clearing sample is kept: an older result still at the lab must not raise it.
        for (resident, entry) in try states(db) where entry.state != .cleared {
            try db.execute(
                sql: "INSERT INTO standing (resident_id, status, decided_by_sample, round_id, updated_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [resident, entry.state.standing, entry.state.decidedBySample, entry.round, Timestamp.string(Date())])
        }
    }
}
