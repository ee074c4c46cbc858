import GRDB
import SwablineCore

/// A row of `site`: one testing site as imported from `sites/`.
struct SiteRecord: RowDecodable, Sendable {
    var id: String
    var name: String
    var address: String
    var timeZone: String
    var zone: Zone
    var poolMode: TubeMode
    var labID: String
    var opens: String
    var closes: String
    var isolationDays: Int
    var triageTemperature: Bool

    enum Columns {
        static let id = Column("id")
        static let name = Column("name")
        static let address = Column("address")
        static let timeZone = Column("time_zone")
        static let zone = Column("zone")
        static let poolMode = Column("pool_mode")
        static let labID = Column("lab_id")
        static let opens = Column("opens")
        static let closes = Column("closes")
        static let isolationDays = Column("isolation_days")
        static let triageTemperature = Column("triage_temperature")
    }

    init(row: SQLRow) throws {
        id = try row.decode(forColumn: Columns.id)
        name = try row.decode(forColumn: Columns.name)
        address = try row.decode(forColumn: Columns.address)
        timeZone = try row.decode(forColumn: Columns.timeZone)
        zone = try row.decode(forColumn: Columns.zone)
        poolMode = try row.decode(forColumn: Columns.poolMode)
        labID = try row.decode(forColumn: Columns.labID)
        opens = try row.decode(forColumn: Columns.opens)
        closes = try row.decode(forColumn: Columns.closes)
        isolationDays = try row.decode(forColumn: Columns.isolationDays)
        triageTemperature = try row.decode(forColumn: Columns.triageTemperature)
    }
}

/// A row of `station`: a sampling desk of a site.
struct StationRecord: RowDecodable, Sendable {
    var siteID: String
    var id: String
    var name: String

    enum Columns {
        static let siteID = Column("site_id")
        static let id = Column("id")
        static let name = Column("name")
    }

    init(row: SQLRow) throws {
        siteID = try row.decode(forColumn: Columns.siteID)
        id = try row.decode(forColumn: Columns.id)
        name = try row.decode(forColumn: Columns.name)
    }
}

/// A row of `round`.
struct RoundRecord: RowDecodable, Sendable {
    var id: Int64
    var name: String
    var openedAt: String

    enum Columns {
        static let id = Column("id")
        static let name = Column("name")
        static let openedAt = Column("opened_at")
    }

    init(row: SQLRow) throws {
        id = try row.decode(forColumn: Columns.id)
        name = try row.decode(forColumn: Columns.name)
        openedAt = try row.decode(forColumn: Columns.openedAt)
    }

    var info: RoundInfo { RoundInfo(id: id, name: name, openedAt: openedAt) }
}

/// A row of `site_source`: the digest of a site folder when last imported.
struct SiteSourceRecord: RowDecodable, Sendable {
    var folder: String
    var digest: String

    enum Columns {
        static let folder = Column("folder")
        static let digest = Column("digest")
    }

    init(row: SQLRow) throws {
        folder = try row.decode(forColumn: Columns.folder)
        digest = try row.decode(forColumn: Columns.digest)
    }
}
