import GRDB
import SwablineCore

/// Why a tube's members get an outcome.
enum OutcomeCause {
    /// The lab's result, tested at the lab's time.
    case labResult(TubeResult, testedAt: String)
    /// The tube was lost before any lab saw it: for its members it is as
    /// good as unreadable, so they are sampled again.
    case tubeLost
    /// The lab rejected the tube unread: as unreadable as a lost one.
    case tubeRejected(TubeRejection)

    var result: TubeResult {
        switch self {
        case let .labResult(result, _): result
        case .tubeLost, .tubeRejected: .invalid
        }
    }
}

extension Store {
    /// Decides the outcome of every member of a tube from its result (a
    /// lab's, or none for a tube that was lost), writes them, and puts
    /// a `resident.outcome` callback for each in the outbox, all in the
    /// caller's transaction. A member decided by a later sample keeps that
    /// outcome; an unreadable retest keeps a pool-positive member so
    /// (`ResultMatching.outcomes`). The members, their outcomes and their
    /// standings are one read, unless the caller read them already
    /// (`members`, see `DeliveryReads`); `subscribers` carries the
    /// outbox's lookups across the tubes of one transaction. Returns the
    /// residents whose outcome or standing it wrote.
    @discardableResult
    static func decideOutcomes(
        _ db: SQLSession, tube: String, round: Int64, mode: TubeMode, cause: OutcomeCause, now: String,
        subscribers: Subscribers = Subscribers(), members known: [TubeMemberRow]? = nil
    ) throws -> Set<Int64> {
        let members = try known
            ?? TubeMemberRow.fetchAll(db.cachedStatement(sql: tubeMembersSQL + " WHERE s.tube_code = ? ORDER BY s.id"), arguments: [tube])
        var written = Set(members.map(\.residentID))
        let bySample = Dictionary(uniqueKeysWithValues: members.map { ($0.residentID, $0.sampleID) })
        let outcomes = ResultMatching.outcomes(
            for: cause.result, mode: mode,
            members: members.map {
                .init(resident: $0.residentID, sampleSequence: $0.sampleID, decidedBySequence: $0.decidedBySample, current: $0.current)
            })
        if case let .labResult(result, _) = cause {
            written.formUnion(try applyResultToStandings(db, result: result, mode: mode, round: round, members: members, now: now))
            if result == .positive { try applyResultToIsolation(db, tube: tube, round: round, now: now) }
        }
        // Every member's outcome in one statement (a tube's members are distinct residents).
        if !outcomes.isEmpty {
            var arguments = SQLArguments()
            for (resident, outcome) in outcomes { arguments.append(row: round, resident, outcome, bySample[resident], now) }
            try db.cachedStatement(sql: outcomeUpsert[outcomes.count]).execute(arguments: arguments)
        }
        let outcomeSubscribers = try subscribers.of(.residentOutcome, db)
        for (resident, outcome) in outcomes {
            try enqueueCallback(db, event: .residentOutcome, subscribers: outcomeSubscribers, orderingKey: "resident:\(resident)", now: now) {
                let who = try OutcomeCallbackRow.fetchOne(
                    db.cachedStatement(sql: """
                        SELECT r.code, r.site_id, (SELECT name FROM round WHERE id = ?) AS round FROM resident r WHERE r.id = ?
                        """), arguments: [round, resident])!
                var callback = ResidentOutcomeCallback(
                    resident: who.code, site: who.siteID, round: who.round, outcome: outcome, tube: tube, tubeLost: false,
                    standing: try standingState(db, resident: resident).standing,
                    isolatedUntil: try String.fetchOne(
                        db.cachedStatement(sql: """
                            SELECT i.until FROM isolation i JOIN resident r ON r.household_id = i.household_id
                            WHERE r.id = ? ORDER BY i.id DESC LIMIT 1
                            """), arguments: [resident]))
                switch cause {
                case let .labResult(result, testedAt):
                    callback.tubeResult = result
                    callback.testedAt = testedAt
                case .tubeLost:
                    callback.tubeLost = true
                case let .tubeRejected(reason):
                    callback.tubeRejected = reason
                }
                return callback
            }
        }
        return written
    }

    /// Writes the outcomes of a tube's members, one row each.
    static let outcomeUpsert = MultiRowSQL(upTo: TubeMode.pooled20.capacity) { rows in
        """
        INSERT INTO outcome (round_id, resident_id, status, decided_by_sample, updated_at) VALUES \(MultiRow.values(rows, columns: 5))
        ON CONFLICT (round_id, resident_id) DO UPDATE SET status = excluded.status, decided_by_sample = excluded.decided_by_sample,
          updated_at = excluded.updated_at
        """
    }

    /// A tube's members (`TubeMemberRow`), each with the round's outcome
    /// and their standing; the caller says which tubes, and in what order.
    static let tubeMembersSQL = """
        SELECT s.tube_code, s.resident_id, s.id AS sample_id, s.sampled_at, o.decided_by_sample, o.status,
          st.status AS standing, st.decided_by_sample AS standing_decided_by_sample FROM sample s
        LEFT JOIN outcome o ON o.round_id = s.round_id AND o.resident_id = s.resident_id
        LEFT JOIN standing st ON st.resident_id = s.resident_id
        """
}
