/// Everything that can be wrong with an HL7 message Swabline reads. Each
/// case reads like the rule it protects; `code` is its HL7 table 0357
/// code (what an ACK's ERR-3 carries), `location` the place for ERR-2,
/// and `message` a sentence the lab's staff can act on.
///
/// Some cases refuse the whole message (the message could not be read,
/// or its header is not an ORU^R01 Swabline takes); the others refuse one
/// tube's result while the rest of the message is applied
/// (`LabResultReport.Entry.refused`).
public enum HL7Error: Error, Sendable, Hashable {
    // The message as a whole could not be read.
    case emptyMessage
    /// Bigger than `HL7Message.maxBytes`.
    case messageTooLarge(bytes: Int)
    /// More segments than `HL7Message.maxSegments`.
    case tooManySegments(count: Int)
    case notStartingWithMSH
    /// MSH-1 and MSH-2 are not five distinct punctuation characters.
    case badEncodingCharacters(String)
    /// A segment id is 3 uppercase letters or digits, and only the first
    /// segment is an MSH.
    case badSegmentID(String, at: HL7Location)
    case badEscape(String, at: HL7Location)

    // Fields.
    case requiredFieldMissing(String, at: HL7Location)
    /// Not a DTM Swabline reads: `YYYYMMDDHHMM[SS[.S{1,4}]][+/-ZZZZ]`.
    case badTime(String, at: HL7Location)
    /// A time without an offset in a message whose MSH-7 has none either:
    /// Swabline needs absolute times.
    case timeWithoutOffset(String, at: HL7Location)
    /// MSH-10 is at most 20 characters in v2.5.1, and the ACK echoes it.
    case controlIDTooLong(String)

    // The header: a message Swabline does not take.
    case unsupportedMessageType(String)
    case unsupportedEvent(String)
    case unsupportedProcessingID(String)
    case unsupportedVersion(String)

    // One tube's result.
    /// An OBR group with no SPM: no tube to apply the result to.
    /// `placerOrder` is OBR-2, for the sentence.
    case specimenMissing(placerOrder: String, at: HL7Location)
    /// A segment where the ORU^R01 structure has none (an OBX or SPM
    /// before any OBR).
    case segmentOutOfOrder(String, at: HL7Location)
    /// An OBR group with no OBX for LOINC 94500-6 before its SPM.
    case resultMissing(at: HL7Location)
    /// Two 94500-6 OBX segments in one OBR group.
    case severalResults(at: HL7Location)
    /// One OBR group whose SPM segments name different tubes.
    case severalTubes([String], at: HL7Location)
    case badTubeCode(String, why: String, at: HL7Location)
    /// The same tube in two OBR groups of one message: the later is refused.
    case duplicateTube(String, at: HL7Location)
    /// OBX-11 is neither F (final) nor C (corrected).
    case resultNotFinal(String, at: HL7Location)
    /// OBX-2 of the result is not CWE (or CE, its older name).
    case unsupportedValueType(String, at: HL7Location)
    case notANumber(String, at: HL7Location)
    case ctOutOfRange(Double, at: HL7Location)

    // Found when the result was applied (for the ACK).
    /// No such tube was shipped to this lab.
    case unknownTube(String)
    /// The result was read but Swabline's rules refused it (a tube whose
    /// box was not received, a time that cannot be true…).
    case notApplied(tube: String, why: String)
    /// The sender is not a lab Swabline knows with that key (MSH-4 the
    /// lab, MSH-8 its MLLP key): nothing read, nothing applied.
    case unknownSender(String)
    /// MSH-10 was already used by this lab for a different message;
    /// nothing in this one was applied.
    case controlIDReused(String)
    /// The results were read but none applied: a rule refused the message
    /// as a whole (a `tested_at` that cannot be true).
    case refused(String)

    /// HL7 table 0357.
    public var code: Int {
        switch self {
        case .notStartingWithMSH, .badSegmentID, .segmentOutOfOrder, .severalTubes, .tooManySegments: 100
        case .requiredFieldMissing, .resultMissing, .specimenMissing: 101
        case .badEncodingCharacters, .badEscape, .badTime, .timeWithoutOffset, .controlIDTooLong, .badTubeCode,
            .unsupportedValueType, .notANumber, .ctOutOfRange:
            102
        case .resultNotFinal: 103
        case .unsupportedMessageType: 200
        case .unsupportedEvent: 201
        case .unsupportedProcessingID: 202
        case .unsupportedVersion: 203
        case .unknownTube, .unknownSender: 204
        case .duplicateTube, .severalResults, .controlIDReused: 205
        case .emptyMessage, .messageTooLarge, .notApplied, .refused: 207
        }
    }

    /// The text of table 0357 for `code`, ERR-3.2.
    public var codeText: String {
        switch code {
        case 100: "Segment sequence error"
        case 101: "Required field missing"
        case 102: "Data type error"
        case 103: "Table value not found"
        case 200: "Unsupported message type"
        case 201: "Unsupported event code"
        case 202: "Unsupported processing id"
        case 203: "Unsupported version id"
        case 204: "Unknown key identifier"
        case 205: "Duplicate key identifier"
        default: "Application internal error"
        }
    }

    /// Where the problem is, for ERR-2; nil for the message as a whole.
    public var location: HL7Location? {
        switch self {
        case .emptyMessage, .messageTooLarge, .tooManySegments, .unknownTube, .notApplied, .refused: nil
        case .unknownSender: HL7Location(segment: "MSH", sequence: 1, field: 8)
        case .controlIDReused: HL7Location(segment: "MSH", sequence: 1, field: 10)
        case .notStartingWithMSH: HL7Location(segment: "MSH", sequence: 1)
        case .badEncodingCharacters: HL7Location(segment: "MSH", sequence: 1, field: 2)
        case .controlIDTooLong: HL7Location(segment: "MSH", sequence: 1, field: 10)
        case .unsupportedMessageType: HL7Location(segment: "MSH", sequence: 1, field: 9, component: 1)
        case .unsupportedEvent: HL7Location(segment: "MSH", sequence: 1, field: 9, component: 2)
        case .unsupportedProcessingID: HL7Location(segment: "MSH", sequence: 1, field: 11)
        case .unsupportedVersion: HL7Location(segment: "MSH", sequence: 1, field: 12)
        case let .badSegmentID(_, at), let .badEscape(_, at), let .requiredFieldMissing(_, at), let .badTime(_, at),
            let .timeWithoutOffset(_, at), let .segmentOutOfOrder(_, at), let .specimenMissing(_, at), let .resultMissing(at), let .severalResults(at),
            let .severalTubes(_, at), let .badTubeCode(_, _, at), let .duplicateTube(_, at), let .resultNotFinal(_, at),
            let .unsupportedValueType(_, at), let .notANumber(_, at), let .ctOutOfRange(_, at):
            at
        }
    }

    /// A sentence the lab's staff can act on.
    public var message: String {
        switch self {
        case .emptyMessage:
            "The message is empty."
        case let .messageTooLarge(bytes):
            "The message is \(bytes) bytes; Swabline takes at most \(HL7Message.maxBytes). Send the results in several messages."
        case let .tooManySegments(count):
            "The message has \(count) segments; Swabline takes at most \(HL7Message.maxSegments). Send the results in several messages."
        case .notStartingWithMSH:
            "The message does not start with an MSH segment."
        case let .badEncodingCharacters(text):
            "MSH-1 and MSH-2 (\(text.debugDescription)) must be five different punctuation characters, such as |^~\\&."
        case let .badSegmentID(id, at):
            "Segment \(at.sequence) has the id \(id.debugDescription): a segment id is 3 uppercase letters or digits, and only the first segment is an MSH."
        case let .badEscape(text, at):
            "\(at.description) holds an unknown or unterminated escape sequence: \(text.debugDescription)."
        case let .requiredFieldMissing(what, at):
            "\(at.description) is empty; it must hold \(what)."
        case let .badTime(text, at):
            "\(at.description) is \(text.debugDescription), not a time of the form YYYYMMDDHHMM[SS[.SSSS]][+/-ZZZZ]."
        case let .timeWithoutOffset(text, at):
            "\(at.description) is \(text.debugDescription), a time without a UTC offset, and MSH-7 has none either: send the offset (+0800)."
        case let .controlIDTooLong(id):
            "MSH-10 \(id.debugDescription) is longer than the 20 characters of HL7 v2.5.1."
        case let .unsupportedMessageType(type):
            "Swabline takes ORU^R01 results; MSH-9 is \(type.debugDescription)."
        case let .unsupportedEvent(event):
            "Swabline takes ORU^R01 results; the event in MSH-9 is \(event.debugDescription)."
        case let .unsupportedProcessingID(id):
            "MSH-11 is \(id.debugDescription): Swabline applies production messages (P) only, so a test message never isolates anyone."
        case let .unsupportedVersion(version):
            "MSH-12 is \(version.debugDescription): Swabline reads HL7 v2.5.1 (or 2.5)."
        case let .segmentOutOfOrder(id, at):
            "\(at.description): an ORU^R01 has no \(id) before the first OBR."
        case let .specimenMissing(placerOrder, at):
            "The OBR group at \(at.description)\(placerOrder.isEmpty ? "" : " (placer order \(placerOrder))") has no SPM segment naming the tube in SPM-2."
        case let .resultMissing(at):
            "The OBR group at \(at.description) has no OBX for LOINC 94500-6 before its SPM."
        case let .severalResults(at):
            "\(at.description) is a second OBX for LOINC 94500-6 in one OBR group: send one result per tube."
        case let .severalTubes(tubes, at):
            "The OBR group at \(at.description) names tubes \(tubes.joined(separator: ", ")): one result must name one tube."
        case let .badTubeCode(code, why, at):
            "\(at.description): the tube code \(code.debugDescription) \(why)."
        case let .duplicateTube(tube, at):
            "Tube \(tube) appears again at \(at.description): a tube's result is sent once per message; this one was not applied."
        case let .resultNotFinal(status, at):
            "\(at.description) is \(status.debugDescription): Swabline applies final (F) or corrected (C) results only."
        case let .unsupportedValueType(type, at):
            "\(at.description) is \(type.debugDescription): the result is a coded value (CWE)."
        case let .notANumber(text, at):
            "\(at.description) is \(text.debugDescription), not a number."
        case let .ctOutOfRange(ct, at):
            "\(at.description): the Ct value \(ct) is outside 0–60."
        case let .unknownTube(tube):
            "Tube \(tube) was not shipped to this lab."
        case let .notApplied(tube, why):
            "The result for tube \(tube) was not applied: \(why)"
        case let .unknownSender(lab):
            "MSH-4 \(lab.debugDescription) with this MSH-8 is not a lab Swabline knows: use the lab id and the key `swabline labs mllp-key` prints."
        case let .controlIDReused(id):
            "MSH-10 \(id.debugDescription) was already used for a different message; nothing in this one was applied. Give every new message a new MSH-10."
        case let .refused(why):
            "Nothing in this message was applied: \(why)"
        }
    }
}
