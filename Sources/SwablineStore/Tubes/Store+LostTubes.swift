import GRDB
import SwablineCore

extension Store {
    /// The longest reason kept for a lost tube.
    public static let lostReasonLimit = 500

    /// Reports a tube lost before it was boxed: dropped, broken, or a wrong
    /// barcode opened at a desk. Without this an open tube nobody can use
    /// holds its station for the rest of the day (a station has one open
    /// tube, and an empty tube cannot be sealed).
    ///
    /// The tube ends as `lost` in its chain of custody (rule 6) with the
    /// reason in the audit log. Its members' samples are as good as
    /// unreadable: each is due to be sampled again, exactly as after an
    /// `invalid` result (a pool-positive member's resample is still a single
    /// tube), with a `resident.outcome` callback saying the tube was lost.
    /// People called to the station but not yet swabbed go back to waiting.
    /// A tube already boxed travels with its box and is not reported here;
    /// a repeated report answers the tube as it is.
    ///
    /// Staff of the tube's site and the coordinator may report it.
    public func reportTubeLost(_ code: String, reason: String, by actor: Actor) async throws -> TubeView {
        try Self.requireCode(code, field: "tube")
        // Kept in the audit log, which masks any phone or ID number in it (rule 8).
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= Self.lostReasonLimit else {
            throw StoreError.invalid(field: "reason", why: "must say in 1 to \(Self.lostReasonLimit) characters what happened to the tube")
        }
        return try await write { db, now in
            let row: CountedTube
            if case .coordinator = actor {
                guard let found = try Self.tubeRow(db, code: code) else { throw StoreError.notFound(kind: .tube, code: code) }
                row = found
            } else {
                row = try Self.scopedTube(db, code: code, actor: actor)
            }
            let tube = row.view
            if tube.state == .lost { return tube }  // a resent report: the tube as it is
            guard tube.state == .open || tube.state == .sealed else {
                throw StoreError.conflict(.tubeAlreadyBoxed(tube: code, state: tube.state))
            }
            if tube.state == .open { try Self.releaseCalled(db, round: row.tube.roundID, site: tube.site, station: tube.station) }
            try Self.loseTube(db, row.tube, filled: tube.filled, actor: actor, reason: reason, now: now)
            return try Self.tubeView(db, code: code)
        }
    }

    /// Closes a tube as lost: the custody step and the audit line with the
    /// reason, its members' outcomes (sampled again) and the `tube.lost`
    /// callback, in the caller's transaction. Reported at a site, or found
    /// missing from its box at the lab.
    static func loseTube(_ db: SQLSession, _ tube: TubeRecord, filled: Int, actor: Actor, reason: String, now: String) throws {
        try db.cachedStatement(sql: "UPDATE tube SET state = ? WHERE code = ?").execute(arguments: [TubeState.lost, tube.code])
        try recordCustody(db, subject: .tube, code: tube.code, event: .lost, actor: actor, now: now, tubeCount: filled)
        try audit(db, .tubeLost, by: actor, tube: tube.code, detail: reason, now: now)
        try decideOutcomes(db, tube: tube.code, round: tube.roundID, mode: tube.mode, cause: .tubeLost, now: now)
        let lost = try tubeView(db, code: tube.code)
        try enqueueCallback(db, event: .tubeLost, orderingKey: "tube:\(tube.code)", now: now) { lost }
    }
}
