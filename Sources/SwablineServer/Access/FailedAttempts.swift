import Foundation
import HTTPTypes
import Hummingbird
import Metrics

/// Counts failed sign-ins and bad lab signatures in swift-metrics, and
/// answers 429 `too_many_attempts` once a client (or a lab) has had too many.
/// Callers ask only after a failure: success is neither counted nor limited.
final class FailedAttempts: Sendable {
    /// Where a credential was presented; a metrics label.
    enum Via: String, Sendable {
        /// `Authorization: Bearer` on the API.
        case token
        /// The pages' session cookie.
        case session
        /// The sign-in form.
        case login
        /// A lab webhook's signature.
        case webhook
    }

    let limits: AccessLimits
    let clock: @Sendable () -> Date
    private let signIns: FailureLimiter
    private let signaturesByAddress: FailureLimiter
    private let signaturesByLab: FailureLimiter

    init(_ limits: AccessLimits, clock: @escaping @Sendable () -> Date) {
        self.limits = limits
        self.clock = clock
        signIns = FailureLimiter(limits.signIns, capacity: limits.trackedKeys)
        signaturesByAddress = FailureLimiter(limits.signaturesPerAddress, capacity: limits.trackedKeys)
        signaturesByLab = FailureLimiter(limits.signaturesPerLab, capacity: limits.trackedKeys)
    }

    /// A bearer token, session cookie or sign-in form token was refused for
    /// `reason`. Returns the 429 to answer instead of 401 when the address
    /// has had too many.
    func signInFailed(via: Via, reason: String, address: String?) -> Problem? {
        Counter(label: "swabline_auth_failures_total", dimensions: [("via", via.rawValue), ("reason", reason)]).increment()
        guard let wait = signIns.recordFailure(Self.key(address), now: clock()) else { return nil }
        return limited(via: via, by: "address", wait: wait, what: "failed sign-ins from your address")
    }

    /// A lab webhook was refused for `reason` (`bad_signature`,
    /// `stale_timestamp`…). `lab` is the lab named in the path when it is
    /// one Swabline knows, so forgeries in a lab's name are counted per lab too.
    func signatureFailed(reason: String, address: String?, lab: String?) -> Problem? {
        Counter(label: "swabline_auth_failures_total", dimensions: [("via", Via.webhook.rawValue), ("reason", reason)]).increment()
        let now = clock()
        // Both buckets are charged, so neither many addresses nor one address can dodge the other limit.
        let byAddress = signaturesByAddress.recordFailure(Self.key(address), now: now)
        let byLab = lab.flatMap { signaturesByLab.recordFailure($0, now: now) }
        switch (byAddress, byLab) {
        case (nil, nil): return nil
        case let (wait?, nil): return limited(via: .webhook, by: "address", wait: wait, what: "badly signed webhooks from your address")
        case let (address, lab?):
            return limited(via: .webhook, by: "lab", wait: max(address ?? 0, lab), what: "badly signed webhooks for this lab")
        }
    }

    private func limited(via: Via, by: String, wait: TimeInterval, what: String) -> Problem {
        Counter(label: "swabline_rate_limited_total", dimensions: [("via", via.rawValue), ("limit", by)]).increment()
        return Problem.tooManyAttempts(retryAfter: wait, what: what)
    }

    /// Requests whose address is unknown (a Unix socket, the router test
    /// harness) share one bucket.
    static func key(_ address: String?) -> String { address ?? "unknown" }
}

extension Problem {
    /// 429 with `Retry-After` in whole seconds (at least 1).
    static func tooManyAttempts(retryAfter wait: TimeInterval, what: String) -> Problem {
        let seconds = max(1, Int(wait.rounded(.up)))
        var problem = Problem(
            .tooManyRequests, code: "too_many_attempts", detail: "Too many \(what); try again in \(seconds) s.")
        problem.headers[.retryAfter] = String(seconds)
        return problem
    }
}
