/// Where in a message something is wrong: what an ACK's ERR-2 (type ERL)
/// carries, so the lab's LIS can point at the segment and field.
public struct HL7Location: Sendable, Hashable {
    /// The segment's id, e.g. `OBX`.
    public var segment: String
    /// The segment's position among all segments of the message, from 1
    /// (MSH is 1).
    public var sequence: Int
    /// The field number as HL7 counts it (MSH-1 is the field separator).
    public var field: Int?
    public var component: Int?

    public init(segment: String, sequence: Int, field: Int? = nil, component: Int? = nil) {
        self.segment = segment
        self.sequence = sequence
        self.field = field
        self.component = component
    }

    /// `OBX-5.1 (segment 7)`, for sentences.
    public var description: String {
        var text = segment
        if let field { text += "-\(field)" }
        if let component { text += ".\(component)" }
        return text + " (segment \(sequence))"
    }

    /// ERL: segment id ^ sequence ^ field ^ field repetition ^ component.
    /// The repetition is always the first: Swabline reads no other.
    var components: [String] {
        var parts = [segment, String(sequence)]
        if let field {
            parts += [String(field), "1"]
            if let component { parts.append(String(component)) }
        }
        return parts
    }
}
