import Foundation

extension LabResultReport {
    /// LOINC 94500-6: SARS-CoV-2 RNA, presence, respiratory specimen, NAA with probe.
    public static let resultLOINC = "94500-6"
    /// SNOMED CT codes read as positive: Detected, Positive.
    public static let positiveCodes: Set<String> = ["260373001", "10828004"]
    /// SNOMED CT codes read as negative: Not detected, Negative.
    public static let negativeCodes: Set<String> = ["260415000", "260385009"]
    /// The versions taken. 2.5 is taken as well as 2.5.1: the ORU^R01
    /// structure with SPM is the same, and some LIS still stamp 2.5.
    public static let versions: Set<String> = ["2.5.1", "2.5"]

    /// Reads an ORU^R01.
    ///
    /// Throws for the message as a whole: MSH-9 not `ORU^R01` (a third
    /// component, when sent, must be `ORU_R01`), MSH-11 not `P` (a
    /// training or debugging message must never isolate anyone: 202),
    /// MSH-12 not 2.5.1 or 2.5, MSH-10 empty or longer than 20, MSH-7
    /// missing or not a time.
    ///
    /// Each OBR group (`[ORC] OBR [NTE] [TQ1] {OBX [NTE]} {SPM {OBX}}`)
    /// becomes one entry. What a group says (all read from before its
    /// first SPM; an OBX after an SPM is about the specimen and ignored):
    /// - the tube: SPM-2.1 (placer id), else SPM-2.2 (filler id), first
    ///   subcomponent, a valid Swabline code; every SPM of the group must
    ///   name the same tube. No SPM or no SPM-2: refused 101.
    /// - the result: the one OBX with OBX-3.1 `94500-6`, OBX-2 `CWE` (or
    ///   `CE`), OBX-11 `F` or `C`, OBX-5.1 a SNOMED CT code; Detected and
    ///   Positive read positive, Not detected and Negative negative, any
    ///   other code invalid (kept in `observedCode`). The coding system
    ///   (OBX-5.3) is not checked: labs write SCT, SNM or SNOMED.
    /// - when: OBX-19 (analysis), else OBX-14 (observation), else OBR-7.
    /// - Ct: the lowest OBX-5 of the group's other numeric (`NM`) OBX
    ///   before SPM, 0–60; an empty one is skipped.
    /// A tube named by an earlier group is refused 205, whether the earlier
    /// one was applied or refused. Segments other than OBR, OBX and SPM
    /// (ORC, NTE, TQ1, Z-segments…) are skipped; a patient's PID or PV1
    /// closes the group before it, so an OBX after it is out of order.
    /// What a lab's SNOMED CT result code says: Detected or Positive,
    /// Not detected or Negative; any other code is read as `invalid` (its
    /// people are sampled again) and the caller keeps the code. HL7 v2 and
    /// FHIR results are read by this one rule.
    public static func result(forCode code: String) -> TubeResult {
        positiveCodes.contains(code) ? .positive : negativeCodes.contains(code) ? .negative : .invalid
    }

    public static func read(_ message: HL7Message) throws(HL7Error) -> LabResultReport {
        let header = try Self.header(message)
        var entries: [Entry] = []
        var seen: Set<String> = []
        for group in Self.groups(message) {
            var entry = Self.entry(group, header: header)
            if let tube = entry.tube {
                if seen.contains(tube) { entry = .refused(tube: tube, error: .duplicateTube(tube, at: group.specimens.first?.at(2) ?? group.obr.location)) }
                seen.insert(tube)
            }
            entries.append(entry)
        }
        return LabResultReport(header: header, entries: entries)
    }

    static func header(_ message: HL7Message) throws(HL7Error) -> Header {
        let msh = message.header
        func at(_ field: Int) -> HL7Location { HL7Location(segment: "MSH", sequence: 1, field: field) }
        let type = msh.field(9) ?? ""
        guard !type.isEmpty else { throw .requiredFieldMissing("the message type ORU^R01^ORU_R01", at: at(9)) }
        guard type.value(component: 1) == "ORU" else { throw .unsupportedMessageType(type.value(component: 1)) }
        guard type.value(component: 2) == "R01" else { throw .unsupportedEvent(type.value(component: 2)) }
        guard ["", "ORU_R01"].contains(type.value(component: 3)) else { throw .unsupportedMessageType(type.value(component: 3)) }
        let version = msh[12]
        guard !version.isEmpty else { throw .requiredFieldMissing("the version 2.5.1", at: at(12)) }
        guard versions.contains(version) else { throw .unsupportedVersion(version) }
        let processing = msh[11]
        guard !processing.isEmpty else { throw .requiredFieldMissing("the processing id P", at: at(11)) }
        guard processing == "P" else { throw .unsupportedProcessingID(processing) }
        let controlID = msh[10]
        guard !controlID.isEmpty else { throw .requiredFieldMissing("the message control id", at: at(10)) }
        guard controlID.count <= 20 else { throw .controlIDTooLong(controlID) }
        let sent = msh[7]
        guard !sent.isEmpty else { throw .requiredFieldMissing("the time of the message", at: at(7)) }
        guard let time = HL7Time(sent) else { throw .badTime(sent, at: at(7)) }
        return Header(
            controlID: controlID, sendingApplication: msh.field(3) ?? "", sendingFacility: msh.field(4) ?? "",
            security: msh[8], messageTime: time.date(), utcOffset: time.utcOffset, version: version,
            characterSet: msh[18]
        )
    }

    /// A segment and where it stands.
    struct Located {
        var segment: HL7Segment
        var sequence: Int
        var location: HL7Location { HL7Location(segment: segment.id, sequence: sequence) }
        func at(_ field: Int, _ component: Int? = nil) -> HL7Location {
            HL7Location(segment: segment.id, sequence: sequence, field: field, component: component)
        }
    }

    /// One OBR and what belongs to it, or a segment out of order.
    struct Group {
        var obr: Located
        /// OBX segments before the first SPM.
        var observations: [Located] = []
        var specimens: [Located] = []
        var outOfOrder: Located?
    }

    static func groups(_ message: HL7Message) -> [Group] {
        var groups: [Group] = []
        var open = false
        for (offset, segment) in message.segments.enumerated().dropFirst() {
            let located = Located(segment: segment, sequence: offset + 1)
            switch segment.id {
            case "OBR":
                groups.append(Group(obr: located))
                open = true
            case "OBX", "SPM":
                guard open else {
                    groups.append(Group(obr: located, outOfOrder: located))
                    continue
                }
                if segment.id == "SPM" {
                    groups[groups.count - 1].specimens.append(located)
                } else if groups[groups.count - 1].specimens.isEmpty {
                    groups[groups.count - 1].observations.append(located)
                }
            case "PID", "PD1", "NK1", "PV1", "PV2":
                open = false
            default:
                continue
            }
        }
        return groups
    }

    static func entry(_ group: Group, header: Header) -> Entry {
        if let out = group.outOfOrder { return .refused(tube: nil, error: .segmentOutOfOrder(out.segment.id, at: out.location)) }
        let tube: String
        do {
            tube = try Self.tube(group)
        } catch {
            return .refused(tube: nil, error: error)
        }
        do {
            return try Self.result(group, tube: tube, header: header)
        } catch {
            return .refused(tube: tube, error: error)
        }
    }

    static func tube(_ group: Group) throws(HL7Error) -> String {
        guard !group.specimens.isEmpty else {
            throw .specimenMissing(placerOrder: group.obr.segment[2], at: group.obr.location)
        }
        var tubes: [String] = []
        for spm in group.specimens {
            let id = spm.segment[2, 1].isEmpty ? spm.segment[2, 2] : spm.segment[2, 1]
            guard !id.isEmpty else { throw .requiredFieldMissing("the tube code", at: spm.at(2)) }
            if let why = Codes.problem(id) { throw .badTubeCode(id, why: why, at: spm.at(2)) }
            if !tubes.contains(id) { tubes.append(id) }
        }
        guard tubes.count == 1 else { throw .severalTubes(tubes, at: group.obr.location) }
        return tubes[0]
    }

    static func result(_ group: Group, tube: String, header: Header) throws(HL7Error) -> Entry {
        let results = group.observations.filter { $0.segment[3] == resultLOINC }
        guard let obx = results.first else { throw .resultMissing(at: group.obr.location) }
        guard results.count == 1 else { throw .severalResults(at: results[1].location) }
        let valueType = obx.segment[2]
        guard !valueType.isEmpty else { throw .requiredFieldMissing("the value type CWE", at: obx.at(2)) }
        guard valueType == "CWE" || valueType == "CE" else { throw .unsupportedValueType(valueType, at: obx.at(2)) }
        let code = obx.segment[5]
        guard !code.isEmpty else { throw .requiredFieldMissing("the result, a SNOMED CT code", at: obx.at(5, 1)) }
        let status = obx.segment[11]
        guard !status.isEmpty else { throw .requiredFieldMissing("the result status F or C", at: obx.at(11)) }
        guard status == "F" || status == "C" else { throw .resultNotFinal(status, at: obx.at(11)) }
        let result = Self.result(forCode: code)
        let testedAt = try Self.testedAt(obx: obx, obr: group.obr, header: header)
        var lowest: Double?
        for other in group.observations where other.segment[2] == "NM" && other.segment[3] != resultLOINC {
            let text = other.segment[5]
            if text.isEmpty { continue }
            guard let ct = Self.number(text) else { throw .notANumber(text, at: other.at(5)) }
            guard (0...60).contains(ct) else { throw .ctOutOfRange(ct, at: other.at(5)) }
            lowest = min(lowest ?? ct, ct)
        }
        return .result(tube: tube, result: result, testedAt: testedAt, ct: lowest, observedCode: code)
    }

    /// OBX-19, else OBX-14, else OBR-7, as an instant.
    static func testedAt(obx: Located, obr: Located, header: Header) throws(HL7Error) -> Date {
        let candidates = [(obx, 19), (obx, 14), (obr, 7)]
        guard let (segment, field) = candidates.first(where: { !$0.0.segment[$0.1].isEmpty }) else {
            throw .requiredFieldMissing("when the tube was tested (OBX-19, OBX-14 or OBR-7)", at: obx.at(19))
        }
        let text = segment.segment[field]
        guard let time = HL7Time(text) else { throw .badTime(text, at: segment.at(field)) }
        guard let date = time.date(defaultOffset: header.utcOffset) else { throw .timeWithoutOffset(text, at: segment.at(field)) }
        return date
    }

    /// An HL7 NM: an optional sign, digits, an optional decimal point.
    /// (Swift's `Double("nan")` and `Double("1e3")` are not NM.)
    static func number(_ text: String) -> Double? {
        var digits = text.utf8[...]
        if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        let points = digits.filter { $0 == UInt8(ascii: ".") }.count
        guard digits.contains(where: { (0x30...0x39).contains($0) }), points <= 1,
            digits.allSatisfy({ (0x30...0x39).contains($0) || $0 == UInt8(ascii: ".") })
        else { return nil }
        return Double(text)
    }
}
