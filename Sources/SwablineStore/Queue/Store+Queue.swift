import GRDB
import SwablineCore

extension Store {
    /// Signs a resident in at the gate (签到) and gives them a ticket.
    ///
    /// A resident already checked in this round gets their own ticket back
    /// (rule 3). An unknown code is refused unless walk-in fields come with
    /// it; then the resident is registered, joining their household by
    /// address. `priority` puts the resident in the priority lane by staff
    /// choice even when the roster does not.
    public func checkIn(
        site: String, code: String, walkIn: WalkIn?, priority: Bool, triage: Triage? = nil, by actor: Actor
    ) async throws -> CheckInResult {
        try Self.requireStaff(actor, site: site)
        try Self.requireCode(code, field: "resident_code")
        if let why = triage?.temperatureC.flatMap(Triage.problem(temperature:)) { throw StoreError.invalid(field: "temperature_c", why: why) }
        return try await write { db, now in
            let round = try self.currentRound(db, ofSite: site)
            var registered = false
            var found = try Self.residentRow(db, code: code)
            if found == nil, let walkIn {
                found = try Self.registerWalkIn(db, site: site, code: code, walkIn: walkIn, priority: priority, now: now)
                registered = true
            }
            // Unknown, or another site's resident: not this staff member's to see (rule 7).
            guard let found, found.resident.siteID == site else { throw StoreError.notFound(kind: .resident, code: code) }
            let resident = found.resident
            let before = try RoundVisit.fetchOne(db.cachedStatement(sql: RoundVisit.sql), arguments: RoundVisit.arguments(round.id, resident.id))!
            if let ticket = before.ticket {
                try Self.requeueForResample(db, round: round.id, resident: resident.id, ticket: ticket, by: actor, now: now)
                if let triage { try Self.recordTriage(db, triage, ticket: ticket, resident: resident.id, by: actor, now: now) }
                return CheckInResult(ticket: try Self.ticketView(db, id: ticket), resident: found.view, repeated: true, registered: false)
            }
            // Rule 3: someone already swabbed this round (outside a retest) gets no new ticket.
            if let tube = before.sampledTube { throw StoreError.rule(.alreadySampled(resident: resident.code, tube: tube)) }
            if registered { try Self.audit(db, .registered, by: actor, resident: resident.id, detail: "walk-in", now: now) }
            let issued = try Self.issueTicket(
                db, round: round.id, site: site, resident: resident.id, priority: priority || resident.priority, by: actor, now: now)
            if let triage {
                try Self.recordTriage(db, triage, ticket: issued.id, resident: resident.id, by: actor, now: now)
                return CheckInResult(ticket: try Self.ticketView(db, id: issued.id), resident: found.view, repeated: false, registered: registered)
            }
            // Everything the new ticket's view shows is known here but its place in the queue.
            let view = TicketView(
                number: issued.number, label: Self.ticketLabel(number: issued.number, lane: issued.lane), lane: issued.lane,
                status: .waiting, position: try Self.waitingAhead(db, round: round.id, site: site, lane: issued.lane, ticket: issued.id),
                station: nil, checkedInAt: now, round: round.name, referred: false)
            return CheckInResult(ticket: view, resident: found.view, repeated: false, registered: registered)
        }
    }

    /// Back at the gate after an invalid sample whose result is in, or after
    /// a standing was raised since their sample (rule 9: a late result, a
    /// household member's positive): the resident's ticket waits again, for
    /// the resample or the single-tube retest.
    static func requeueForResample(_ db: SQLSession, round: Int64, resident: Int64, ticket: Int64, by actor: Actor, now: String) throws {
        let resample = try Bool.fetchOne(
            db.cachedStatement(sql: """
                SELECT 1 FROM outcome o WHERE o.round_id = ? AND o.resident_id = ? AND o.status = ?
                  AND o.decided_by_sample = (SELECT max(id) FROM sample s WHERE s.round_id = o.round_id AND s.resident_id = o.resident_id)
                """),
            arguments: [round, resident, Outcome.invalid]) ?? false
        guard try resample || standingState(db, resident: resident).retestDue(latestSingleTube: latestSingleTube(db, resident: resident))
        else { return }
        try db.cachedStatement(sql: "UPDATE ticket SET status = ?, station_id = NULL WHERE id = ? AND status = ?").execute(
            arguments: [TicketStatus.waiting, ticket, TicketStatus.sampled])
        if db.changesCount > 0 {
            try audit(
                db, .requeued, by: actor, resident: resident,
                detail: resample ? "to resample an invalid result" : "for a single-tube retest: not cleared since their sample", now: now)
        }
    }

    /// Gives a resident the next ticket of the site's queue this round and
    /// audits the check-in: the gate's path, and the station's "check in
    /// and sample" for someone who skipped the gate. The number is taken in
    /// the INSERT itself (one statement; the writer, or on PostgreSQL the
    /// nodes' turn, keeps two check-ins from taking the same one).
    static func issueTicket(
        _ db: SQLSession, round: Int64, site: String, resident: Int64, priority: Bool, by actor: Actor, now: String, where place: String? = nil
    ) throws -> IssuedTicket {
        let lane: Lane = priority ? .priority : .normal
        let issued = try IssuedTicket.fetchOne(
            db.cachedStatement(
                sql: """
                    INSERT INTO ticket (round_id, site_id, resident_id, number, lane, status, checked_in_at)
                    SELECT ?, ?, ?, coalesce(max(number), 0) + 1, ?, ?, ? FROM ticket WHERE round_id = ? AND site_id = ?
                    RETURNING id, number, lane
                    """),
            arguments: [round, site, resident, lane, TicketStatus.waiting, now, round, site])!
        try Self.audit(
            db, .checkedIn, by: actor, resident: resident,
            detail: "ticket \(ticketLabel(number: issued.number, lane: lane))" + (place.map { ", \($0)" } ?? ""), now: now)
        return issued
    }
}

/// A ticket just issued: its id, number and lane.
struct IssuedTicket: RowDecodable, Sendable {
    var id: Int64
    var number: Int
    var lane: Lane

    init(row: SQLRow) throws {
        id = try row.decode(atIndex: 0)
        number = try row.decode(atIndex: 1)
        lane = try row.decode(atIndex: 2)
    }
}

/// What a resident already has this round, read in one statement at the
/// gate: their ticket, and the tube they were swabbed into outside a retest.
struct RoundVisit: RowDecodable, Sendable {
    var ticket: Int64?
    var sampledTube: String?

    static let sql = """
        SELECT (SELECT id FROM ticket WHERE round_id = ? AND resident_id = ?),
          (SELECT tube_code FROM sample WHERE round_id = ? AND resident_id = ? AND retest = 0 ORDER BY id LIMIT 1)
        """

    static func arguments(_ round: Int64, _ resident: Int64) -> SQLArguments { [round, resident, round, resident] }

    init(row: SQLRow) throws {
        ticket = try row.decode(atIndex: 0)
        sampledTube = try row.decode(atIndex: 1)
    }
}
