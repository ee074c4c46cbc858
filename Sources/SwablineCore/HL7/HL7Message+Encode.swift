extension HL7Message {
    /// The message as HL7 text: every value escaped (`HL7Escaping`), each
    /// segment ended by a CR. MSH-1 and MSH-2 are written from `encoding`.
    /// What is written parses back to the same segments.
    public func encoded() -> String {
        var out: [UInt8] = []
        for segment in segments {
            out += segment.id.utf8
            var fields = segment.fields[...]
            if segment.id == "MSH" {
                out.append(encoding.field)
                out += encoding.characters.utf8
                fields = fields.dropFirst(2)
            }
            for field in fields {
                out.append(encoding.field)
                for (r, repetition) in field.repetitions.enumerated() {
                    if r > 0 { out.append(encoding.repetition) }
                    for (c, component) in repetition.enumerated() {
                        if c > 0 { out.append(encoding.component) }
                        for (s, subcomponent) in component.enumerated() {
                            if s > 0 { out.append(encoding.subcomponent) }
                            HL7Escaping.append(subcomponent, to: &out, encoding)
                        }
                    }
                }
            }
            out.append(0x0D)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
