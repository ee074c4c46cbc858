import Foundation
import LibFuzzerDriver
@testable import SwablineServer

/// The headers a caller controls before any body is read: a lab's
/// `webhook-id`, `webhook-timestamp` and `webhook-signature` (Standard
/// Webhooks), and `Idempotency-Key`. The input is those four values and
/// the body, one per line. Any values are accepted or refused with the
/// documented failure, never a crash, and a delivery is accepted only
/// when one of its `v1,` signatures is the HMAC of a current secret.
@main enum FuzzWebhookHeaders {
    static func main() {
        exit(swabline_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzWebhookHeaders))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhookHeaders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    var lines = bytes.split(separator: 0x0A, maxSplits: 4, omittingEmptySubsequences: false).map { Data($0) }
    while lines.count < 5 { lines.append(Data()) }
    func header(_ data: Data) -> String? { data.first == 0x00 ? nil : String(decoding: data, as: UTF8.self) }
    let id = header(lines[0]), timestamp = header(lines[1]), signature = header(lines[2]), body = lines[4]

    do {
        try StandardWebhooks.verify(id: id, timestamp: timestamp, signature: signature, body: body, secrets: secrets, now: now)
        guard let id, let timestamp, let signature, let seconds = Int(timestamp),
            abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= 300
        else { fatalError("verify accepted id \(String(describing: id)) timestamp \(String(describing: timestamp))") }
        if timestamp == String(seconds) {
            let expected = secrets.compactMap { StandardWebhooks.sign(id: id, timestamp: seconds, body: body, secret: $0) }
                .compactMap { Data(base64Encoded: String($0.dropFirst(3))) }
            let sent = signature.split(separator: " ").compactMap { part -> Data? in
                guard part.hasPrefix("v1,") else { return nil }
                return Data(base64Encoded: String(part.dropFirst(3)))
            }
            guard sent.contains(where: expected.contains) else { fatalError("verify accepted signature \(signature)") }
        }
    } catch {
        // Each failure is a 401 with its own code; typed throws rule out anything else.
        _ = error.code
    }

    let key = String(decoding: lines[3], as: UTF8.self)
    if IdempotencyMiddleware.isValidKey(key) {
        guard !key.isEmpty, key.utf8.count <= 255, key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            fatalError("Idempotency-Key accepted \(key.debugDescription)")
        }
    }
    return 0
}

/// The reference secret of the Standard Webhooks tests, one being rotated
/// in, and one that is not base64 at all.
let secrets = [
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB", "whsec_not base64!",
]
let now = Date(timeIntervalSince1970: 1_614_265_340)
