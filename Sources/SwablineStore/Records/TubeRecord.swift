import GRDB
import SwablineCore

/// A row of `tube`: a pre-printed barcode, its mode and where it stands in
/// its chain of custody.
struct TubeRecord: RowDecodable, Sendable {
    var code: String
    var siteID: String
    var roundID: Int64
    var stationID: String
    var mode: TubeMode
    var state: TubeState
    var boxCode: String?
    var partial: Bool
    var result: TubeResult?
    /// Why the lab rejected it, when it did (migration v16).
    var rejected: TubeRejection?

    enum Columns {
        static let code = Column("code")
        static let siteID = Column("site_id")
        static let roundID = Column("round_id")
        static let stationID = Column("station_id")
        static let mode = Column("mode")
        /// The mode's capacity, written when the tube is opened (migration v11).
        static let capacity = Column("capacity")
        static let state = Column("state")
        static let boxCode = Column("box_code")
        static let partial = Column("partial")
        static let result = Column("result")
        static let rejected = Column("rejected_reason")
    }

    init(row: SQLRow) throws {
        code = try row.decode(forColumn: Columns.code)
        siteID = try row.decode(forColumn: Columns.siteID)
        roundID = try row.decode(forColumn: Columns.roundID)
        stationID = try row.decode(forColumn: Columns.stationID)
        mode = try row.decode(forColumn: Columns.mode)
        state = try row.decode(forColumn: Columns.state)
        boxCode = try row.decode(forColumn: Columns.boxCode)
        partial = try row.decode(forColumn: Columns.partial)
        result = try row.decode(forColumn: Columns.result)
        rejected = row[Columns.rejected]
    }
}

/// A tube with how many people it holds: what a `TubeView` shows.
struct CountedTube: RowDecodable, Sendable {
    var tube: TubeRecord
    var filled: Int

    /// The query that reads one by code.
    static let byCode = "SELECT t.*, (SELECT count(*) FROM sample s WHERE s.tube_code = t.code) AS filled FROM tube t WHERE t.code = ?"

    enum Columns {
        static let filled = Column("filled")
    }

    init(row: SQLRow) throws {
        tube = try TubeRecord(row: row)
        filled = try row.decode(forColumn: Columns.filled)
    }

    var view: TubeView {
        TubeView(
            code: tube.code, site: tube.siteID, station: tube.stationID, mode: tube.mode, capacity: tube.mode.capacity,
            filled: filled, state: tube.state, partial: tube.partial, box: tube.boxCode, result: tube.result,
            rejected: tube.rejected)
    }
}

/// A row of `box`: a transport box and where it stands in its chain.
struct BoxRecord: RowDecodable, Sendable {
    var code: String
    var siteID: String
    var labID: String
    var state: BoxState
    var courierToken: Int64?
    var temperatureC: Double?

    enum Columns {
        static let code = Column("code")
        static let siteID = Column("site_id")
        static let labID = Column("lab_id")
        static let state = Column("state")
        static let courierToken = Column("courier_token")
        static let temperatureC = Column("temperature_c")
    }

    init(row: SQLRow) throws {
        code = try row.decode(forColumn: Columns.code)
        siteID = try row.decode(forColumn: Columns.siteID)
        labID = try row.decode(forColumn: Columns.labID)
        state = try row.decode(forColumn: Columns.state)
        courierToken = try row.decode(forColumn: Columns.courierToken)
        temperatureC = try row.decode(forColumn: Columns.temperatureC)
    }
}

/// A box as a courier's list shows it: with its site's name and its oldest swab.
struct CourierBoxRow: RowDecodable, Sendable {
    var box: BoxRecord
    var siteName: String
    var oldestSampleAt: String?

    enum Columns {
        static let siteName = Column("site_name")
        static let oldest = Column("oldest")
    }

    init(row: SQLRow) throws {
        box = try BoxRecord(row: row)
        siteName = try row.decode(forColumn: Columns.siteName)
        oldestSampleAt = try row.decode(forColumn: Columns.oldest)
    }
}

/// A tube as its lab sees it: the tube, and when its first swab was taken
/// (nil while it holds none), which a result's `tested_at` cannot precede.
struct LabTubeRow: RowDecodable, Sendable {
    var tube: TubeRecord
    var firstSampledAt: String?

    init(row: SQLRow) throws {
        tube = try TubeRecord(row: row)
        firstSampledAt = try row.decode(forColumn: Column("first_sampled_at"))
    }

    init(tube: TubeRecord, firstSampledAt: String?) {
        self.tube = tube
        self.firstSampledAt = firstSampledAt
    }
}
