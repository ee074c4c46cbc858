import Crypto
import Foundation
import GRDB
import Metrics
import SwablineCore

/// One tube result as a lab posts it.
public struct PostedResult: Sendable, Equatable {
    public var tube: String
    public var result: TubeResult
    public var testedAt: String
    public var ct: Double?
    /// The lab's own code for the result, when its message was coded (a
    /// SNOMED CT code in HL7 or FHIR): kept with the tube, so a code
    /// Swabline does not know, read as `invalid`, can be looked up later.
    public var code: String?

    public init(tube: String, result: TubeResult, testedAt: String, ct: Double?, code: String? = nil) {
        self.tube = tube
        self.result = result
        self.testedAt = testedAt
        self.ct = ct
        self.code = code
    }
}

/// A lab refusing to test one tube it received.
public struct PostedRejection: Sendable, Equatable {
    public var tube: String
    public var reason: TubeRejection
    /// What the lab saw, in its own words; kept in the audit log (masked, rule 8).
    public var note: String?

    public init(tube: String, reason: TubeRejection, note: String? = nil) {
        self.tube = tube
        self.reason = reason
        self.note = note
    }
}

/// What a lab delivers, whatever language it speaks (a signed webhook,
/// HL7 v2, FHIR, CSV): every one of them becomes one of these, and the
/// same code decides what it changes.
public enum LabEvent: Sendable, Equatable {
    /// The lab confirms it received a box and counted its tubes.
    case boxReceived(box: String, tubeCount: Int)
    /// The lab received a box and scanned the tubes in it: any tube packed
    /// but not listed is lost in transit (its members are sampled again);
    /// the rest of the box proceeds.
    case boxReceivedTubes(box: String, tubes: [String])
    /// Results for tubes, applied all in one transaction.
    case tubeResults([PostedResult])
    /// Tubes the lab received but will not test.
    case tubesRejected([PostedRejection])
}

extension LabEvent {
    /// SHA-256 (hex) of what the delivery says, field by field, as
    /// validated: the same message resent gives the same digest whatever
    /// its JSON spacing or key order; any other result, tube, time or
    /// count gives another.
    public var digest: String {
        var text: String
        switch self {
        case let .boxReceived(box, tubeCount): text = "box.received\n\(box)\t\(tubeCount)"
        case let .boxReceivedTubes(box, tubes): text = "box.received\n\(box)\t" + tubes.sorted().joined(separator: "\t")
        case let .tubesRejected(rejections):
            text = "tube.rejected"
            for rejection in rejections {
                text += "\n\(rejection.tube)\t\(rejection.reason.rawValue)\t\(rejection.note ?? "-")"
            }
        case let .tubeResults(results):
            text = "tube.results"
            for posted in results {
                text += "\n\(posted.tube)\t\(posted.result.rawValue)\t\(posted.testedAt)\t\(posted.ct.map { "\($0)" } ?? "-")"
                if let code = posted.code { text += "\t\(code)" }
            }
        }
        return Hex.string(SHA256.hash(data: Data(text.utf8)))
    }
}

/// The answer to one lab delivery. It is stored with the delivery, so a
/// redelivery of the same webhook-id gets exactly the same answer.
public struct LabDeliveryAnswer: Sendable, Codable, Equatable {
    public struct Fate: Sendable, Codable, Equatable {
        public var tube: String
        public var fate: ResultFate
    }

    public var type: String
    public var box: BoxView?
    /// The fate of each result, or of each rejection.
    public var results: [Fate]?
    public var counts: [String: Int]?
}

extension Store {
    /// Applies one verified lab delivery exactly once.
    ///
    /// A `webhook-id` seen before returns the answer given the first time
    /// and changes nothing; a delivery that fails (a box not handed over,
    /// say) leaves no trace, so the lab can send it again once it is fixed.
    /// Returns the stored answer's JSON and whether it is a redelivery.
    /// The delivery's digest (`LabEvent.digest`) is stored with it and
    /// tells a redelivery from a different message under a reused id: a lab
    /// whose message counter restarted would otherwise have its new results
    /// answered with the old ones and dropped (409 `webhook_id_reused`).
    public func receiveLabDelivery(lab: String, webhookID: String, event: LabEvent) async throws -> (body: Data, replayed: Bool) {
        try await receiveLabDelivery(lab: lab, webhookID: webhookID, event: event) { try WireFormat.encoder().encode($0) }
    }

    /// Applies one lab delivery exactly once and stores the answer `reply`
    /// writes for it (JSON for a webhook, an ACK for HL7 v2, a FHIR
    /// Bundle): the same answer goes back to a resent delivery whatever
    /// language it came in, and the answer is written in the same
    /// transaction as what it acknowledges. A `whole` delivery (a FHIR
    /// transaction) is applied only if every result in it can be: one
    /// unknown or not yet received tube and nothing is (409
    /// `result_not_applicable`). A `tested_at` that cannot be true refuses
    /// a JSON webhook's whole delivery, as its lab has always been told; a
    /// language whose answer speaks per tube (an HL7 ACK's ERR, a FHIR
    /// batch entry, a CSV row) passes `timesRefuseDelivery: false` and
    /// gets that result alone refused (`tested_at_out_of_range`), so one
    /// instrument's clock does not hold back a box.
    public func receiveLabDelivery(
        lab: String, webhookID: String, event: LabEvent, whole: Bool = false, timesRefuseDelivery: Bool = true,
        reply: @escaping @Sendable (LabDeliveryAnswer) throws -> Data
    ) async throws -> (body: Data, replayed: Bool) {
        let actor = Actor.lab(id: lab)
        let bodyDigest = event.digest
        let (body, replayed, ages) = try await write { db, now -> (Data, Bool, [Double]) in
            if let stored = try WebhookDeliveryRecord.fetchOne(
                db.cachedStatement(sql: "SELECT response, body_sha256 FROM webhook_delivery WHERE lab_id = ? AND webhook_id = ?"),
                arguments: [lab, webhookID])
            {
                // Deliveries stored before the digest was kept (NULL) are answered as before.
                if let digest = stored.bodySHA256, digest != bodyDigest {
                    throw StoreError.conflict(.webhookIDReused(webhookID: webhookID))
                }
                return (stored.response, true, [])
            }
            let answer: LabDeliveryAnswer
            var ages: [Double] = []
            switch event {
            case let .boxReceivedTubes(box, tubes):
                ages = try Self.receiveBox(db, box, tubes: tubes, lab: lab, now: now)
                answer = LabDeliveryAnswer(type: "box.received", box: try Self.boxView(db, code: box))
            case let .tubesRejected(rejections):
                var fates: [LabDeliveryAnswer.Fate] = []
                for rejection in rejections {
                    fates.append(.init(tube: rejection.tube, fate: try Self.rejectTube(db, rejection, lab: lab, now: now)))
                }
                let counts = Dictionary(grouping: fates, by: \.fate.rawValue).mapValues(\.count)
                answer = LabDeliveryAnswer(type: "tube.rejected", results: fates, counts: counts)
            case let .boxReceived(box, tubeCount):
                let state = try Self.scopedBox(db, code: box, actor: actor).state
                // Tubes lost at an earlier, listed receipt are not in the box any more.
                let count = try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT count(*) FROM tube WHERE box_code = ? AND state != 'lost'"), arguments: [box])!
                // A resent receipt is answered as the first, but only if it counts the same tubes.
                if state == .handedOver || state == .received, count != tubeCount {
                    throw StoreError.rule(.tubeCountMismatch(expected: count, reported: tubeCount))
                }
                if state == .handedOver { ages = try Self.sampleAges(db, box: box, now: now) }
                try Self.advanceBox(db, code: box, from: state, to: .received, actor: actor, toActor: actor.label, now: now, tubeCount: count)
                answer = LabDeliveryAnswer(type: "box.received", box: try Self.boxView(db, code: box))
            case let .tubeResults(results):
                var fates: [LabDeliveryAnswer.Fate] = []
                let subscribers = Subscribers()
                let reads = try DeliveryReads(db, tubes: results.map(\.tube), lab: lab)
                let received = Timestamp.date(now)
                for posted in results {
                    let fate: ResultFate
                    do {
                        let tube = try reads.tube(db, posted.tube, lab: lab)
                        try Self.checkTestedAt(posted, firstSwab: tube?.firstSampledAt, received: received)
                        fate = try Self.applyResult(
                            db, posted, to: tube?.tube, lab: lab, webhookID: webhookID, now: now, subscribers: subscribers, reads: reads)
                    } catch StoreError.rule(.testedAtOutOfRange) where !timesRefuseDelivery {
                        fate = .testedAtOutOfRange
                    }
                    fates.append(.init(tube: posted.tube, fate: fate))
                    if whole, fate != .applied, fate != .duplicate {
                        throw StoreError.rule(.resultNotApplicable(tube: posted.tube, fate: fate))
                    }
                }
                let counts = Dictionary(grouping: fates, by: \.fate.rawValue).mapValues(\.count)
                answer = LabDeliveryAnswer(type: "tube.results", results: fates, counts: counts)
            }
            let body = try reply(answer)
            try db.cachedStatement(
                sql: "INSERT INTO webhook_delivery (lab_id, webhook_id, received_at, status, response, body_sha256) VALUES (?, ?, ?, 200, ?, ?)"
            ).execute(arguments: [lab, webhookID, now, body, bodyDigest])
            return (body, false, ages)
        }
        for age in ages { Self.sampleAgeAtLab.record(age) }
        return (body, replayed)
    }

    /// Seconds from each tube's first swab to the lab's receipt (`/metrics`):
    /// past four hours a sample may no longer be reliable.
    static let sampleAgeAtLab = Recorder(label: "swabline_sample_age_at_lab_seconds", aggregate: true)

    /// The age of each tube of a box at `now`, by its earliest sample.
    static func sampleAges(_ db: SQLSession, box: String, now: String) throws -> [Double] {
        guard let received = Timestamp.date(now) else { return [] }
        return try String.fetchAll(
            db.cachedStatement(sql: """
                SELECT min(s.sampled_at) FROM sample s JOIN tube t ON t.code = s.tube_code WHERE t.box_code = ? GROUP BY t.code
                """), arguments: [box]
        ).compactMap { Timestamp.date($0).map { max(0, received.timeIntervalSince($0)) } }
    }

    /// Refuses a `tested_at` that cannot be true: in the future, or before
    /// the tube's first swab (`firstSwab`, nil for a tube this lab was never
    /// sent), past the allowed clock skew. `received` is the delivery's
    /// time, read once for all its tubes.
    static func checkTestedAt(_ posted: PostedResult, firstSwab: String?, received: Date?) throws {
        guard let testedAt = Timestamp.date(posted.testedAt), let received else { return }
        if let problem = ResultMatching.testedAtProblem(
            tube: posted.tube, testedAt: testedAt, firstSampledAt: firstSwab.flatMap(Timestamp.date), now: received)
        {
            throw StoreError.rule(problem)
        }
    }

    /// A tube shipped to this lab with its first swab's time, or nil:
    /// another lab's tube is unknown to it (rule 7), and does not say when it
    /// was sampled either.
    static func labTube(_ db: SQLSession, _ code: String, lab: String) throws -> LabTubeRow? {
        try LabTubeRow.fetchOne(db.cachedStatement(sql: labTubeSQL + " AND t.code = ?"), arguments: [lab, code])
    }

    /// A lab's tube (`LabTubeRow`), bound to the lab; the caller adds which.
    static let labTubeSQL = """
        SELECT t.*, (SELECT min(s.sampled_at) FROM sample s WHERE s.tube_code = t.code) AS first_sampled_at \(labTubesFrom)
        """

    /// A lab's tubes, bound to the lab.
    static let labTubesFrom = "FROM tube t JOIN box b ON b.code = t.box_code WHERE b.lab_id = ?"

    /// Applies one tube's result to `tube` (the lab's tube by that code, or
    /// nil) (rule 4: exactly once; a conflicting one is kept as an anomaly,
    /// never overwrites) and updates its members' outcomes.
    static func applyResult(
        _ db: SQLSession, _ posted: PostedResult, to tube: TubeRecord?, lab: String, webhookID: String, now: String,
        subscribers: Subscribers, reads: DeliveryReads
    ) throws -> ResultFate {
        let recorded = tube?.result
        let fate = ResultMatching.fate(of: posted.result, state: tube?.state, recorded: recorded)
        switch fate {
        case .applied:
            guard let tube else { return fate }
            try db.cachedStatement(
                sql: "UPDATE tube SET state = ?, result = ?, ct = ?, tested_at = ?, result_code = ? WHERE code = ?").execute(
                arguments: [TubeState.resulted, posted.result, posted.ct, posted.testedAt, posted.code, posted.tube])
            try recordCustody(db, subject: .tube, code: posted.tube, event: .resulted, actor: .lab(id: lab), now: now)
            let written = try decideOutcomes(
                db, tube: posted.tube, round: tube.roundID, mode: tube.mode,
                cause: .labResult(posted.result, testedAt: posted.testedAt), now: now, subscribers: subscribers,
                members: reads.members(of: posted.tube))
            reads.wrote(written)
            try enqueueCallback(
                db, event: .tubeResulted, subscribers: try subscribers.of(.tubeResulted, db), orderingKey: "tube:\(posted.tube)", now: now
            ) {
                try tubeView(db, code: posted.tube)
            }
        case .anomaly:
            try db.cachedStatement(
                sql: """
                    INSERT INTO anomaly (tube_code, lab_id, recorded_result, posted_result, webhook_id, at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """).execute(
                arguments: [posted.tube, lab, recorded!, posted.result, webhookID, now])
        case .duplicate, .unknownTube, .notReceived, .rejected, .alreadyResulted, .testedAtOutOfRange:
            break
        }
        return fate
    }
}

extension Store {
    /// A listed receipt (`LabEvent.boxReceivedTubes`): the tubes packed but
    /// not listed were lost on the way and are closed as lost, their
    /// members due to be sampled again with a `tube.lost` callback; the
    /// listed ones are received and their results can come in. A tube
    /// listed that was never packed into the box refuses the receipt
    /// (a scanning slip), and a resent receipt must list the same tubes.
    /// Returns the sample ages of the received tubes (`sampleAgeAtLab`).
    static func receiveBox(_ db: SQLSession, _ box: String, tubes: [String], lab: String, now: String) throws -> [Double] {
        let actor = Actor.lab(id: lab)
        let record = try scopedBox(db, code: box, actor: actor)
        let packed = try TubeRecord.fetchAll(db.cachedStatement(sql: "SELECT * FROM tube WHERE box_code = ? ORDER BY code"), arguments: [box])
        let packedCodes = Set(packed.map(\.code))
        if let stranger = tubes.first(where: { !packedCodes.contains($0) }) {
            throw StoreError.rule(.tubeNotInBox(tube: stranger, box: box))
        }
        let listed = Set(tubes)
        if record.state == .received {
            guard Set(packed.filter { $0.state != .lost }.map(\.code)) == listed else { throw StoreError.rule(.receiptDiffers(box: box)) }
            return []
        }
        // Anything but a handed-over box is refused as a skipped step, before a tube is touched.
        _ = try StoreError.checking { try record.state.applying(.received) }
        let ages = try sampleAges(db, box: box, now: now)
        for tube in packed where !listed.contains(tube.code) {
            let filled = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM sample WHERE tube_code = ?"), arguments: [tube.code])!
            try loseTube(
                db, tube, filled: filled, actor: actor, reason: "not in box \(box) when the lab \(lab) received it", now: now)
        }
        try advanceBox(db, code: box, from: record.state, to: .received, actor: actor, toActor: actor.label, now: now, tubeCount: listed.count)
        return ages
    }

    /// The longest note kept with a rejection.
    public static let rejectionNoteLimit = 500

    /// A lab rejects a tube it received (`TubeRejection`): the tube ends as
    /// `rejected` in its chain of custody with the reason, and its members
    /// are due to be sampled again exactly as after a lost tube, with
    /// `resident.outcome` and `tube.rejected` callbacks. A second rejection
    /// changes nothing; a tube with a result keeps it.
    static func rejectTube(_ db: SQLSession, _ rejection: PostedRejection, lab: String, now: String) throws -> ResultFate {
        let tube = try labTube(db, rejection.tube, lab: lab)?.tube
        let fate = ResultMatching.rejectionFate(state: tube?.state)
        guard fate == .applied, let tube else { return fate }
        let actor = Actor.lab(id: lab)
        try db.cachedStatement(sql: "UPDATE tube SET state = ?, rejected_reason = ? WHERE code = ?").execute(
            arguments: [TubeState.rejected, rejection.reason, tube.code])
        try recordCustody(db, subject: .tube, code: tube.code, event: .rejected, actor: actor, now: now)
        let detail = [rejection.reason.rawValue, rejection.note].compactMap { $0 }.joined(separator: ": ")
        try audit(db, .tubeRejected, by: actor, tube: tube.code, detail: detail, now: now)
        try decideOutcomes(db, tube: tube.code, round: tube.roundID, mode: tube.mode, cause: .tubeRejected(rejection.reason), now: now)
        try enqueueCallback(db, event: .tubeRejected, orderingKey: "tube:\(tube.code)", now: now) { try tubeView(db, code: tube.code) }
        return fate
    }
}
