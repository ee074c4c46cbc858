import GRDB
import SwablineCore

extension Store {
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
            let tube = try Self.scopedTube(db, code: code, actor: actor)
            guard let resident = try Self.residentRow(db, code: residentCode)?.resident,
                // Another site's resident is not this staff member's to see (rule 7).
                resident.siteID == tube.tube.siteID
            else { throw StoreError.notFound(kind: .resident, code: residentCode) }
            let ticket = try Self.ticketAtStation(db, tube: tube, resident: resident, asked: checkIn, by: actor, now: now)
            let latest = try SampleRecord.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM sample WHERE round_id = ? AND resident_id = ? ORDER BY id DESC LIMIT 1"),
                arguments: [tube.tube.roundID, resident.id])
            let request = try Self.sampleRequest(db, tube: tube, resident: resident, checkedIn: ticket.checkedIn, latest: latest)
            let admission = try StoreError.checking { try SampleAdmission.decide(request) }
            if admission == .alreadyInThisTube, let latest {
                return SampleResult(tube: tube.view, slot: latest.slot, residentCode: residentCode, retest: false, repeated: true, ticket: nil)
            }
            let slot = try Self.recordSample(db, tube: tube, resident: resident, retest: admission == .retest, by: actor, now: now)
            return SampleResult(
                tube: try Self.tubeView(db, code: code), slot: slot, residentCode: residentCode,
                retest: admission == .retest, repeated: false, ticket: try ticket.issued.map { try Self.ticketView(db, id: $0) })
        }
    }

    /// Whether the resident holds a ticket this round; one who does not
    /// gets one here when the scan asked to check them in at the station
    /// (and the tube is open), audited as a check-in there.
    static func ticketAtStation(
        _ db: SQLSession, tube: CountedTube, resident: ResidentRecord, asked: Bool, by actor: Actor, now: String
    ) throws -> (checkedIn: Bool, issued: Int64?) {
        let checkedIn = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM ticket WHERE round_id = ? AND resident_id = ?"),
            arguments: [tube.tube.roundID, resident.id]) ?? false
        guard !checkedIn, asked, tube.tube.state == .open else { return (checkedIn, nil) }
        let issued = try issueTicket(
            db, round: tube.tube.roundID, site: tube.tube.siteID, resident: resident.id, priority: resident.priority, by: actor,
            now: now, where: "at station \(tube.tube.stationID)")
        return (true, issued.id)
    }

    /// The facts the core's `SampleAdmission` decides on: the tube, the
    /// resident's outcome and latest sample, and their household's (rule 2).
    static func sampleRequest(
        _ db: SQLSession, tube: CountedTube, resident: ResidentRecord, checkedIn: Bool, latest: SampleRecord?
    ) throws -> SampleRequest {
        let outcome = try OutcomeRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM outcome WHERE round_id = ? AND resident_id = ?"),
            arguments: [tube.tube.roundID, resident.id])
        let household = try householdFacts(db, tube: tube.tube, resident: resident)
        let standing = try standingState(db, resident: resident.id)
        return SampleRequest(
            tube: .init(code: tube.tube.code, mode: tube.tube.mode, state: tube.tube.state, filled: tube.filled),
            resident: resident.code, checkedIn: checkedIn, singleTube: try resident.singleTube || referred(db, round: tube.tube.roundID, resident: resident.id), outcome: outcome?.status,
            latestSampleTube: latest?.tubeCode, latestSampleDecided: latest.map { $0.id == outcome?.decidedBySample } ?? false,
            householdWaiting: household.waitingOthers + 1, householdInThisTube: household.inThisTube,
            householdOpenTubeElsewhere: household.elsewhere, placesOwed: household.owed,
            standing: standing.standing,
            standingRetestDue: try latest != nil && standing.retestDue(latestSingleTube: latestSingleTube(db, resident: resident.id)))
    }

    /// Writes the sample into the next slot, marks the ticket sampled and
    /// the outcome pending (if none yet), and audits it. Returns the slot.
    static func recordSample(
        _ db: SQLSession, tube: CountedTube, resident: ResidentRecord, retest: Bool, by actor: Actor, now: String
    ) throws -> Int {
        let slot = tube.filled + 1, round = tube.tube.roundID
        try db.cachedStatement(
            sql: "INSERT INTO sample (round_id, resident_id, tube_code, slot, retest, sampled_at) VALUES (?, ?, ?, ?, ?, ?)").execute(
            arguments: [round, resident.id, tube.tube.code, slot, retest, now])
        try audit(db, .sampled, by: actor, resident: resident.id, tube: tube.tube.code, detail: "slot \(slot)" + (retest ? ", retest" : ""), now: now)
        try db.cachedStatement(
            sql: "UPDATE ticket SET status = ?, station_id = ? WHERE round_id = ? AND resident_id = ?").execute(
            arguments: [TicketStatus.sampled, tube.tube.stationID, round, resident.id])
        try db.cachedStatement(
            sql: """
                INSERT INTO outcome (round_id, resident_id, status, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """).execute(
            arguments: [round, resident.id, Outcome.pending, now])
        return slot
    }
}
