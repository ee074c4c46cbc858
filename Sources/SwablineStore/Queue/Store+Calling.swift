import GRDB
import SwablineCore

extension Store {
    /// Calls the next group to a station for its open tube. The core
    /// decides who (whole households, priority first, bounded overtaking);
    /// the store marks their tickets called.
    public func callNext(site: String, station: String, by actor: Actor) async throws -> CallResult {
        try Self.requireStaff(actor, site: site)
        return try await write { db, now in
            _ = try self.site(db, site)
            let tube = try Self.stationTube(db, site: site, station: station)
            let round = try Self.currentRound(db, site: site)
            // A resent call (or one made before the last group was swabbed) gets that group again.
            let pending = try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM ticket WHERE round_id = ? AND site_id = ? AND station_id = ? AND status = ? ORDER BY id"),
                arguments: [round.id, site, station, TicketStatus.called])
            let queue = try Self.waitingQueue(db, round: round.id, site: site)
            let decision: CallDecision
            if pending.isEmpty {
                let held = tube.mode.isPooled
                    ? try Self.householdsHeldElsewhere(db, round: round.id, site: site, station: station, tube: tube.code) : []
                decision = try StoreError.checking {
                    try QueueCaller.nextGroup(
                        queue: queue, mode: tube.mode, filled: tube.filled, policy: .standard(for: tube.mode), heldElsewhere: held)
                }
            } else {
                decision = CallDecision(
                    called: pending, overtaken: [:], singleTubeWaiting: queue.filter(\.singleTube).count, stillWaiting: queue.count)
            }
            let called = try Self.markCalled(db, decision, station: station, now: now)
            return CallResult(
                station: station, tube: tube, called: called, singleTubeWaiting: decision.singleTubeWaiting,
                stillWaiting: decision.stillWaiting)
        }
    }

    /// The open tube at a station: `station_not_found`, or `no_open_tube`.
    static func stationTube(_ db: SQLSession, site: String, station: String) throws -> TubeView {
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM station WHERE site_id = ? AND id = ?"), arguments: [site, station]) != nil
        else { throw StoreError.notFound(kind: .station, code: station) }
        guard let code = try String.fetchOne(
            db.cachedStatement(sql: "SELECT code FROM tube WHERE site_id = ? AND station_id = ? AND state = ?"),
            arguments: [site, station, TubeState.open])
        else {
            throw StoreError.conflict(.noOpenTube(station: station))
        }
        return try tubeView(db, code: code)
    }

    /// The tickets waiting at a site this round, in check-in order, as the caller weighs them.
    static func waitingQueue(_ db: SQLSession, round: Int64, site: String) throws -> [WaitingTicket] {
        try QueuedTicket.fetchAll(
            db.cachedStatement(sql: """
                SELECT t.id, t.lane, t.overtaken, r.household_id,
                  CASE WHEN r.single_tube = 1 OR t.referred = 1 OR coalesce(o.status, '') = ? OR \(notCleared("r")) THEN 1 ELSE 0 END AS single_tube
                FROM ticket t JOIN resident r ON r.id = t.resident_id
                LEFT JOIN outcome o ON o.round_id = t.round_id AND o.resident_id = t.resident_id
                WHERE t.round_id = ? AND t.site_id = ? AND t.status = ?
                ORDER BY t.id
                """),
            arguments: [Outcome.poolPositive, Standing.cleared, round, site, TicketStatus.waiting]
        ).map(\.waiting)
    }

    /// Writes the caller's decision: who was passed, and who is called to
    /// the station (a resent call keeps its first call time).
    static func markCalled(_ db: SQLSession, _ decision: CallDecision, station: String, now: String) throws -> [CalledPerson] {
        for (ticket, overtaken) in decision.overtaken {
            try db.cachedStatement(sql: "UPDATE ticket SET overtaken = ? WHERE id = ?").execute(arguments: [overtaken, ticket])
        }
        return try decision.called.map { ticket in
            try db.cachedStatement(
                sql: "UPDATE ticket SET status = ?, station_id = ?, called_at = coalesce(called_at, ?) WHERE id = ?").execute(
                arguments: [TicketStatus.called, station, now, ticket])
            return try CalledPersonRow.fetchOne(
                db.cachedStatement(sql: """
                    SELECT \(CalledPersonRow.columns) FROM ticket t
                    JOIN resident r ON r.id = t.resident_id JOIN household h ON h.id = r.household_id WHERE t.id = ?
                    """),
                arguments: [ticket])!.person
        }
    }

    /// Households another station holds (rule 2): members in another open
    /// pooled tube that has room, or called to another station and not yet
    /// swabbed. The caller leaves them to that station; scanning them here
    /// would be refused `household_in_other_tube`.
    static func householdsHeldElsewhere(_ db: SQLSession, round: Int64, site: String, station: String, tube: String) throws -> Set<Int64> {
        Set(try Int64.fetchAll(
            db.cachedStatement(sql: """
                SELECT r.household_id FROM station st
                JOIN tube t ON t.site_id = st.site_id AND t.station_id = st.id AND t.state = :open
                JOIN sample s ON s.tube_code = t.code JOIN resident r ON r.id = s.resident_id
                WHERE st.site_id = :site AND st.id <> :station AND t.code <> :tube AND t.round_id = :round AND t.mode <> :single
                  AND s.retest = 0
                  AND (SELECT count(*) FROM sample s2 WHERE s2.tube_code = t.code) < t.capacity
                UNION
                SELECT r.household_id FROM ticket k JOIN resident r ON r.id = k.resident_id
                WHERE k.round_id = :round AND k.site_id = :site AND k.status = :called AND k.station_id <> :station
                  AND r.single_tube = 0 AND k.referred = 0 AND NOT \(notCleared("r", named: "cleared"))
                """),
            arguments: [
                "round": round, "site": site, "tube": tube, "station": station,
                "open": TubeState.open, "single": TubeMode.single, "called": TicketStatus.called, "cleared": Standing.cleared,
            ]))
    }
}
