import Crypto
import Foundation

/// Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256
/// over `"<webhook-id>.<webhook-timestamp>.<body>"`, sent as
/// `webhook-signature: v1,<base64>` (several, space-separated, during a
/// rotation), keyed by the base64 part of a `whsec_` secret.
public enum StandardWebhooks {
    /// Why a delivery is refused. Each is answered 401 and changes nothing.
    public enum Failure: Error, Equatable {
        case missingHeaders
        case badTimestamp
        case staleTimestamp
        case badSignature

        public var code: String {
            switch self {
            case .missingHeaders: "missing_signature"
            case .badTimestamp: "bad_timestamp"
            case .staleTimestamp: "stale_timestamp"
            case .badSignature: "bad_signature"
            }
        }

        public var message: String {
            switch self {
            case .missingHeaders: "A webhook needs the webhook-id, webhook-timestamp and webhook-signature headers."
            case .badTimestamp: "webhook-timestamp must be whole seconds since 1970."
            case .staleTimestamp: "webhook-timestamp is more than 5 minutes from now: check the clock, or this is a replay."
            case .badSignature: "No webhook-signature matches a current secret of this lab."
            }
        }
    }

    /// The key bytes of a `whsec_` secret.
    static func key(_ secret: String) -> SymmetricKey? {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        return Data(base64Encoded: encoded).map { SymmetricKey(data: $0) }
    }

    static func signedContent(id: String, timestamp: String, body: Data) -> Data {
        Data("\(id).\(timestamp).".utf8) + body
    }

    /// The `webhook-signature` value for a delivery, as a lab would send it.
    public static func sign(id: String, timestamp: Int, body: Data, secret: String) -> String? {
        guard let key = key(secret) else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: signedContent(id: id, timestamp: String(timestamp), body: body), using: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// What can be checked before the body is read: the headers are all
    /// there and the timestamp is fresh. A delivery that fails here is
    /// refused without buffering its body.
    public static func checkHeaders(id: String?, timestamp: String?, signature: String?, now: Date, tolerance: TimeInterval = 300) throws(Failure) {
        guard let id, !id.isEmpty, let timestamp, let signature, !signature.isEmpty else { throw .missingHeaders }
        guard let seconds = Int(timestamp) else { throw .badTimestamp }
        guard abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance else { throw .staleTimestamp }
    }

    /// Checks a delivery against every currently valid secret.
    public static func verify(
        id: String?, timestamp: String?, signature: String?, body: Data, secrets: [String], now: Date,
        tolerance: TimeInterval = 300
    ) throws(Failure) {
        try checkHeaders(id: id, timestamp: timestamp, signature: signature, now: now, tolerance: tolerance)
        guard let id, let timestamp, let signature else { throw .missingHeaders }
        let content = signedContent(id: id, timestamp: timestamp, body: body)
        let candidates = signature.split(separator: " ").compactMap { part -> Data? in
            let pieces = part.split(separator: ",", maxSplits: 1)
            guard pieces.count == 2, pieces[0] == "v1" else { return nil }
            return Data(base64Encoded: String(pieces[1]))
        }
        for secret in secrets {
            guard let key = key(secret) else { continue }
            for candidate in candidates where HMAC<SHA256>.isValidAuthenticationCode(candidate, authenticating: content, using: key) {
                return
            }
        }
        throw .badSignature
    }
}
