import GRDB
import SwablineCore

/// A row of `sample`: one resident swabbed into one tube, in a slot.
struct SampleRecord: RowDecodable, Sendable {
    var id: Int64
    var roundID: Int64
    var residentID: Int64
    var tubeCode: String
    var slot: Int
    var retest: Bool
    var sampledAt: String

    enum Columns {
        static let id = Column("id")
        static let roundID = Column("round_id")
        static let residentID = Column("resident_id")
        static let tubeCode = Column("tube_code")
        static let slot = Column("slot")
        static let retest = Column("retest")
        static let sampledAt = Column("sampled_at")
    }

    init(row: SQLRow) throws {
        id = try row.decode(forColumn: Columns.id)
        roundID = try row.decode(forColumn: Columns.roundID)
        residentID = try row.decode(forColumn: Columns.residentID)
        tubeCode = try row.decode(forColumn: Columns.tubeCode)
        slot = try row.decode(forColumn: Columns.slot)
        retest = try row.decode(forColumn: Columns.retest)
        sampledAt = try row.decode(forColumn: Columns.sampledAt)
    }
}

/// A sample with its tube's mode and result: one line of a resident's outcome report.
struct ResidentSampleRow: RowDecodable, Sendable {
    var sample: SampleRecord
    var mode: TubeMode
    var result: TubeResult?

    enum Columns {
        static let mode = Column("mode")
        static let result = Column("result")
    }

    init(row: SQLRow) throws {
        sample = try SampleRecord(row: row)
        mode = try row.decode(forColumn: Columns.mode)
        result = try row.decode(forColumn: Columns.result)
    }

    var report: OutcomeReport.Sample {
        OutcomeReport.Sample(tube: sample.tubeCode, mode: mode, sampledAt: sample.sampledAt, retest: sample.retest, result: result)
    }
}

/// A row of `outcome`: a resident's outcome this round and the sample that decided it.
struct OutcomeRecord: RowDecodable, Sendable {
    var roundID: Int64
    var residentID: Int64
    var status: Outcome
    var decidedBySample: Int64?

    enum Columns {
        static let roundID = Column("round_id")
        static let residentID = Column("resident_id")
        static let status = Column("status")
        static let decidedBySample = Column("decided_by_sample")
    }

    init(row: SQLRow) throws {
        roundID = try row.decode(forColumn: Columns.roundID)
        residentID = try row.decode(forColumn: Columns.residentID)
        status = try row.decode(forColumn: Columns.status)
        decidedBySample = try row.decode(forColumn: Columns.decidedBySample)
    }
}

/// A member of a tube whose result is in: their sample, the outcome it may
/// replace, and their standing (rule 9) as it is before the result.
struct TubeMemberRow: RowDecodable, Sendable {
    var residentID: Int64
    var sampleID: Int64
    var decidedBySample: Int64?
    var current: Outcome?
    var standing: StandingState

    enum Columns {
        static let residentID = Column("resident_id")
        static let sampleID = Column("sample_id")
        static let decidedBySample = Column("decided_by_sample")
        static let status = Column("status")
        static let standing = Column("standing")
        static let standingDecidedBySample = Column("standing_decided_by_sample")
    }

    init(row: SQLRow) throws {
        residentID = try row.decode(forColumn: Columns.residentID)
        sampleID = try row.decode(forColumn: Columns.sampleID)
        decidedBySample = try row.decode(forColumn: Columns.decidedBySample)
        current = try row.decode(forColumn: Columns.status)
        let standingStatus: Standing? = try row.decode(forColumn: Columns.standing)
        standing = try standingStatus.map {
            StandingState(standing: $0, decidedBySample: try row.decode(forColumn: Columns.standingDecidedBySample))
        } ?? .cleared
    }
}
