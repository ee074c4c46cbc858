import GRDB
import SwablineCore

extension Standing: DatabaseValueConvertible {}

/// A row of `standing`: a resident's standing across rounds, and the round it was last decided in.
struct StandingRecord: RowDecodable, Sendable {
    var residentID: Int64
    var status: Standing
    var decidedBySample: Int64?
    var roundID: Int64
    var updatedAt: String

    enum Columns {
        static let residentID = Column("resident_id")
        static let status = Column("status")
        static let decidedBySample = Column("decided_by_sample")
        static let roundID = Column("round_id")
        static let updatedAt = Column("updated_at")
    }

    init(row: SQLRow) throws {
        residentID = try row.decode(forColumn: Columns.residentID)
        status = try row.decode(forColumn: Columns.status)
        decidedBySample = try row.decode(forColumn: Columns.decidedBySample)
        roundID = try row.decode(forColumn: Columns.roundID)
        updatedAt = try row.decode(forColumn: Columns.updatedAt)
    }

    var state: StandingState { StandingState(standing: status, decidedBySample: decidedBySample) }
}

/// A resulted sample as a standing event: whose, which sample, in which round, the tube's mode and result.
struct StandingEventRow: RowDecodable, Sendable {
    var residentID: Int64
    var householdID: Int64
    var sampleID: Int64
    var roundID: Int64
    var mode: TubeMode
    var result: TubeResult

    static let columns = "s.resident_id, r.household_id, s.id AS sample_id, s.round_id, t.mode, t.result"

    init(row: SQLRow) throws {
        residentID = try row.decode(forColumn: "resident_id")
        householdID = try row.decode(forColumn: "household_id")
        sampleID = try row.decode(forColumn: "sample_id")
        roundID = try row.decode(forColumn: "round_id")
        mode = try row.decode(forColumn: "mode")
        result = try row.decode(forColumn: "result")
    }
}
