import Foundation
import Testing
@testable import SwablineServer

@Suite("Standard Webhooks signatures")
struct StandardWebhooksTests {
    // The example from the Standard Webhooks specification's reference tests.
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    let timestamp = 1_614_265_330
    let body = Data(#"{"test": 2432232314}"#.utf8)
    var now: Date { Date(timeIntervalSince1970: TimeInterval(timestamp) + 10) }

    @Test("signs like the reference implementation") func referenceVector() {
        #expect(StandardWebhooks.sign(id: id, timestamp: timestamp, body: body, secret: secret) == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test("accepts a valid signature, among several, under any current secret") func rotation() throws {
        let signature = "v1,bm90IHRoaXMgb25l v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        try StandardWebhooks.verify(id: id, timestamp: String(timestamp), signature: signature, body: body,
            secrets: ["whsec_" + Data(repeating: 1, count: 24).base64EncodedString(), secret], now: now)
    }

    @Test("refuses a changed body, another id, a wrong secret") func tampering() {
        let signature = StandardWebhooks.sign(id: id, timestamp: timestamp, body: body, secret: secret)!
        #expect(throws: StandardWebhooks.Failure.badSignature) {
            try StandardWebhooks.verify(id: id, timestamp: String(timestamp), signature: signature, body: Data(#"{"test": 1}"#.utf8), secrets: [secret], now: now)
        }
        #expect(throws: StandardWebhooks.Failure.badSignature) {
            try StandardWebhooks.verify(id: "msg_other", timestamp: String(timestamp), signature: signature, body: body, secrets: [secret], now: now)
        }
        #expect(throws: StandardWebhooks.Failure.badSignature) {
            try StandardWebhooks.verify(id: id, timestamp: String(timestamp), signature: signature, body: body, secrets: [], now: now)
        }
        #expect(throws: StandardWebhooks.Failure.badSignature) {
            try StandardWebhooks.verify(id: id, timestamp: String(timestamp), signature: "v2," + signature.dropFirst(3), body: body, secrets: [secret], now: now)
        }
    }

    @Test("refuses a delivery more than five minutes off, or without its headers") func timing() {
        let signature = StandardWebhooks.sign(id: id, timestamp: timestamp, body: body, secret: secret)!
        #expect(throws: StandardWebhooks.Failure.staleTimestamp) {
            try StandardWebhooks.verify(id: id, timestamp: String(timestamp), signature: signature, body: body, secrets: [secret],
                now: Date(timeIntervalSince1970: TimeInterval(timestamp + 301)))
        }
        #expect(throws: StandardWebhooks.Failure.staleTimestamp) {
            try StandardWebhooks.verify(id: id, timestamp: String(timestamp), signature: signature, body: body, secrets: [secret],
                now: Date(timeIntervalSince1970: TimeInterval(timestamp - 301)))
        }
        #expect(throws: StandardWebhooks.Failure.badTimestamp) {
            try StandardWebhooks.verify(id: id, timestamp: "yesterday", signature: signature, body: body, secrets: [secret], now: now)
        }
        #expect(throws: StandardWebhooks.Failure.missingHeaders) {
            try StandardWebhooks.verify(id: nil, timestamp: String(timestamp), signature: signature, body: body, secrets: [secret], now: now)
        }
    }
}
