import Foundation

/// A box's manifest as an `OML^O21^OML_O21` (HL7 v2.5.1) order to its lab.
///
/// The OML_O21 structure is `MSH {ORDER}`, an ORDER being `ORC
/// [OBSERVATION_REQUEST]`, that being `OBR … [{SPECIMEN}]`, a SPECIMEN
/// `SPM …`; so each tube is `ORC OBR SPM`, in that order. No patient
/// group: the lab tests tubes, and who is in a tube stays with Swabline
/// (rule 8). Where each fact goes:
///
/// | fact | where |
/// | --- | --- |
/// | Swabline, the site; the lab | MSH-3 `SWABLINE`, MSH-4 site; MSH-6 lab |
/// | the box | ORC-4 (placer group number: the orders that travel together) |
/// | the tube | ORC-2 and OBR-2 (placer order number), SPM-2.1 (placer specimen id) |
/// | the test | OBR-4 `94500-6^SARS-CoV-2 RNA Resp Ql NAA+probe^LN` |
/// | first and last swab | OBR-7 and OBR-8; SPM-17 `first^last` |
/// | throat swab | SPM-4 `258529004^Throat swab^SCT` |
/// | pooled or single | SPM-11 `L` (pool) or `P` (one patient), table 0369 |
/// | people in the tube | SPM-13 (grouped specimen count) |
/// | handed over at the lab | SPM-18 (specimen received), when known |
///
/// Watch for: after a SPECIMEN, OML_O21 also allows a PRIOR_RESULT whose
/// ORDER_PRIOR is `[ORC] OBR … {OBX}`, so a parser that groups greedily
/// (hl7apy does) files the second tube's `ORC OBR` there. The order is
/// valid (ORDER_PRIOR needs an OBX, which never follows), but a lab whose
/// LIS misreads it needs one tube per message.
public enum OrderManifest {
    public static let test = ["94500-6", "SARS-CoV-2 RNA Resp Ql NAA+probe", "LN"]
    public static let throatSwab = ["258529004", "Throat swab", "SCT"]

    /// - Parameters:
    ///   - controlID: MSH-10: 1–20 printable ASCII characters, new per message.
    ///   - sentAt: MSH-7; every time is written on a clock `utcOffset`
    ///     seconds east of UTC (the site's, so the lab reads local times).
    public static func message(_ manifest: BoxManifest, controlID: String, sentAt: Date, utcOffset: Int = 0) -> HL7Message {
        precondition((1...20).contains(controlID.utf8.count), "a control id is 1–20 characters")
        func time(_ date: Date) -> String { HL7Time.string(date, utcOffset: utcOffset) }
        var segments = [
            HL7Segment.header([
                3: HL7Field(HL7Acknowledgement.application), 4: HL7Field(manifest.site), 6: HL7Field(manifest.lab),
                7: HL7Field(time(sentAt)), 9: HL7Field(components: ["OML", "O21", "OML_O21"]), 10: HL7Field(controlID),
                11: "P", 12: "2.5.1", 18: "UNICODE UTF-8",
            ])
        ]
        for (index, tube) in manifest.tubes.enumerated() {
            segments.append(HL7Segment("ORC", [1: "NW", 2: HL7Field(tube.code), 4: HL7Field(manifest.box)]))
            segments.append(
                HL7Segment("OBR", [
                    1: HL7Field(String(index + 1)), 2: HL7Field(tube.code), 4: HL7Field(components: test),
                    7: HL7Field(time(tube.firstSampledAt)), 8: HL7Field(time(tube.lastSampledAt)),
                ]))
            var spm: [Int: HL7Field] = [
                1: "1", 2: HL7Field(tube.code), 4: HL7Field(components: throatSwab),
                11: HL7Field(components: tube.mode.isPooled ? ["L", "Pooled patient specimens", "HL70369"] : ["P", "Patient", "HL70369"]),
                13: HL7Field(String(tube.members)),
                17: HL7Field(components: [time(tube.firstSampledAt), time(tube.lastSampledAt)]),
            ]
            if let handedOverAt = manifest.handedOverAt { spm[18] = HL7Field(time(handedOverAt)) }
            segments.append(HL7Segment("SPM", spm))
        }
        return HL7Message(segments: segments)
    }
}
