import Foundation
import SwablineCore
import SwablineStore

/// A lab's HL7 v2 ORU^R01, whichever way it came (MLLP or HTTPS): read by
/// the core (`LabResultReport`), applied once through the same delivery
/// path as a webhook, and answered with an ACK that is written in the same
/// transaction as the results it acknowledges, so it is sent only after
/// the durable commit. MSH-10 is the message's identity: the same message
/// again gets the same ACK; another message under the same MSH-10 is
/// refused and changes nothing.
struct HL7Intake: Sendable {
    let store: any LabInbox
    let clock: @Sendable () -> Date

    /// HL7 v2's ER7 text over HTTP.
    static let mediaType = "x-application/hl7-v2+er7; charset=utf-8"

    /// Who sent the message.
    enum Sender: Sendable {
        /// Known already: the lab whose signature an HTTPS delivery carried.
        case lab(String)
        /// Over MLLP: MSH-4 names the lab and MSH-8 carries its `MLLPKey`.
        case mllp
    }

    /// The ACK to send back. Throws only when the store could not be
    /// reached: then no ACK is sent, and the lab sends the message again.
    func acknowledge(_ bytes: some Collection<UInt8>, from sender: Sender) async throws -> Data {
        let now = clock()
        let ackID = Self.controlID("SWB")
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return Self.data(HL7Acknowledgement.rejecting(
                "", because: .refused("the message is not UTF-8 text; send MSH-18 UNICODE UTF-8 and encode it so"), controlID: ackID, sentAt: now))
        }
        func reject(_ error: HL7Error, _ original: String? = nil) -> Data {
            Self.data(HL7Acknowledgement.rejecting(original ?? text, because: error, controlID: ackID, sentAt: now))
        }
        let lab: String
        switch sender {
        case let .lab(known): lab = known
        case .mllp:
            // Who is sending is read from MSH alone, before the rest is parsed: a stranger's megabyte costs nothing.
            let header = String(text.prefix { $0 != "\r" && $0 != "\n" })
            let msh = (try? HL7Message.parse(header))?.header
            let named = msh?[4] ?? ""
            let secrets = Codes.problem(named) == nil ? try await store.webhookSecrets(lab: named) : []
            guard MLLPKey.matches(msh?[8] ?? "", secrets: secrets) else { return reject(.unknownSender(named), header) }
            lab = named
        }
        let report: LabResultReport
        do throws(HL7Error) {
            report = try LabResultReport.read(try HL7Message.parse(text))
        } catch {
            return reject(error)
        }
        let results: [PostedResult] = report.entries.compactMap { entry in
            guard case let .result(tube, result, testedAt, ct, code) = entry else { return nil }
            return PostedResult(tube: tube, result: result, testedAt: Timestamp.string(testedAt), ct: ct, code: code)
        }
        do {
            let (ack, _) = try await store.receiveLabDelivery(
                lab: lab, webhookID: "hl7:" + report.header.controlID, event: .tubeResults(results), whole: false,
                timesRefuseDelivery: false
            ) { answer in
                let problems: [(tube: String?, error: HL7Error)] = (answer.results ?? []).compactMap { fate in
                    switch fate.fate {
                    case .applied, .duplicate: nil
                    case .unknownTube: (fate.tube, .unknownTube(fate.tube))
                    default: (fate.tube, .notApplied(tube: fate.tube, why: fate.fate.explanation))
                    }
                }
                return Self.data(HL7Acknowledgement.acknowledging(report, problems: problems, controlID: ackID, sentAt: now))
            }
            return ack
        } catch StoreError.conflict(.webhookIDReused) {
            return reject(.controlIDReused(report.header.controlID))
        } catch let StoreError.rule(violation) {
            return reject(.refused(violation.message))
        }
    }

    /// A fresh MSH-10 for a message Swabline writes: the prefix and a random
    /// 64-bit number in base 36, at most 16 characters, inside HL7's 20.
    static func controlID(_ prefix: String) -> String {
        prefix + String(UInt64.random(in: 0...UInt64.max), radix: 36).uppercased()
    }

    /// An ACK as bytes, segments ending in CR.
    static func data(_ message: HL7Message) -> Data { Data(message.encoded().utf8) }
}
