import Crypto
import Foundation
import SwablineCore

/// The key a lab puts in MSH-8 of every HL7 message it sends over MLLP.
///
/// MLLP has no headers and no signatures, so a lab is known by where it
/// connects from (`AddressAllowList`) and by this key. It is derived from
/// the lab's webhook secret (HMAC-SHA256 of a fixed label), so it changes
/// when the secret is rotated, both keys work while the old secret's
/// overlap lasts, and the webhook secret itself never travels in a message.
public enum MLLPKey {
    public static func derive(fromSecret secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("swabline mllp key v1".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "mllp_" + Hex.string(mac.prefix(20))
    }

    /// Whether `given` is the key of one of the lab's current secrets, compared in constant time.
    static func matches(_ given: String, secrets: [String]) -> Bool {
        var found = false
        for secret in secrets {
            let expected = Array(derive(fromSecret: secret).utf8), actual = Array(given.utf8)
            guard expected.count == actual.count else { continue }
            var difference: UInt8 = 0
            for (a, b) in zip(expected, actual) { difference |= a ^ b }
            if difference == 0 { found = true }
        }
        return found
    }
}
