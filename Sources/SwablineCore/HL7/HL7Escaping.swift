/// HL7's escape sequences: how a value holds the message's own delimiters.
///
/// Read: `\F\ \S\ \T\ \R\ \E\` give back the field, component,
/// subcomponent, repetition and escape characters; `\Xhh…\` gives the
/// bytes `hh…` (which must be whole UTF-8 characters); `\H\` and `\N\`
/// (highlighting on and off) are dropped; of the formatting commands,
/// `\.br\` and `\.sp\` read as a line break and `\.fi\ \.nf\ \.in…\ \.ti…\
/// \.sk…\ \.ce\` are dropped, since a lab's comment may use them. Anything
/// else (`\C…\`, `\M…\`, `\Z…\`, an empty or an unterminated sequence) is
/// refused: guessing would store a value the lab did not send.
///
/// Written: the five delimiters are escaped, and so are CR and LF (which
/// would end the segment) and the MLLP bytes VT and FS (which would end
/// the frame), as `\X0D\`, `\X0A\`, `\X0B\` and `\X1C\`. What is written
/// reads back as the same string.
public enum HL7Escaping {
    /// `value` as it is written inside a field.
    public static func escape(_ value: String, _ encoding: HL7Encoding = .standard) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count)
        append(value, to: &out, encoding)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value`, escaped, to `out`.
    static func append(_ value: String, to out: inout [UInt8], _ encoding: HL7Encoding) {
        let e = encoding.escape
        for byte in value.utf8 {
            let letter: UInt8? =
                switch byte {
                case encoding.field: UInt8(ascii: "F")
                case encoding.component: UInt8(ascii: "S")
                case encoding.subcomponent: UInt8(ascii: "T")
                case encoding.repetition: UInt8(ascii: "R")
                case encoding.escape: UInt8(ascii: "E")
                default: nil
                }
            if let letter {
                out += [e, letter, e]
            } else if byte == 0x0D || byte == 0x0A || byte == 0x0B || byte == 0x1C {
                out += [e, UInt8(ascii: "X"), hexDigit(byte >> 4), hexDigit(byte & 0x0F), e]
            } else {
                out.append(byte)
            }
        }
    }

    /// The value that `bytes` (a subcomponent as written) stands for, or
    /// nil when it holds an escape sequence that is unknown or unterminated.
    public static func unescape(_ bytes: some Collection<UInt8>, _ encoding: HL7Encoding = .standard) -> String? {
        let e = encoding.escape
        guard bytes.contains(e) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            bytes.formIndex(after: &index)
            guard byte == e else {
                out.append(byte)
                continue
            }
            guard let close = bytes[index...].firstIndex(of: e) else { return nil }
            let sequence = Array(bytes[index..<close])
            index = bytes.index(after: close)
            guard let text = meaning(of: sequence, encoding) else { return nil }
            out += text
        }
        return String(validating: out, as: UTF8.self)
    }

    /// What one escape sequence (without its escape characters) stands for.
    private static func meaning(of sequence: [UInt8], _ encoding: HL7Encoding) -> [UInt8]? {
        guard let first = sequence.first else { return nil }
        if sequence.count == 1 {
            switch first {
            case UInt8(ascii: "F"): return [encoding.field]
            case UInt8(ascii: "S"): return [encoding.component]
            case UInt8(ascii: "T"): return [encoding.subcomponent]
            case UInt8(ascii: "R"): return [encoding.repetition]
            case UInt8(ascii: "E"): return [encoding.escape]
            case UInt8(ascii: "H"), UInt8(ascii: "N"): return []
            default: return nil
            }
        }
        if first == UInt8(ascii: "X") {
            let hex = sequence.dropFirst()
            guard hex.count % 2 == 0 else { return nil }
            var bytes: [UInt8] = []
            var i = hex.startIndex
            while i < hex.endIndex {
                guard let high = hexValue(hex[i]), let low = hexValue(hex[i + 1]) else { return nil }
                bytes.append(high << 4 | low)
                i += 2
            }
            // Whole characters only: half a character would corrupt its neighbours.
            guard String(validating: bytes, as: UTF8.self) != nil else { return nil }
            return bytes
        }
        if first == UInt8(ascii: ".") {
            let command = String(decoding: sequence.dropFirst(), as: UTF8.self)
            if command == "br" || command == "sp" || command.hasPrefix("sp") && Int(command.dropFirst(2)) != nil { return [0x0A] }
            if command == "fi" || command == "nf" || command == "ce" { return [] }
            for prefix in ["in", "ti", "sk"] where command.hasPrefix(prefix) {
                let number = command.dropFirst(2)
                if Int(number.first == "+" || number.first == "-" ? number.dropFirst() : number) != nil { return [] }
            }
        }
        return nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 + value : 0x41 + value - 10
    }
}
