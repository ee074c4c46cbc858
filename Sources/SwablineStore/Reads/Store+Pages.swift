import GRDB
import SwablineCore

// Read-only views the pages show beside the forms. Every write a page makes
// goes through the same methods the API uses; these only read.

/// A site as the pages name it: its stations and the tube modes its zone allows.
public struct SiteSummary: Sendable, Equatable {
    public struct Station: Sendable, Equatable {
        public var id: String
        public var name: String
    }

    public var id: String
    public var name: String
    public var zone: Zone
    public var poolMode: TubeMode
    public var timeZone: String
    public var stations: [Station]
    /// The gate asks for a temperature (`triage_temperature` in site.toml).
    public var triageTemperature: Bool
}

/// A station's desk: its open tube, who is in it, and who is called to it.
public struct StationStatus: Sendable, Equatable {
    public var station: String
    public var tube: TubeView?
    /// People already swabbed into the open tube, in slot order.
    public var inTube: [CalledPerson]
    /// People called to this station and not yet swabbed.
    public var called: [CalledPerson]
    /// Tickets waiting at the site.
    public var waiting: Int
}

/// What the packing table sees: boxes not yet carried, and sealed tubes not yet boxed.
public struct PackingStatus: Sendable, Equatable {
    public var boxes: [BoxView]
    public var looseTubes: [TubeView]
}

/// A box a courier may pick up or is carrying.
public struct CourierBox: Sendable, Equatable {
    public var box: BoxView
    public var siteName: String
    /// When the oldest sample in the box was taken (RFC 3339), if any.
    public var oldestSampleAt: String?
}

/// What the queue board shows: ticket labels only, no names (a public screen).
public struct BoardState: Sendable, Equatable, Codable {
    public struct Station: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
        public var called: [String]
    }

    public var stations: [Station]
    /// The next tickets in calling order (the first few).
    public var next: [String]
    public var waiting: Int
}

extension Store {
    /// Lets pages check access the same way the store does before they read.
    public static func checkStaff(_ actor: Actor, site: String) throws { try requireStaff(actor, site: site) }
    public static func checkReader(_ actor: Actor, site: String) throws { try requireReader(actor, site: site) }

    /// A site's name and stations, for staff of the site and coordinators.
    public func siteSummary(_ site: String, by actor: Actor) async throws -> SiteSummary {
        try Self.requireReader(actor, site: site)
        return try await read { db in
            let record = try self.site(db, site)
            let stations = try StationRecord.fetchAll(db, sql: "SELECT * FROM station WHERE site_id = ? ORDER BY position, id", arguments: [site])
            return SiteSummary(
                id: record.id, name: record.name, zone: record.zone, poolMode: record.poolMode,
                timeZone: record.timeZone, stations: stations.map { .init(id: $0.id, name: $0.name) },
                triageTemperature: record.triageTemperature)
        }
    }

    static func calledPeople(_ db: SQLSession, sql: String, arguments: SQLArguments) throws -> [CalledPerson] {
        try CalledPersonRow.fetchAll(db, sql: sql, arguments: arguments).map(\.person)
    }

    /// The open tube at a station and the people at its desk.
    public func stationStatus(site: String, station: String, by actor: Actor) async throws -> StationStatus {
        try Self.requireStaff(actor, site: site)
        return try await read { db in
            _ = try self.site(db, site)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM station WHERE site_id = ? AND id = ?", arguments: [site, station]) != nil
            else { throw StoreError.notFound(kind: .station, code: station) }
            let round = try Self.currentRound(db, site: site)
            let open = try String.fetchOne(
                db.cachedStatement(sql: "SELECT code FROM tube WHERE site_id = ? AND station_id = ? AND state = ?"),
                arguments: [site, station, TubeState.open])
            let tube = try open.map { try Self.tubeView(db, code: $0) }
            let inTube = try open.map { code in
                try Self.calledPeople(
                    db,
                    sql: """
                        SELECT \(CalledPersonRow.columns) FROM sample s
                        JOIN resident r ON r.id = s.resident_id JOIN household h ON h.id = r.household_id
                        LEFT JOIN ticket t ON t.round_id = s.round_id AND t.resident_id = r.id
                        WHERE s.tube_code = ? ORDER BY s.slot
                        """,
                    arguments: [code])
            } ?? []
            let called = try Self.calledPeople(
                db,
                sql: """
                    SELECT \(CalledPersonRow.columns) FROM ticket t
                    JOIN resident r ON r.id = t.resident_id JOIN household h ON h.id = r.household_id
                    WHERE t.round_id = ? AND t.site_id = ? AND t.station_id = ? AND t.status = ? ORDER BY t.id
                    """,
                arguments: [round.id, site, station, TicketStatus.called])
            let waiting = try Self.waitingCount(db, round: round.id, site: site)
            return StationStatus(station: station, tube: tube, inTube: inTube, called: called, waiting: waiting)
        }
    }

    /// Boxes at a site that no courier has taken yet, and sealed tubes waiting for a box.
    public func packingStatus(site: String, by actor: Actor) async throws -> PackingStatus {
        try Self.requireStaff(actor, site: site)
        return try await read { db in
            _ = try self.site(db, site)
            let boxes = try String.fetchAll(
                db, sql: "SELECT code FROM box WHERE site_id = ? AND state IN (?, ?) ORDER BY created_at DESC, code",
                arguments: [site, BoxState.packing, BoxState.sealed])
            let tubes = try String.fetchAll(
                db, sql: "SELECT code FROM tube WHERE site_id = ? AND state = ? AND box_code IS NULL ORDER BY code",
                arguments: [site, TubeState.sealed])
            return PackingStatus(
                boxes: try boxes.map { try Self.boxView(db, code: $0) }, looseTubes: try tubes.map { try Self.tubeView(db, code: $0) })
        }
    }

    /// What a courier sees: boxes not yet carried at the sites they serve
    /// (packing ones too, to plan), and the boxes they carry.
    public func courierBoxes(by actor: Actor) async throws -> [CourierBox] {
        let courier = try Self.requireCourier(actor)
        return try await read { db in
            let rows = try CourierBoxRow.fetchAll(
                db,
                sql: """
                    SELECT b.*, s.name AS site_name,
                      (SELECT min(sm.sampled_at) FROM tube t JOIN sample sm ON sm.tube_code = t.code WHERE t.box_code = b.code) AS oldest
                    FROM box b JOIN site s ON s.id = b.site_id
                    WHERE (b.courier_token IS NULL AND b.state IN (:packing, :sealed)) OR (b.courier_token = :courier AND b.state = :carried)
                    ORDER BY b.state = :carried DESC, b.state = :sealed DESC, oldest NULLS FIRST, b.code
                    """,
                arguments: [
                    "courier": courier.token, "packing": BoxState.packing, "sealed": BoxState.sealed, "carried": BoxState.pickedUp,
                ])
            // Boxes not yet carried are the courier's only at the sites they serve (rule 7).
            return try rows.filter { row in
                row.box.state == .pickedUp || courier.sites.isEmpty || courier.sites.contains(row.box.siteID)
            }.map { row in
                CourierBox(box: try Self.boxView(db, code: row.box.code), siteName: row.siteName, oldestSampleAt: row.oldestSampleAt)
            }
        }
    }

    /// How many tickets wait at a site this round.
    static func waitingCount(_ db: SQLSession, round: Int64, site: String) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT count(*) FROM ticket WHERE round_id = ? AND site_id = ? AND status = ?"),
            arguments: [round, site, TicketStatus.waiting])!
    }

    /// The queue board of a site: who is called to each station, and who is next.
    public func board(site: String, by actor: Actor) async throws -> BoardState {
        try await readSiteRound(site, by: actor) { db, round in
            let stations = try StationRecord.fetchAll(db, sql: "SELECT * FROM station WHERE site_id = ? ORDER BY position, id", arguments: [site])
            let called = try TicketRecord.fetchAll(
                db, sql: "SELECT * FROM ticket WHERE round_id = ? AND site_id = ? AND status = ? ORDER BY id",
                arguments: [round.id, site, TicketStatus.called])
            let next = try TicketRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM ticket WHERE round_id = ? AND site_id = ? AND status = ?
                    ORDER BY lane = ? DESC, id LIMIT 12
                    """,
                arguments: [round.id, site, TicketStatus.waiting, Lane.priority])
            let waiting = try Self.waitingCount(db, round: round.id, site: site)
            return BoardState(
                stations: stations.map { station in
                    BoardState.Station(id: station.id, name: station.name, called: called.filter { $0.stationID == station.id }.map(\.label))
                },
                next: next.map(\.label), waiting: waiting)
        }
    }
}
