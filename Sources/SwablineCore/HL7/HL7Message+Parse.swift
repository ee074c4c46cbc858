extension HL7Message {
    /// Reads `text` as an HL7 v2 message.
    ///
    /// Refused: an empty text, more than `maxBytes` or `maxSegments`, a
    /// first segment that is not MSH, MSH-1/MSH-2 that are not five
    /// distinct punctuation characters, a segment id that is not 3
    /// uppercase letters or digits (or a second MSH: batches are not
    /// taken), an unknown or unterminated escape sequence.
    public static func parse(_ text: String) throws(HL7Error) -> HL7Message {
        let bytes = Array(text.utf8)
        guard bytes.count <= maxBytes else { throw .messageTooLarge(bytes: bytes.count) }
        let lines = try Self.lines(bytes)
        guard let first = lines.first else { throw .emptyMessage }
        guard first.starts(with: "MSH".utf8) else { throw .notStartingWithMSH }
        let encoding = try Self.encoding(first)
        var segments: [HL7Segment] = []
        segments.reserveCapacity(lines.count)
        for (offset, line) in lines.enumerated() {
            segments.append(try segment(line, sequence: offset + 1, encoding))
        }
        return HL7Message(encoding: encoding, segments: segments)
    }

    /// The non-empty lines: a segment ends in CR, LF or CRLF.
    private static func lines(_ bytes: [UInt8]) throws(HL7Error) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0D || bytes[index] == 0x0A {
            if index > start {
                guard lines.count < maxSegments else { throw .tooManySegments(count: lines.count + 1) }
                lines.append(bytes[start..<index])
            }
            start = index + 1
        }
        return lines
    }

    /// The delimiters, from MSH-1 and MSH-2.
    private static func encoding(_ msh: ArraySlice<UInt8>) throws(HL7Error) -> HL7Encoding {
        let rest = msh.dropFirst(3)
        guard let field = rest.first else { throw .badEncodingCharacters("") }
        let characters = rest.dropFirst().prefix { $0 != field }
        guard let encoding = HL7Encoding(field: field, characters: characters) else {
            throw .badEncodingCharacters(String(decoding: rest.prefix(characters.count + 1), as: UTF8.self))
        }
        return encoding
    }

    private static func segment(_ line: ArraySlice<UInt8>, sequence: Int, _ encoding: HL7Encoding) throws(HL7Error) -> HL7Segment {
        let idBytes = line.prefix { $0 != encoding.field }
        let id = String(decoding: idBytes, as: UTF8.self)
        let isID = idBytes.count == 3 && idBytes.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }
        guard isID, (id == "MSH") == (sequence == 1) else {
            throw .badSegmentID(id, at: HL7Location(segment: id, sequence: sequence))
        }
        var fields: [HL7Field] = []
        var rest = line.dropFirst(3)
        var number = 1
        if id == "MSH" {
            // MSH-1 is the separator and MSH-2 the characters, as written.
            let characters = rest.dropFirst().prefix { $0 != encoding.field }
            fields = [HL7Field(String(decoding: [encoding.field], as: UTF8.self)), HL7Field(String(decoding: characters, as: UTF8.self))]
            rest = rest.dropFirst(1 + characters.count)
            number = 3
        }
        // `rest` is empty or starts with a field separator.
        guard !rest.isEmpty else { return HL7Segment(id, fields) }
        for text in rest.dropFirst().split(separator: encoding.field, omittingEmptySubsequences: false) {
            fields.append(try field(text, at: HL7Location(segment: id, sequence: sequence, field: number), encoding))
            number += 1
        }
        return HL7Segment(id, fields)
    }

    private static func field(_ text: ArraySlice<UInt8>, at location: HL7Location, _ encoding: HL7Encoding) throws(HL7Error) -> HL7Field {
        var repetitions: [[[String]]] = []
        for repetition in text.split(separator: encoding.repetition, omittingEmptySubsequences: false) {
            var components: [[String]] = []
            for (offset, component) in repetition.split(separator: encoding.component, omittingEmptySubsequences: false).enumerated() {
                var subcomponents: [String] = []
                for subcomponent in component.split(separator: encoding.subcomponent, omittingEmptySubsequences: false) {
                    guard let value = HL7Escaping.unescape(subcomponent, encoding) else {
                        var at = location
                        at.component = offset + 1
                        throw .badEscape(String(decoding: subcomponent, as: UTF8.self), at: at)
                    }
                    subcomponents.append(value)
                }
                components.append(subcomponents)
            }
            repetitions.append(components)
        }
        return HL7Field(repetitions: repetitions)
    }
}
