import GRDB
import SwablineCore

/// How long a site's samples took this round: from the swab to the lab's
/// receipt, and from receipt to the result. Read from the chain of custody,
/// whose times are all this server's clock (a lab's own `tested_at` may be
/// on another clock, so it is not used here).
public struct TurnaroundReport: Sendable, Equatable {
    public var site: String
    public var round: String
    /// Seconds from each swab to its tube's receipt at the lab, one per sample received.
    public var sampleToReceipt: Turnaround
    /// Seconds from each tube's receipt to its result, one per tube resulted.
    public var receiptToResult: Turnaround
    /// Samples taken and not yet received by a lab.
    public var awaitingReceipt: Int
    /// Tubes received and not yet resulted.
    public var awaitingResult: Int
}

extension Store {
    /// The turnaround of a site's samples in the current round, for staff of
    /// the site and coordinators.
    public func turnaround(site: String, round: Int64? = nil, by actor: Actor) async throws -> TurnaroundReport {
        try await readSiteRound(site, round: round, by: actor) { db, round in
            // Tubes get their own `received` and `resulted` events when their box is received
            // and when their result is applied; each happens once per tube. A lost tube never
            // arrives, so its samples are not awaited (its people are on the retest list).
            let rows = try TurnaroundRow.fetchAll(
                db.cachedStatement(sql: """
                    SELECT t.code, s.sampled_at, r.at AS received_at, x.at AS resulted_at
                    FROM sample s JOIN tube t ON t.code = s.tube_code
                    LEFT JOIN custody_event r ON r.subject = :tube AND r.code = t.code AND r.event = :received
                    LEFT JOIN custody_event x ON x.subject = :tube AND x.code = t.code AND x.event = :resulted
                    WHERE t.site_id = :site AND t.round_id = :round AND t.state <> :lost
                    """),
                arguments: [
                    "site": site, "round": round.id, "tube": CustodySubject.tube, "received": CustodyEvent.received,
                    "resulted": CustodyEvent.resulted, "lost": TubeState.lost,
                ])
            var toReceipt: [Double] = [], toResult: [String: Double] = [:], awaitingResult: Set<String> = []
            var awaitingReceipt = 0
            for row in rows {
                guard let received = row.toReceipt else {
                    awaitingReceipt += 1
                    continue
                }
                toReceipt.append(received)
                if let resulted = row.toResult { toResult[row.tube] = resulted } else { awaitingResult.insert(row.tube) }
            }
            return TurnaroundReport(
                site: site, round: round.name, sampleToReceipt: Turnaround(toReceipt), receiptToResult: Turnaround(Array(toResult.values)),
                awaitingReceipt: awaitingReceipt, awaitingResult: awaitingResult.count)
        }
    }
}
