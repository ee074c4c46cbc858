import Foundation

/// The `ACK^R01^ACK` (v2.5.1) Swabline answers a lab's ORU^R01 with.
///
/// MSA-1 is `AA` when every tube was applied, `AE` when some were refused
/// (the others were applied: the lab resends only the refused ones), `AR`
/// when the message as a whole was refused (nothing was applied). One ERR
/// per problem: ERR-2 where, ERR-3 the table 0357 code, ERR-4 `E`, ERR-8
/// a sentence naming the tube.
public enum HL7Acknowledgement {
    /// MSH-3 of everything Swabline sends.
    public static let application = "SWABLINE"

    /// The answer to a report that was read: `AA`, or `AE` with one ERR per
    /// refused entry and per `problems` found while applying (an unknown
    /// tube, a result Swabline's rules refused).
    ///
    /// - Parameters:
    ///   - controlID: this ACK's own MSH-10: 1–20 printable ASCII characters.
    ///   - sentAt: MSH-7, written on a clock `utcOffset` seconds east of UTC.
    public static func acknowledging(
        _ report: LabResultReport, problems: [(tube: String?, error: HL7Error)] = [], controlID: String, sentAt: Date,
        utcOffset: Int = 0
    ) -> HL7Message {
        let all = report.refusals + problems
        return message(
            code: all.isEmpty ? "AA" : "AE", original: report.header.controlID, receiver: report.header.sendingApplication,
            receivingFacility: report.header.sendingFacility, problems: all, controlID: controlID, sentAt: sentAt,
            utcOffset: utcOffset
        )
    }

    /// The answer to a message refused as a whole (`AR`): one that could
    /// not be parsed, or whose header `LabResultReport.read` refused.
    /// MSA-2 and MSH-5/MSH-6 carry what could be read of the original's
    /// MSH-10, MSH-3 and MSH-4, possibly nothing; a control id longer than
    /// 20 characters is cut to 20 so the ACK itself stays valid.
    public static func rejecting(
        _ text: String, because error: HL7Error, controlID: String, sentAt: Date, utcOffset: Int = 0
    ) -> HL7Message {
        let original = (try? HL7Message.parse(text)).map { $0.header } ?? Self.salvagedHeader(text)
        return message(
            code: "AR", original: String(original[10].prefix(20)), receiver: original.field(3) ?? "",
            receivingFacility: original.field(4) ?? "", problems: [(nil, error)], controlID: controlID, sentAt: sentAt,
            utcOffset: utcOffset
        )
    }

    static func message(
        code: String, original: String, receiver: HL7Field, receivingFacility: HL7Field,
        problems: [(tube: String?, error: HL7Error)], controlID: String, sentAt: Date, utcOffset: Int
    ) -> HL7Message {
        precondition((1...20).contains(controlID.utf8.count), "an ACK's control id is 1–20 characters")
        let msh = HL7Segment.header([
            3: HL7Field(application), 5: receiver, 6: receivingFacility,
            7: HL7Field(HL7Time.string(sentAt, utcOffset: utcOffset)), 9: HL7Field(components: ["ACK", "R01", "ACK"]),
            10: HL7Field(controlID), 11: "P", 12: "2.5.1", 18: "UNICODE UTF-8",
        ])
        let msa = HL7Segment("MSA", [1: HL7Field(code), 2: HL7Field(original)])
        return HL7Message(segments: [msh, msa] + problems.map { err($0.tube, $0.error) })
    }

    /// One ERR: ERR-2 location, ERR-3 `code^text^HL70357`, ERR-4 `E`, ERR-8
    /// the sentence, which names the tube when it is known.
    static func err(_ tube: String?, _ error: HL7Error) -> HL7Segment {
        var sentence = error.message
        if let tube, !sentence.contains(tube) { sentence = "Tube \(tube): " + sentence }
        return HL7Segment("ERR", [
            2: HL7Field(components: error.location?.components ?? []),
            3: HL7Field(components: [String(error.code), error.codeText, "HL70357"]),
            4: "E",
            8: HL7Field(sentence),
        ])
    }

    /// MSH-3, MSH-4 and MSH-10 of a message that does not parse, read as
    /// plainly as possible: the first line split at its fourth byte, the
    /// first component when MSH-2 names one, escapes left as they are.
    static func salvagedHeader(_ text: String) -> HL7Segment {
        let line = text.utf8.prefix { $0 != 0x0D && $0 != 0x0A }
        guard line.starts(with: "MSH".utf8), line.count > 3 else { return HL7Segment("MSH", []) }
        let separator = line[line.index(line.startIndex, offsetBy: 3)]
        let parts = line.dropFirst(4).split(separator: separator, omittingEmptySubsequences: false)
        let component = parts.first?.first
        // parts[0] is MSH-2, so MSH-n is parts[n - 2].
        func field(_ number: Int) -> HL7Field {
            guard number - 2 < parts.count else { return "" }
            var value = parts[number - 2][...]
            if let component, HL7Encoding.isDelimiter(component) { value = value.prefix { $0 != component } }
            let text = String(decoding: value, as: UTF8.self)
            return HL7Field(String(text.prefix(number == 10 ? 20 : 180)))
        }
        return HL7Segment("MSH", [HL7Field(String(decoding: [separator], as: UTF8.self)), HL7Field(""), field(3), field(4), "", "", "", "", "", field(10)])
    }
}
