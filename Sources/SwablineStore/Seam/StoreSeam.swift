import Foundation
import SwablineCore

// The store as the server sees it: one protocol per flow, named by what
// the domain does, so each controller, page and service depends on the
// few things it uses and never on SQL, GRDB or a file path. `Store`
// (SQLite, group commit) is the one implementation today; a test can
// hand the router a store on an in-memory database (`Store.inMemory()`).
// Rules are decided in the core and orchestrated once, in `Store`; see
// DESIGN.md "The store seam" for what a second backend shares.

/// The gate and the queue: check-in, calling the next group, the board.
public protocol QueueDesk: Sendable {
    func checkIn(site: String, code: String, walkIn: WalkIn?, priority: Bool, triage: Triage?, by actor: Actor) async throws -> CheckInResult
    func callNext(site: String, station: String, by actor: Actor) async throws -> CallResult
    func board(site: String, by actor: Actor) async throws -> BoardState
}

/// A sampling station's tubes: open, fill, seal, or give up.
public protocol TubeDesk: Sendable {
    func openTube(site: String, code: String, station: String, mode: TubeMode?, by actor: Actor) async throws -> TubeView
    func addSample(tube code: String, resident residentCode: String, checkIn: Bool, by actor: Actor) async throws -> SampleResult
    func sealTube(_ code: String, by actor: Actor) async throws -> TubeView
    func reportTubeLost(_ code: String, reason: String, by actor: Actor) async throws -> TubeView
    func stationStatus(site: String, station: String, by actor: Actor) async throws -> StationStatus
}

/// Boxes along the chain of custody: packing at the site, the courier's steps.
public protocol BoxCustody: Sendable {
    func createBox(site: String, code: String, by actor: Actor) async throws -> BoxView
    func addTubeToBox(box: String, tube: String, by actor: Actor) async throws -> BoxView
    func sealBox(_ box: String, by actor: Actor) async throws -> BoxView
    func pickUpBox(_ box: String, tubeCount: Int, temperature: Double, by actor: Actor) async throws -> BoxView
    func handOverBox(_ box: String, by actor: Actor) async throws -> BoxView
    func packingStatus(site: String, by actor: Actor) async throws -> PackingStatus
    func courierBoxes(by actor: Actor) async throws -> [CourierBox]
    func boxManifest(_ box: String, by actor: Actor) async throws -> ManifestView
    func labBench(by actor: Actor) async throws -> [ManifestView]
}

/// What labs send: receipts and results, each delivery applied once.
public protocol LabInbox: Sendable {
    func webhookSecrets(lab: String) async throws -> [String]
    func receiveLabDelivery(lab: String, webhookID: String, event: LabEvent) async throws -> (body: Data, replayed: Bool)
    func receiveLabDelivery(
        lab: String, webhookID: String, event: LabEvent, whole: Bool, timesRefuseDelivery: Bool,
        reply: @escaping @Sendable (LabDeliveryAnswer) throws -> Data
    ) async throws -> (body: Data, replayed: Bool)
}

/// What the compound reads: coverage, retests, outcomes, turnaround,
/// anomalies and the audit trail; and the round they are read in.
public protocol RoundReports: Sendable {
    func siteList() async throws -> [(id: String, name: String)]
    func siteSummary(_ site: String, by actor: Actor) async throws -> SiteSummary
    func coverage(site: String, round: Int64?, by actor: Actor) async throws -> CoverageReport
    func retests(site: String, round: Int64?, by actor: Actor) async throws -> RetestReport
    func outcome(resident code: String, round: Int64?, by actor: Actor) async throws -> OutcomeReport
    func turnaround(site: String, round: Int64?, by actor: Actor) async throws -> TurnaroundReport
    func clearStanding(resident code: String, reason: String, by actor: Actor) async throws -> StandingChange
    func isolation(site: String?, by actor: Actor) async throws -> IsolationReport
    func referrals(site: String, round: Int64?, by actor: Actor) async throws -> ReferralReport
    func homeVisits(site: String, round: Int64?, by actor: Actor) async throws -> HomeVisitReport
    func roundOutcomes(site: String, round: Int64?, by actor: Actor) async throws -> (round: String, people: [PersonLine])
    func setHomebound(resident code: String, homebound: Bool, by actor: Actor) async throws -> HomeboundFlag
    func recordFollowUp(resident code: String, reason: MissingReason, note: String?, household: Bool, by actor: Actor) async throws
        -> FollowUpAnswer
    func anomalies(site: String?, filter: AnomalyFilter, by actor: Actor) async throws -> [AnomalyView]
    func resolveAnomaly(id: Int64, note: String, by actor: Actor) async throws -> AnomalyView
    func auditTrail(_ subject: AuditSubject, by actor: Actor, limit: Int) async throws -> [AuditEntry]
    func revealResident(code: String, reason: String, by actor: Actor) async throws -> RevealedResident
    func latestRound() async throws -> RoundInfo
    func currentRound(site: String, by actor: Actor) async throws -> RoundInfo
    func siteRounds(site: String, by actor: Actor) async throws -> [RoundInfo]
    func openRound(name: String, for scope: RoundScope) async throws -> OpenedRound
    func uploadRoster(site: String, data: Data, by actor: Actor) async throws -> RosterImport
}

/// Who is asking: bearer tokens and session cookies resolved to actors.
public protocol Credentials: Sendable {
    func checkToken(_ token: String) async throws -> TokenCheck
    func token(id: Int64) async throws -> TokenInfo?
}

/// First answers to retried POSTs, by `Idempotency-Key`.
public protocol AnswerMemory: Sendable {
    func rememberedAnswer(scope: String, key: String, within: TimeInterval?) async throws -> RememberedAnswer?
    func rememberAnswer(scope: String, key: String, _ answer: RememberedAnswer, replacing: Bool) async throws
}

/// Outcome callbacks waiting in the outbox, and their subscribers.
public protocol Outbox: Sendable {
    func dueCallbacks(limit: Int, window: Int) async throws -> [CallbackMessage]
    func recordCallbackAttempts(_ attempts: [(id: Int64, outcome: DeliveryOutcome)], schedule: RetrySchedule) async throws
    func deadCallbacks(subscriber: Int64?, limit: Int) async throws -> [DeadLetter]
    func replayCallbacks(ids: [Int64]?, subscriber: Int64?) async throws -> Int
    func outboxStatus() async throws -> OutboxStatus
    func pruneDeliveredCallbacks(olderThan age: TimeInterval, limit: Int) async throws -> Int
    func subscribers() async throws -> [SubscriberView]
}

/// Everything the HTTP server needs of the store.
public typealias ServerStore = QueueDesk & TubeDesk & BoxCustody & LabInbox & RoundReports & Credentials & AnswerMemory & Outbox

extension Store: QueueDesk, TubeDesk, BoxCustody, LabInbox, RoundReports, Credentials, AnswerMemory, Outbox {}

// The usual arguments: the one place their values are set.
extension RoundReports {
    public func auditTrail(_ subject: AuditSubject, by actor: Actor) async throws -> [AuditEntry] {
        try await auditTrail(subject, by: actor, limit: 1_000)
    }
    // A site's current round, unless a report asks for another.
    public func coverage(site: String, by actor: Actor) async throws -> CoverageReport { try await coverage(site: site, round: nil, by: actor) }
    public func retests(site: String, by actor: Actor) async throws -> RetestReport { try await retests(site: site, round: nil, by: actor) }
    public func turnaround(site: String, by actor: Actor) async throws -> TurnaroundReport {
        try await turnaround(site: site, round: nil, by: actor)
    }
    public func outcome(resident code: String, by actor: Actor) async throws -> OutcomeReport {
        try await outcome(resident: code, round: nil, by: actor)
    }
}

extension QueueDesk {
    /// A check-in with nothing measured at the gate.
    public func checkIn(site: String, code: String, walkIn: WalkIn?, priority: Bool, by actor: Actor) async throws -> CheckInResult {
        try await checkIn(site: site, code: code, walkIn: walkIn, priority: priority, triage: nil, by: actor)
    }
}

extension Outbox {
    public func dueCallbacks(limit: Int) async throws -> [CallbackMessage] { try await dueCallbacks(limit: limit, window: 2_000) }
    public func deadCallbacks(subscriber: Int64? = nil) async throws -> [DeadLetter] { try await deadCallbacks(subscriber: subscriber, limit: 500) }
    public func pruneDeliveredCallbacks(olderThan age: TimeInterval) async throws -> Int {
        try await pruneDeliveredCallbacks(olderThan: age, limit: 10_000)
    }
}
