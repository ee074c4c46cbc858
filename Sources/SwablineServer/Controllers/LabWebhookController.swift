import Foundation
import HTTPTypes
import Hummingbird
import SwablineCore
import SwablineStore

/// The lab's one webhook endpoint: box receipts and tube results, signed
/// with Standard Webhooks.
struct LabWebhookController {
    let store: any LabInbox
    let clock: @Sendable () -> Date
    let failures: FailedAttempts
    /// The most results one delivery may carry.
    static let maxResults = 10_000
    /// Bodies read at once before their signature can be checked. A lab
    /// sends a few deliveries at a time; forgeries in a known lab's name
    /// (right headers, wrong signature) could otherwise hold 8 MB each.
    let unverifiedBodies = InFlightLimit(8)

    struct Envelope: Decodable {
        var type: String
        var timestamp: String?
    }

    struct BoxReceived: Decodable {
        struct Data: Decodable {
            var box: String
            var tubeCount: Int?
            /// The tubes the lab found in the box; any packed tube not
            /// listed is lost in transit (`LabEvent.boxReceivedTubes`).
            var tubes: [String]?
        }
        var data: Data
    }

    struct TubesRejected: Decodable {
        struct Item: Decodable {
            var tube: String
            var reason: String
            var note: String?
        }
        struct Data: Decodable { var rejections: [Item] }
        var data: Data
    }

    struct TubeResults: Decodable {
        struct Item: Decodable {
            var tube: String
            var result: String
            var testedAt: String
            var ct: Double?
        }
        struct Data: Decodable { var results: [Item] }
        var data: Data
    }

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.post("labs/:lab/webhooks", use: receive)
        routes.post("labs/:lab/hl7", use: receiveHL7)
        return routes
    }

    /// Everything that needs no body is checked before the body is read:
    /// an unknown lab, missing signature headers or a stale timestamp are
    /// refused without buffering a byte of it, so unsigned uploads cannot
    /// fill memory; the body itself must arrive within `BodyReading.deadline`.
    @Sendable func receive(_ request: Request, context: AppContext) async throws -> Response {
        let (lab, webhookID, body) = try await verified(request, context: context)
        let event = try Self.event(from: body)
        let (answer, replayed) = try await store.receiveLabDelivery(lab: lab, webhookID: webhookID, event: event)
        var headers: HTTPFields = [.contentType: "application/json"]
        if replayed { headers[HTTPField.Name("webhook-replayed")!] = "true" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer)))
    }

    /// An HL7 v2 ORU^R01 over HTTPS, signed as a webhook is: answered with
    /// its ACK (200 whatever the ACK says, as MLLP would), applied once by
    /// MSH-10 whichever way the message came.
    @Sendable func receiveHL7(_ request: Request, context: AppContext) async throws -> Response {
        let (lab, _, body) = try await verified(request, context: context)
        let ack = try await HL7Intake(store: store, clock: clock).acknowledge(body, from: .lab(lab))
        return Response(status: .ok, headers: [.contentType: HL7Intake.mediaType], body: .init(byteBuffer: ByteBuffer(bytes: ack)))
    }

    /// A signed delivery's lab, `webhook-id` and body, once its signature
    /// holds: the JSON webhook and HL7 v2 over HTTPS are signed alike.
    func verified(_ request: Request, context: AppContext) async throws -> (lab: String, webhookID: String, body: Data) {
        let lab = try context.code("lab")
        let id = request.headers[HTTPField.Name("webhook-id")!], timestamp = request.headers[HTTPField.Name("webhook-timestamp")!]
        let signature = request.headers[HTTPField.Name("webhook-signature")!]
        let secrets = try await store.webhookSecrets(lab: lab)
        func refuse(_ failure: StandardWebhooks.Failure) -> any Error {
            // Counted per address, and per lab when the lab is one Swabline knows (an unknown lab has no secrets).
            if let tooMany = failures.signatureFailed(reason: failure.code, address: context.clientAddress, lab: secrets.isEmpty ? nil : lab) {
                return tooMany
            }
            context.logger.warning("refused lab webhook", metadata: ["lab": "\(lab)", "reason": "\(failure.code)"])
            var problem = Problem(.unauthorized, code: failure.code, detail: failure.message)
            // The body was not read: close rather than drain what may be megabytes of it.
            problem.headers[.connection] = "close"
            return problem
        }
        do throws(StandardWebhooks.Failure) {
            try StandardWebhooks.checkHeaders(id: id, timestamp: timestamp, signature: signature, now: clock())
            // An unknown lab has no secret any signature could match.
            guard !secrets.isEmpty else { throw .badSignature }
        } catch {
            throw refuse(error)
        }
        guard unverifiedBodies.enter() else {
            var problem = Problem(
                .serviceUnavailable, code: "busy",
                detail: "Too many deliveries are being received at once; send this one again in a few seconds.")
            problem.headers[.retryAfter] = "5"
            problem.headers[.connection] = "close"
            throw problem
        }
        let body: Data
        do {
            defer { unverifiedBodies.leave() }
            body = Data(buffer: try await BodyReading.collect(request, upTo: context.maxUploadSize))
            do throws(StandardWebhooks.Failure) {
                try StandardWebhooks.verify(id: id, timestamp: timestamp, signature: signature, body: body, secrets: secrets, now: clock())
            } catch {
                throw refuse(error)
            }
        }
        let webhookID = request.headers[HTTPField.Name("webhook-id")!]!
        guard webhookID.utf8.count <= 200 else { throw Problem.invalidField("webhook-id", "is longer than 200 characters") }
        return (lab, webhookID, body)
    }

    /// One tube's result as a lab wrote it, checked field by field: the
    /// webhook's items and the rows of a CSV upload alike. `at` prefixes the
    /// field named in the refusal.
    static func checkedResult(tube: String, result: String, testedAt: String, ct: Double?, at: String) throws -> PostedResult {
        if let why = Codes.problem(tube) { throw Problem.invalidField("\(at)tube", why) }
        guard let read = TubeResult(rawValue: result) else {
            throw Problem.invalidField("\(at)result", "must be negative, positive or invalid, not '\(result.prefix(32))'")
        }
        guard let time = Timestamp.date(testedAt) else {
            throw Problem.invalidField("\(at)tested_at", "must be an RFC 3339 time such as 2022-04-05T10:30:00Z")
        }
        if let ct, !(0...60).contains(ct) { throw Problem.invalidField("\(at)ct", "must be between 0 and 60") }
        return PostedResult(tube: tube, result: read, testedAt: Timestamp.string(time), ct: ct)
    }

    /// Reads and checks a delivery's payload; the first bad field is named.
    static func event(from body: Data) throws -> LabEvent {
        let envelope = try APIDecoder.decode(Envelope.self, from: body)
        switch envelope.type {
        case "box.received":
            let payload = try APIDecoder.decode(BoxReceived.self, from: body)
            let data = payload.data
            if let why = Codes.problem(data.box) { throw Problem.invalidField("data.box", why) }
            if let count = data.tubeCount, count < 0 { throw Problem.invalidField("data.tube_count", "must not be negative") }
            guard let tubes = data.tubes else {
                guard let count = data.tubeCount else {
                    throw Problem.invalidField("data.tube_count", "is missing: give the tubes counted, or list them in data.tubes")
                }
                return .boxReceived(box: data.box, tubeCount: count)
            }
            guard !tubes.isEmpty else {
                throw Problem.invalidField("data.tubes", "is empty: list the tubes found in the box (a box found empty is reported to the coordinator, not received)")
            }
            guard tubes.count <= maxResults else { throw Problem.invalidField("data.tubes", "lists more than \(maxResults) tubes") }
            for (index, tube) in tubes.enumerated() {
                if let why = Codes.problem(tube) { throw Problem.invalidField("data.tubes[\(index)]", why) }
            }
            if Set(tubes).count != tubes.count { throw Problem.invalidField("data.tubes", "lists a tube more than once") }
            if let count = data.tubeCount, count != tubes.count {
                throw Problem.invalidField("data.tube_count", "is \(count) but data.tubes lists \(tubes.count) tubes")
            }
            return .boxReceivedTubes(box: data.box, tubes: tubes)
        case "tube.rejected":
            let items = try APIDecoder.decode(TubesRejected.self, from: body).data.rejections
            guard !items.isEmpty else { throw Problem.invalidField("data.rejections", "is empty") }
            guard items.count <= maxResults else { throw Problem.invalidField("data.rejections", "holds more than \(maxResults) tubes") }
            return .tubesRejected(try items.enumerated().map { index, item in
                let at = "data.rejections[\(index)]"
                if let why = Codes.problem(item.tube) { throw Problem.invalidField("\(at).tube", why) }
                guard let reason = TubeRejection(rawValue: item.reason) else {
                    throw Problem.invalidField("\(at).reason", "must be one of \(TubeRejection.listed), not '\(item.reason.prefix(32))'")
                }
                let note = item.note?.trimmingCharacters(in: .whitespacesAndNewlines)
                if let note, note.count > Store.rejectionNoteLimit {
                    throw Problem.invalidField("\(at).note", "must be at most \(Store.rejectionNoteLimit) characters")
                }
                return PostedRejection(tube: item.tube, reason: reason, note: note?.isEmpty == true ? nil : note)
            })
        case "tube.results":
            let payload = try APIDecoder.decode(TubeResults.self, from: body)
            let items = payload.data.results
            guard !items.isEmpty else { throw Problem.invalidField("data.results", "is empty") }
            guard items.count <= maxResults else {
                throw Problem.invalidField("data.results", "holds \(items.count) results; send at most \(maxResults) per delivery")
            }
            return .tubeResults(try items.enumerated().map { index, item in
                try checkedResult(tube: item.tube, result: item.result, testedAt: item.testedAt, ct: item.ct, at: "data.results[\(index)].")
            })
        default:
            throw Problem(.unprocessableContent, code: "unknown_event_type",
                detail: "Event type '\(envelope.type.prefix(64))' is not one Swabline takes: box.received, tube.results or tube.rejected.")
        }
    }
}
