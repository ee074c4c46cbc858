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
            let siteRow = try self.site(db, site)
            let zone = Zone(rawValue: siteRow["zone"])!
            let mode = mode ?? TubeMode(rawValue: siteRow["pool_mode"])!
            guard zone.allows(mode) else { throw StoreError.rule(.modeNotAllowed(mode: mode, zone: zone)) }
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM station WHERE site_id = ? AND id = ?"), arguments: [site, station]) != nil
            else { throw StoreError.notFound(kind: "station", code: station) }
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM tube WHERE code = ?"), arguments: [code]) == nil else {
                throw StoreError.conflict(code: "tube_exists", message: "Tube \(code) was already used: every barcode is used once.")
            }
            if let open = try String.fetchOne(
                db.cachedStatement(sql: "SELECT code FROM tube WHERE site_id = ? AND station_id = ? AND state = 'open'"), arguments: [site, station])
            {
                throw StoreError.conflict(code: "station_has_open_tube",
                    message: "Station \(station) still has tube \(open) open: seal it before opening another.")
            }
            let round = try Self.currentRound(db)
            try db.cachedStatement(
                sql: "INSERT INTO tube (code, site_id, round_id, station_id, mode, state, opened_at) VALUES (?, ?, ?, ?, ?, 'open', ?)").execute(
                arguments: [code, site, round.id, station, mode.rawValue, now])
            try Self.recordCustody(db, subject: "tube", code: code, event: .opened, actor: actor, now: now)
            return try Self.tubeView(db, code: code)
        }
    }

    /// A tube the actor may touch: staff only see their own site's tubes.
    static func scopedTube(_ db: Database, code: String, actor: Actor) throws -> Row {
        guard let row = try tubeRow(db, code: code), case let .staff(_, site) = actor, row["site_id"] == site else {
            if case .staff = actor { throw StoreError.notFound(kind: "tube", code: code) }
            throw StoreError.forbidden("This needs a staff token of the tube's site.")
        }
        return row
    }

    /// Scans a resident into a tube. The core decides whether rules 1, 2, 3
    /// and 6 allow it; a second scan of the same person into the same tube
    /// gives back the same slot. Someone without a ticket this round is
    /// refused (`not_checked_in`) unless `checkIn` asks, explicitly, to
    /// check them in at the station first: ticket and sample are then
    /// written together or not at all, and rule 2 counts them as it counts
    /// anyone waiting.
    public func addSample(tube code: String, resident residentCode: String, checkIn: Bool = false, by actor: Actor) async throws -> SampleResult {
        try Self.requireCode(code, field: "tube")
        try Self.requireCode(residentCode, field: "resident_code")
        return try await write { db, now in
            let tubeRow = try Self.scopedTube(db, code: code, actor: actor)
            let tube = Self.tubeView(tubeRow)
            guard let resident = try Self.residentRow(db, code: residentCode) else {
                throw StoreError.notFound(kind: "resident", code: residentCode)
            }
            // Another site's resident is not this staff member's to see (rule 7).
            guard resident["site_id"] == tube.site else { throw StoreError.notFound(kind: "resident", code: residentCode) }
            let roundID: Int64 = tubeRow["round_id"]
            let residentID: Int64 = resident["id"], household: Int64 = resident["household_id"]
            var checkedIn = try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM ticket WHERE round_id = ? AND resident_id = ?"), arguments: [roundID, residentID]) ?? false
            var stationTicket: Int64?
            if !checkedIn, checkIn, tube.state == .open {
                stationTicket = try Self.issueTicket(
                    db, round: roundID, site: tube.site, resident: residentID, priority: resident["priority"], by: actor, now: now,
                    where: "at station \(tube.station)")
                checkedIn = true
            }
            let latest = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT id, tube_code, slot FROM sample WHERE round_id = ? AND resident_id = ? ORDER BY id DESC LIMIT 1"),
                arguments: [roundID, residentID])
            let outcomeRow = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT status, decided_by_sample FROM outcome WHERE round_id = ? AND resident_id = ?"),
                arguments: [roundID, residentID])
            let outcome = (outcomeRow?["status"] as String?).flatMap(Outcome.init(rawValue:))
            let latestDecided = latest.map { ($0["id"] as Int64) == (outcomeRow?["decided_by_sample"] as Int64?) } ?? false
            // Household members checked in and not yet sampled this round (pooled ones only).
            let waitingOthers = try Int.fetchOne(
                db.cachedStatement(sql: """
                    SELECT count(*) FROM ticket t JOIN resident r ON r.id = t.resident_id
                    WHERE t.round_id = ? AND r.household_id = ? AND t.status IN ('waiting', 'called') AND r.id <> ?
                      AND NOT r.single_tube
                      AND NOT EXISTS (SELECT 1 FROM sample s WHERE s.round_id = t.round_id AND s.resident_id = r.id)
                    """),
                arguments: [roundID, household, residentID])!
            let inThisTube = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) FROM sample s JOIN resident r ON r.id = s.resident_id WHERE s.tube_code = ? AND r.household_id = ?"),
                arguments: [code, household])!
            let elsewhere = try String.fetchOne(
                db.cachedStatement(sql: """
                    SELECT t.code FROM tube t
                    WHERE t.state = 'open' AND t.code <> ? AND t.round_id = ? AND t.mode <> 'single'
                      AND EXISTS (SELECT 1 FROM sample s JOIN resident r ON r.id = s.resident_id
                                  WHERE s.tube_code = t.code AND r.household_id = ? AND s.retest = 0)
                      AND (SELECT count(*) FROM sample s WHERE s.tube_code = t.code) <
                          CASE t.mode WHEN 'pooled5' THEN 5 WHEN 'pooled10' THEN 10 WHEN 'pooled20' THEN 20 ELSE 1 END
                    LIMIT 1
                    """),
                arguments: [code, roundID, household])
            // Members still to come of households already in this tube: their places are taken.
            let owed = try Int.fetchOne(
                db.cachedStatement(sql: """
                    SELECT count(*) FROM ticket t JOIN resident r ON r.id = t.resident_id
                    WHERE t.round_id = ? AND t.status IN ('waiting', 'called') AND NOT r.single_tube AND r.household_id <> ?
                      AND r.household_id IN (SELECT r2.household_id FROM sample s JOIN resident r2 ON r2.id = s.resident_id
                                             WHERE s.tube_code = ? AND s.retest = 0)
                      AND NOT EXISTS (SELECT 1 FROM sample s WHERE s.round_id = t.round_id AND s.resident_id = r.id)
                    """),
                arguments: [roundID, household, code])!
            let request = SampleRequest(
                tube: .init(code: code, mode: tube.mode, state: tube.state, filled: tube.filled), resident: residentCode,
                checkedIn: checkedIn, singleTube: resident["single_tube"], outcome: outcome, latestSampleTube: latest?["tube_code"],
                latestSampleDecided: latestDecided, householdWaiting: waitingOthers + 1, householdInThisTube: inThisTube,
                householdOpenTubeElsewhere: elsewhere, placesOwed: owed)
            let admission: SampleAdmission
            admission = try StoreError.checking { try SampleAdmission.decide(request) }
            if admission == .alreadyInThisTube, let latest {
                return SampleResult(tube: tube, slot: latest["slot"], residentCode: residentCode, retest: false, repeated: true, ticket: nil)
            }
            let slot = tube.filled + 1
            try db.cachedStatement(
                sql: "INSERT INTO sample (round_id, resident_id, tube_code, slot, retest, sampled_at) VALUES (?, ?, ?, ?, ?, ?)").execute(
                arguments: [roundID, residentID, code, slot, admission == .retest, now])
            try Self.audit(
                db, .sampled, by: actor, resident: residentID, tube: code, detail: "slot \(slot)" + (admission == .retest ? ", retest" : ""),
                now: now)
            try db.cachedStatement(
                sql: "UPDATE ticket SET status = 'sampled', station_id = ? WHERE round_id = ? AND resident_id = ?").execute(
                arguments: [tube.station, roundID, residentID])
            try db.cachedStatement(
                sql: """
                    INSERT INTO outcome (round_id, resident_id, status, updated_at) VALUES (?, ?, 'pending', ?)
                    ON CONFLICT DO NOTHING
                    """).execute(
                arguments: [roundID, residentID, now])
            return SampleResult(
                tube: try Self.tubeView(db, code: code), slot: slot, residentCode: residentCode,
                retest: admission == .retest, repeated: false, ticket: try stationTicket.map { try Self.ticketView(db, id: $0) })
        }
    }

    /// Seals a tube; one with fewer people than its mode allows is flagged
    /// partly filled. Anyone called to the station but not swabbed goes back
    /// to waiting, keeping their place.
    public func sealTube(_ code: String, by actor: Actor) async throws -> TubeView {
        try Self.requireCode(code, field: "tube")
        return try await write { db, now in
            let row = try Self.scopedTube(db, code: code, actor: actor)
            let tube = Self.tubeView(row)
            if tube.state.isReached(by: .sealed) { return tube }  // a resent seal: the tube as it is, no change
            _ = try StoreError.checking { try tube.state.applying(.sealed) }
            guard tube.filled > 0 else {
                throw StoreError.conflict(code: "empty_tube", message: "Tube \(code) holds nobody yet: there is nothing to seal.")
            }
            try db.cachedStatement(
                sql: "UPDATE tube SET state = 'sealed', partial = ? WHERE code = ?").execute( arguments: [tube.filled < tube.capacity, code])
            try Self.recordCustody(db, subject: "tube", code: code, event: .sealed, actor: actor, now: now, tubeCount: tube.filled)
            try Self.releaseCalled(db, round: row["round_id"], site: tube.site, station: tube.station)
            let sealed = try Self.tubeView(db, code: code)
            try Self.enqueueCallback(db, event: .tubeSealed, orderingKey: "tube:\(code)", now: now) { sealed }
            return sealed
        }
    }

    /// Sends everyone called to a station but not swabbed back to waiting,
    /// keeping their place: the station's tube is closed (sealed or lost).
    static func releaseCalled(_ db: Database, round: Int64, site: String, station: String) throws {
        try db.cachedStatement(
            sql: "UPDATE ticket SET status = 'waiting', station_id = NULL WHERE round_id = ? AND site_id = ? AND station_id = ? AND status = 'called'"
        ).execute(arguments: [round, site, station])
    }
}
