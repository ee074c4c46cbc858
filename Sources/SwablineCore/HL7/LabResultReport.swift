import Foundation

/// A lab's ORU^R01 (HL7 v2.5.1) read into tube results.
///
/// The header decides whether the message is taken at all (`read` throws);
/// each OBR group is then one tube's result or one refusal, in message
/// order, so one bad tube does not hold back a box's other results.
public struct LabResultReport: Sendable, Hashable {
    public struct Header: Sendable, Hashable {
        /// MSH-10, which the ACK's MSA-2 echoes.
        public var controlID: String
        /// MSH-3 and MSH-4 (all components), which the ACK's MSH-5 and MSH-6 echo.
        public var sendingApplication: HL7Field
        public var sendingFacility: HL7Field
        /// MSH-8, as sent; Swabline's own checks (the webhook signature,
        /// the connection) decide who the lab is, not this field.
        public var security: String
        /// MSH-7, when it carries a UTC offset; nil when it does not (then
        /// every other time of the message must carry its own).
        public var messageTime: Date?
        /// MSH-7's offset, which a time without its own takes.
        public var utcOffset: Int?
        /// MSH-12.1: `2.5.1` or `2.5`.
        public var version: String
        /// MSH-18, as sent (e.g. `UNICODE UTF-8`); the text reached the
        /// reader already decoded, so this is for the record only.
        public var characterSet: String
    }

    public enum Entry: Sendable, Hashable {
        /// One tube's result, to apply.
        case result(tube: String, result: TubeResult, testedAt: Date, ct: Double?, observedCode: String)
        /// One OBR group refused; `tube` when it could be read.
        case refused(tube: String?, error: HL7Error)

        public var tube: String? {
            switch self {
            case let .result(tube, _, _, _, _): tube
            case let .refused(tube, _): tube
            }
        }
    }

    public var header: Header
    public var entries: [Entry]

    public init(header: Header, entries: [Entry]) {
        self.header = header
        self.entries = entries
    }

    /// The refused entries, for the ACK.
    public var refusals: [(tube: String?, error: HL7Error)] {
        entries.compactMap { entry in
            if case let .refused(tube, error) = entry { return (tube, error) }
            return nil
        }
    }
}
