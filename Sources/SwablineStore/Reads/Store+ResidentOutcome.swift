import GRDB
import SwablineCore

/// One resident's outcome in a round, the samples behind it, their standing
/// across rounds (rule 9), and every round they were sampled in.
public struct OutcomeReport: Sendable, Codable, Equatable {
    public struct Sample: Sendable, Codable, Equatable {
        public var tube: String
        public var mode: TubeMode
        public var sampledAt: String
        public var retest: Bool
        public var result: TubeResult?
    }

    /// One round of a resident's history.
    public struct Round: Sendable, Codable, Equatable {
        public var round: RoundInfo
        public var outcome: Outcome?
        public var samples: [Sample]
    }

    public var resident: ResidentView
    /// The round asked about (the resident's site's current round by default).
    public var round: String
    public var outcome: Outcome?
    public var samples: [Sample]
    /// Whether they may be pooled again; anything but `cleared` is sampled single-tube.
    public var standing: Standing
    /// The round the standing was last decided in, when something ever changed it.
    public var standingRound: String?
    /// Every round they were sampled in, or have an outcome in, newest first.
    public var history: [Round]
    /// Their household's latest home isolation (the site's local dates), when there ever was one.
    public var isolation: IsolationPlan?
}

extension Store {
    /// One resident's outcome in a round of their site (its current round
    /// by default), their standing, and their history across rounds.
    public func outcome(resident code: String, round: Int64? = nil, by actor: Actor) async throws -> OutcomeReport {
        try Self.requireCode(code, field: "resident_code")
        return try await read { db in
            let row = try Self.readableResident(db, code: code, by: actor)
            let resident = row.resident.id
            let asked = try Self.siteRound(db, site: row.resident.siteID, round: round)
            let samples = try ResidentSampleRow.fetchAll(
                db.cachedStatement(sql: """
                    SELECT s.*, t.mode, t.result FROM sample s JOIN tube t ON t.code = s.tube_code WHERE s.resident_id = ? ORDER BY s.id
                    """),
                arguments: [resident])
            let outcomes = Dictionary(
                uniqueKeysWithValues: try OutcomeRecord.fetchAll(
                    db.cachedStatement(sql: "SELECT * FROM outcome WHERE resident_id = ?"), arguments: [resident]
                ).map { ($0.roundID, $0.status) })
            let rounds = try RoundRecord.fetchAll(
                db.cachedStatement(sql: """
                    SELECT * FROM round WHERE id IN (SELECT round_id FROM outcome WHERE resident_id = ?
                                                     UNION SELECT round_id FROM sample WHERE resident_id = ?)
                    ORDER BY id DESC
                    """), arguments: [resident, resident]
            ).map(\.info)
            let history = rounds.map { round in
                OutcomeReport.Round(
                    round: round, outcome: outcomes[round.id], samples: samples.filter { $0.sample.roundID == round.id }.map(\.report))
            }
            let standing = try StandingRecord.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM standing WHERE resident_id = ?"), arguments: [resident])
            return OutcomeReport(
                resident: row.view, round: asked.name, outcome: outcomes[asked.id],
                samples: samples.filter { $0.sample.roundID == asked.id }.map(\.report),
                standing: standing?.status ?? .cleared,
                standingRound: try standing.flatMap { try String.fetchOne(db, sql: "SELECT name FROM round WHERE id = ?", arguments: [$0.roundID]) },
                history: history,
                isolation: try SQLRow.fetchOne(
                    db.cachedStatement(sql: "SELECT since, until FROM isolation WHERE household_id = ? ORDER BY id DESC LIMIT 1"),
                    arguments: [row.resident.householdID]
                ).map { IsolationPlan(since: $0["since"], until: $0["until"]) })
        }
    }
}
