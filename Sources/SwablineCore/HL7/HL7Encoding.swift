/// The five delimiters of an HL7 v2 message, read from its own MSH-1 and
/// MSH-2 rather than assumed: a lab may choose others than `|^~\&`.
///
/// Each is one printable ASCII punctuation byte, and no two are the same,
/// so a message splits the same way whatever its text is (UTF-8 never
/// uses an ASCII byte inside a multi-byte character).
public struct HL7Encoding: Sendable, Hashable {
    public var field: UInt8
    public var component: UInt8
    public var repetition: UInt8
    public var escape: UInt8
    public var subcomponent: UInt8

    /// `|^~\&`, what Swabline writes.
    public static let standard = HL7Encoding(field: 0x7C, component: 0x5E, repetition: 0x7E, escape: 0x5C, subcomponent: 0x26)

    public init(field: UInt8, component: UInt8, repetition: UInt8, escape: UInt8, subcomponent: UInt8) {
        self.field = field
        self.component = component
        self.repetition = repetition
        self.escape = escape
        self.subcomponent = subcomponent
    }

    /// The delimiters of MSH-1 (`field`) and MSH-2 (`characters`, in the
    /// order component, repetition, escape, subcomponent), or nil when they
    /// are not four distinct punctuation characters besides the field
    /// separator. v2.7's fifth character (truncation, `#`) is refused: a
    /// v2.5.1 message has four.
    public init?(field: UInt8, characters: some Collection<UInt8>) {
        let all = [field] + Array(characters)
        guard characters.count == 4, Set(all).count == 5, all.allSatisfy(Self.isDelimiter) else { return nil }
        self.init(field: field, component: all[1], repetition: all[2], escape: all[3], subcomponent: all[4])
    }

    /// MSH-2 as written: component, repetition, escape, subcomponent.
    public var characters: String {
        String(decoding: [component, repetition, escape, subcomponent], as: UTF8.self)
    }

    /// Printable ASCII that is neither a letter, a digit nor a space.
    static func isDelimiter(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) && !(0x30...0x39).contains(byte) && !(0x41...0x5A).contains(byte)
            && !(0x61...0x7A).contains(byte)
    }
}
