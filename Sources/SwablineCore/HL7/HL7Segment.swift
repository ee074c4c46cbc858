/// One field of a segment, unescaped: its repetitions, each a list of
/// components, each a list of subcomponents. Every level has at least one
/// element, so an empty field is `[[[""]]]`.
public struct HL7Field: Sendable, Hashable, ExpressibleByStringLiteral {
    public var repetitions: [[[String]]]

    public init(repetitions: [[[String]]]) {
        self.repetitions = repetitions.isEmpty ? [[[""]]] : repetitions
    }

    /// One value.
    public init(_ value: String) {
        repetitions = [[[value]]]
    }

    /// One repetition of plain components: `HL7Field(components: ["94500-6", "…", "LN"])`.
    public init(components: [String]) {
        repetitions = [components.isEmpty ? [[""]] : components.map { [$0] }]
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// A value, or "" when the field has no such repetition, component or
    /// subcomponent. All three count from 1, as HL7 does.
    public func value(repetition: Int = 1, component: Int = 1, subcomponent: Int = 1) -> String {
        guard repetition >= 1, repetition <= repetitions.count else { return "" }
        let components = repetitions[repetition - 1]
        guard component >= 1, component <= components.count else { return "" }
        let subcomponents = components[component - 1]
        guard subcomponent >= 1, subcomponent <= subcomponents.count else { return "" }
        return subcomponents[subcomponent - 1]
    }

    /// True when nothing is in it: every value empty.
    public var isEmpty: Bool {
        repetitions.allSatisfy { $0.allSatisfy { $0.allSatisfy(\.isEmpty) } }
    }
}

/// One segment: its id and its fields, numbered as HL7 numbers them.
///
/// `fields[0]` is field 1. For MSH, field 1 is the field separator itself
/// and field 2 the encoding characters (so `msh[10]` is the control id);
/// the encoder writes those two from the message's `HL7Encoding`, not
/// from these fields.
public struct HL7Segment: Sendable, Hashable {
    public var id: String
    public var fields: [HL7Field]

    public init(_ id: String, _ fields: [HL7Field]) {
        self.id = id
        self.fields = fields
    }

    /// A segment from its non-empty fields by number: `HL7Segment("MSA", [1: "AA", 2: HL7Field(id)])`.
    public init(_ id: String, _ numbered: [Int: HL7Field]) {
        let count = numbered.keys.filter { $0 >= 1 }.max() ?? 0
        self.init(id, (0..<count).map { numbered[$0 + 1] ?? HL7Field("") })
    }

    /// An MSH whose fields 1 and 2 are `encoding`'s: pass the fields from 3 on.
    public static func header(_ numbered: [Int: HL7Field], encoding: HL7Encoding = .standard) -> HL7Segment {
        var all = numbered
        all[1] = HL7Field(String(decoding: [encoding.field], as: UTF8.self))
        all[2] = HL7Field(encoding.characters)
        return HL7Segment("MSH", all)
    }

    /// Field `number` (from 1), or nil when the segment is shorter.
    public func field(_ number: Int) -> HL7Field? {
        number >= 1 && number <= fields.count ? fields[number - 1] : nil
    }

    /// The first repetition's value; "" when absent.
    public subscript(field: Int, component: Int = 1, subcomponent: Int = 1) -> String {
        self.field(field)?.value(component: component, subcomponent: subcomponent) ?? ""
    }
}
