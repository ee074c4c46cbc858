/// The limits on failed sign-ins and bad lab signatures (README,
/// "Reliability"). A token is 256 random bits and a signature an
/// HMAC-SHA256, so these limits are not what stops guessing: they make a
/// client that keeps failing back off (a phone retrying with a revoked
/// token, a lab still signing with a retired secret, a scanner of the
/// internet), keep its noise out of the logs, and count it. A valid token
/// or signature is never limited, so one failing phone behind a compound's
/// NAT, or forgeries sent in a lab's name, cannot lock out the gate or the lab.
public struct AccessLimits: Sendable, Equatable {
    /// Failed sign-ins per client address: an unknown, expired or revoked
    /// bearer token or session cookie, a malformed `Authorization`, a token
    /// refused by the sign-in form.
    public var signIns: RateLimit
    /// Bad lab webhook signatures per client address.
    public var signaturesPerAddress: RateLimit
    /// Bad signatures per lab, from any address.
    public var signaturesPerLab: RateLimit
    /// The most addresses (or labs) each limit tracks at once.
    public var trackedKeys: Int

    public init(signIns: RateLimit, signaturesPerAddress: RateLimit, signaturesPerLab: RateLimit, trackedKeys: Int = 10_000) {
        self.signIns = signIns
        self.signaturesPerAddress = signaturesPerAddress
        self.signaturesPerLab = signaturesPerLab
        self.trackedKeys = trackedKeys
    }

    /// 30 failed sign-ins a minute per address, in a burst if need be: a
    /// phone flushing a queue of offline scans with a revoked token hits it,
    /// a person mistyping a token never does. 30 bad signatures a minute per
    /// address and 60 per lab: a lab's LIS retrying a batch signed with a
    /// retired secret is told to back off, while its deliveries signed with
    /// the current secret go through.
    public static let standard = AccessLimits(
        signIns: RateLimit(perMinute: 30), signaturesPerAddress: RateLimit(perMinute: 30), signaturesPerLab: RateLimit(perMinute: 60))
}
