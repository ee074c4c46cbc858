/// An HL7 v2 message read into segments, fields, repetitions, components
/// and subcomponents, with every value unescaped.
///
/// Reading is strict where a mistake would change what a value means
/// (the delimiters are taken from MSH-1 and MSH-2, an unknown escape is
/// refused) and lenient where it cannot (segments may end in CR, CRLF or
/// LF, blank lines and a trailing terminator are skipped). `""`, HL7's
/// explicit null, is kept as the two characters: Swabline never deletes
/// on a lab's word.
public struct HL7Message: Sendable, Hashable {
    /// 1 MiB of UTF-8: a box of tubes' results is a few hundred KB at
    /// most, and a bound keeps one message from holding the lab's queue.
    public static let maxBytes = 1 << 20
    /// 20,000 segments: a full box's results with room to spare.
    public static let maxSegments = 20_000

    public var encoding: HL7Encoding
    public var segments: [HL7Segment]

    public init(encoding: HL7Encoding = .standard, segments: [HL7Segment]) {
        self.encoding = encoding
        self.segments = segments
    }

    /// The MSH segment (every parsed message has one first).
    public var header: HL7Segment { segments.first ?? HL7Segment("MSH", []) }

    /// The segments with this id and their position among all segments,
    /// from 1 (the sequence an ERR-2 names).
    public func segments(_ id: String) -> [(sequence: Int, segment: HL7Segment)] {
        segments.enumerated().filter { $0.element.id == id }.map { ($0.offset + 1, $0.element) }
    }

    /// The first segment with this id.
    public func first(_ id: String) -> HL7Segment? {
        segments.first { $0.id == id }
    }

    /// A value of the first segment with this id: `value(of: "MSH", 10)`
    /// is the control id. "" when absent.
    public func value(of id: String, _ field: Int, _ component: Int = 1, _ subcomponent: Int = 1) -> String {
        first(id)?[field, component, subcomponent] ?? ""
    }
}
