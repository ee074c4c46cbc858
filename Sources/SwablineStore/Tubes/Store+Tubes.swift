import GRDB
import SwablineCore

extension Store {
    /// Opens a pre-printed tube at a station. A station has one open tube
    /// at a time; a barcode is used once.
    public func openTube(site: String, code: String, station: String, mode: TubeMode?, by actor: Actor) async throws -> TubeView {
        try Self.requireStaff(actor, site: site)
        try Self.requireCode(code, field: "tube")
        try Self.requireCode(station, field: "station")
        return try await write { db, now in
            let siteRecord = try self.site(db, site)
            let zone = siteRecord.zone
            let mode = mode ?? siteRecord.poolMode
            guard zone.allows(mode) else { throw StoreError.rule(.modeNotAllowed(mode: mode, zone: zone)) }
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM station WHERE site_id = ? AND id = ?"), arguments: [site, station]) != nil
            else { throw StoreError.notFound(kind: .station, code: station) }
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM tube WHERE code = ?"), arguments: [code]) == nil else {
                throw StoreError.conflict(.tubeExists(tube: code))
            }
            if let open = try String.fetchOne(
                db.cachedStatement(sql: "SELECT code FROM tube WHERE site_id = ? AND station_id = ? AND state = ?"),
                arguments: [site, station, TubeState.open])
            {
                throw StoreError.conflict(.stationHasOpenTube(station: station, tube: open))
            }
            let round = try Self.currentRound(db, site: site)
            try db.cachedStatement(
                sql: "INSERT INTO tube (code, site_id, round_id, station_id, mode, capacity, state, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [code, site, round.id, station, mode, mode.capacity, TubeState.open, now])
            try Self.recordCustody(db, subject: .tube, code: code, event: .opened, actor: actor, now: now)
            return try Self.tubeView(db, code: code)
        }
    }

    /// A tube the actor may touch: staff only see their own site's tubes.
    static func scopedTube(_ db: SQLSession, code: String, actor: Actor) throws -> CountedTube {
        guard let tube = try tubeRow(db, code: code), case let .staff(_, site) = actor, tube.tube.siteID == site else {
            if case .staff = actor { throw StoreError.notFound(kind: .tube, code: code) }
            throw StoreError.forbidden("This needs a staff token of the tube's site.")
        }
        return tube
    }

    /// Seals a tube; one with fewer people than its mode allows is flagged
    /// partly filled. Anyone called to the station but not swabbed goes back
    /// to waiting, keeping their place.
    public func sealTube(_ code: String, by actor: Actor) async throws -> TubeView {
        try Self.requireCode(code, field: "tube")
        return try await write { db, now in
            let row = try Self.scopedTube(db, code: code, actor: actor)
            let tube = row.view
            if tube.state.isReached(by: .sealed) { return tube }  // a resent seal: the tube as it is, no change
            _ = try StoreError.checking { try tube.state.applying(.sealed) }
            guard tube.filled > 0 else {
                throw StoreError.conflict(.emptyTube(tube: code))
            }
            try db.cachedStatement(
                sql: "UPDATE tube SET state = ?, partial = ? WHERE code = ?").execute(arguments: [TubeState.sealed, tube.filled < tube.capacity, code])
            try Self.recordCustody(db, subject: .tube, code: code, event: .sealed, actor: actor, now: now, tubeCount: tube.filled)
            try Self.releaseCalled(db, round: row.tube.roundID, site: tube.site, station: tube.station)
            let sealed = try Self.tubeView(db, code: code)
            try Self.enqueueCallback(db, event: .tubeSealed, orderingKey: "tube:\(code)", now: now) { sealed }
            return sealed
        }
    }

    /// Sends everyone called to a station but not swabbed back to waiting,
    /// keeping their place: the station's tube is closed (sealed or lost).
    static func releaseCalled(_ db: SQLSession, round: Int64, site: String, station: String) throws {
        try db.cachedStatement(
            sql: "UPDATE ticket SET status = ?, station_id = NULL WHERE round_id = ? AND site_id = ? AND station_id = ? AND status = ?"
        ).execute(arguments: [TicketStatus.waiting, round, site, station, TicketStatus.called])
    }
}
