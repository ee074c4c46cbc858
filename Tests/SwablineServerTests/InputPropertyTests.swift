import Foundation
import PropertyBased
import SwablineCore
import SwablineStore
import Testing
@testable import SwablineServer

/// What callers send before the store sees it: a lab's webhook body and
/// signature headers, `/v1` JSON bodies, page forms and Idempotency-Key.
/// Any input is read or refused with the documented 4xx problem, never a
/// crash or a 500, and what a well-behaved caller sends reads back as
/// sent. The libFuzzer harnesses in `Fuzz/` run the same checks for hours.
@Suite("Webhook bodies and headers, JSON bodies, forms and keys, with any input")
struct InputPropertyTests {
    @Test("any webhook body is one event or a 4xx problem")
    func anyWebhookBody() async {
        await propertyCheck(count: 500, input: Gen.frequency((1, OddInput.bytes), (3, OddInput.jsonish))) { body in
            do {
                _ = try LabWebhookController.event(from: body)
            } catch let problem as Problem {
                #expect([400, 422].contains(problem.status.code) && !problem.detail.isEmpty, "\(problem)")
            } catch {
                Issue.record("\(error) would be a 500, for \(String(decoding: body, as: UTF8.self))")
            }
        }
    }

    @Test("results a lab sends are read as sent: codes, results, times to the millisecond, Ct")
    func webhookRoundTrip() async {
        await propertyCheck(count: 200, input: OddInput.result.array(of: 1...20)) { results in
            let items = results.map { item -> [String: Any] in
                var json: [String: Any] = ["tube": item.tube, "result": item.result.rawValue, "tested_at": item.testedAt]
                if let ct = item.ct { json["ct"] = ct }
                return json
            }
            let body = try JSONSerialization.data(withJSONObject: ["type": "tube.results", "data": ["results": items]])
            #expect(try LabWebhookController.event(from: body) == .tubeResults(results))
        }
    }

    @Test("a delivery signed with a current secret verifies; a changed byte or a stale clock does not")
    func signatures() async {
        await propertyCheck(count: 200, input: OddInput.bytes, Gen.uint8().array(of: 1...40), OddInput.text, Gen.int(in: 0...1000)) {
            body, key, id, flip in
            let secret = "whsec_" + Data(key).base64EncodedString()
            let id = id.isEmpty ? "msg" : id
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            let signature = try #require(StandardWebhooks.sign(id: id, timestamp: 1_700_000_000, body: body, secret: secret))
            #expect(throws: Never.self) {
                try StandardWebhooks.verify(id: id, timestamp: "1700000000", signature: "v1,AAAA " + signature, body: body,
                    secrets: ["whsec_!", secret], now: now)
            }
            var changed = body.isEmpty ? Data([0]) : body
            if !body.isEmpty { changed[flip % body.count] ^= 0x01 }
            #expect(throws: StandardWebhooks.Failure.badSignature) {
                try StandardWebhooks.verify(id: id, timestamp: "1700000000", signature: signature, body: changed, secrets: [secret], now: now)
            }
            #expect(throws: StandardWebhooks.Failure.staleTimestamp) {
                try StandardWebhooks.verify(id: id, timestamp: "1700000000", signature: signature, body: body, secrets: [secret],
                    now: now.addingTimeInterval(301))
            }
        }
    }

    @Test("any webhook headers are accepted only with a valid signature, else refused with a failure")
    func anyWebhookHeaders() async {
        await propertyCheck(count: 500, input: OddInput.text.optional, OddInput.text.optional, OddInput.text.optional) { id, timestamp, signature in
            let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
            #expect(throws: StandardWebhooks.Failure.self) {
                try StandardWebhooks.verify(id: id, timestamp: timestamp, signature: signature, body: Data(), secrets: [secret, "whsec_"],
                    now: Date(timeIntervalSince1970: 1_614_265_340))
            }
        }
    }

    @Test("any /v1 JSON body is decoded or a 400 naming what is wrong")
    func anyJSONBody() async {
        await propertyCheck(count: 300, input: Gen.frequency((1, OddInput.bytes), (3, OddInput.jsonish))) { body in
            for decode in [
                { _ = try APIDecoder.decode(QueueController.CheckInRequest.self, from: body).walkIn() },
                { _ = try APIDecoder.decode(TubeController.OpenRequest.self, from: body) },
                { _ = try APIDecoder.decode(BoxController.PickupRequest.self, from: body) },
                { _ = try APIDecoder.decode(CampaignController.OpenRoundRequest.self, from: body).scope() },
                { _ = try APIDecoder.decode(CampaignController.FollowUpRequest.self, from: body) },
            ] as [() throws -> Void] {
                do {
                    try decode()
                } catch let problem as Problem {
                    #expect([400, 422].contains(problem.status.code) && !problem.detail.isEmpty, "\(problem)")
                } catch {
                    Issue.record("\(error) would be a 500")
                }
            }
        }
    }

    @Test("form fields of any text, encoded as a browser does, read back the same; any form body reads")
    func forms() async {
        await propertyCheck(count: 300, input: zip(OddInput.text, OddInput.text).array(of: 0...6), OddInput.text) { pairs, raw in
            let fields = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
            let encoded = fields.map { "\(OddInput.formEncode($0.key))=\(OddInput.formEncode($0.value))" }.joined(separator: "&")
            #expect(PageForm(encoded: encoded).fields == fields, "\(encoded)")
            let form = PageForm(encoded: raw)
            for name in form.fields.keys { #expect(form[name] == form[name].trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    /// Found by the property above and the FuzzPageForm harness: fields
    /// were split on characters, so a combining mark right after `&` or `=`
    /// glued the next field into the previous value; Foundation's
    /// percent-decoding dropped a leading U+FEFF and emptied a whole field
    /// for one bad escape.
    @Test("form bodies read as the URL standard reads them", arguments: [
        ("box=B1&\u{301}x=1&action=\u{301}seal&tube=T1", ["box": "B1", "\u{301}x": "1", "action": "\u{301}seal", "tube": "T1"]),
        ("name=%EF%BB%BF%E6%9D%8E", ["name": "\u{FEFF}李"]),
        ("resident_code=FFY%ZZ1&room=%2", ["resident_code": "FFY%ZZ1", "room": "%2"]),
        ("name=%FF%E6%9D&phone=138+1234%2b5678", ["name": "\u{FFFD}\u{FFFD}", "phone": "138 1234+5678"]),
        ("&&a&=&b==c", ["a": "", "": "", "b": "=c"]),
    ])
    func formBodies(_ body: String, _ fields: [String: String]) {
        #expect(PageForm(encoded: body).fields == fields)
    }

    @Test("an Idempotency-Key is accepted exactly when it is 1–255 printable ASCII characters without spaces")
    func idempotencyKeys() async {
        await propertyCheck(count: 500, input: Gen.frequency((3, OddInput.text), (1, Gen.character(in: "!"..."~").string(of: 250...260)))) { key in
            let valid = (1...255).contains(key.utf8.count) && key.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
            #expect(IdempotencyMiddleware.isValidKey(key) == valid, "\(key.debugDescription)")
        }
    }
}

/// Input as callers send it: raw bytes, JSON-like fragments, odd text.
enum OddInput {
    static let characters: [Character] = Array(
        "AZaz09-_.:,;\"'\\&=%+ {}[]\t\r\n\r\n\u{0}\u{1B}\u{7F}\u{A0}\u{3000}\u{FEFF}\u{202E}０Ｘ张核酸é\u{301}\u{301}👨‍👩‍👧🇨🇳\u{10FFFF}")
    static let text = Gen<Character?>.element(of: characters).map { $0! }.string(of: 0...30)
    static let bytes = Gen.uint8().array(of: 0...120).map { Data($0) }

    /// JSON fragments of the webhook and API bodies, joined at random.
    static let jsonish = Gen<String?>.element(of: [
        "{", "}", "[", "]", ",", ":", "\"type\"", "\"box.received\"", "\"tube.results\"", "\"data\"", "\"results\"", "\"box\"",
        "\"tube_count\"", "\"tube\"", "\"result\"", "\"negative\"", "\"positive\"", "\"tested_at\"", "\"2022-04-05T10:30:00Z\"",
        "\"ct\"", "\"resident_code\"", "\"name\"", "\"id_number\"", "\"phone\"", "\"building\"", "\"unit\"", "\"room\"",
        "\"temperature_c\"", "\"mode\"", "\"station\"", "null", "true", "-1", "1e400", "31.2", "\"\\u0000\"", "\"\\ud800\"",
        "\"核酸\"", "\"T1\"", "\"\"",
    ]).map { $0! }.array(of: 0...30).map { Data($0.joined().utf8) }

    /// A result as a lab sends it, with a time in the store's own format.
    static let result = zip(
        Gen<Character?>.element(of: Array("AZaz09-_.")).map { $0! }.string(of: 1...64), Gen<TubeResult?>.element(of: TubeResult.allCases),
        Gen.int(in: 1_600_000_000_000...1_900_000_000_000), Gen.int(in: 0...6000).optional
    ).map { tube, result, millis, ct in
        PostedResult(tube: tube, result: result!, testedAt: Timestamp.string(Date(timeIntervalSince1970: Double(millis) / 1000)),
            ct: ct.map { Double($0) / 100 })
    }

    /// As a browser encodes a form field, with `%20` for a space.
    static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: browserSafe) ?? ""
    }

    static let browserSafe = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._")
}
