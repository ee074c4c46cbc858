import Foundation
import Testing
@testable import SwablineCore

/// The HL7 v2 codec: reading messages, a lab's ORU^R01, the ACK Swabline
/// answers, the OML^O21 manifest it sends, and MLLP framing.
@Suite("HL7 v2: messages, results, acknowledgements, manifests")
struct HL7Tests {
    static let msh = "MSH|^~\\&|LIS|LAB-A|SWABLINE||20220405153600+0800||ORU^R01^ORU_R01|LAB-A-000123|P|2.5.1|||AL|NE||UNICODE UTF-8"

    /// One OBR group as a lab sends it: the result OBX, a Ct OBX when given, an SPM, an OBX about the specimen.
    static func group(
        _ tube: String?, code: String = "260415000", status: String = "F", ct: String? = nil,
        analysis: String = "20220405153012+0800"
    ) -> [String] {
        var segments = [
            "ORC|RE|\(tube ?? "")",
            "OBR|1|\(tube ?? "")||94500-6^SARS-CoV-2 RNA Resp Ql NAA+probe^LN|||20220405104000+0800",
            "OBX|1|CWE|94500-6^SARS-CoV-2 RNA Resp Ql NAA+probe^LN||\(code)^x^SCT||||||\(status)|||20220405150000+0800|||||\(analysis)",
        ]
        if let ct { segments.append("OBX|2|NM|94309-2^Ct^LN||\(ct)|||||F") }
        segments.append("NTE|1|L|run 3")
        if let tube { segments.append("SPM|1|\(tube)&SWABLINE^LAB-1||258529004^Throat swab^SCT") }
        segments.append("OBX|1|NM|94309-2^Ct^LN||99|||||F")
        return segments
    }

    static func oru(_ groups: [[String]], msh: String = msh) -> String {
        ([msh] + groups.flatMap { $0 }).joined(separator: "\r") + "\r"
    }

    static func report(_ groups: [[String]], msh: String = msh) throws -> LabResultReport {
        try LabResultReport.read(HL7Message.parse(oru(groups, msh: msh)))
    }

    static let sentAt = Date(timeIntervalSince1970: 1_649_126_400)  // 2022-04-05 02:40:00 UTC

    // MARK: Messages

    @Test("fields are numbered as HL7 numbers them: MSH-1 is the separator, MSH-10 the control id")
    func mshNumbering() throws {
        let message = try HL7Message.parse(Self.oru([]))
        #expect(message.header[1] == "|")
        #expect(message.header[2] == "^~\\&")
        #expect(message.value(of: "MSH", 3) == "LIS")
        #expect(message.value(of: "MSH", 9, 2) == "R01")
        #expect(message.value(of: "MSH", 10) == "LAB-A-000123")
        #expect(message.value(of: "MSH", 99) == "")
        #expect(message.value(of: "PID", 3) == "")
    }

    @Test("repetitions, components, subcomponents and escapes are read")
    func structureAndEscapes() throws {
        let text = Self.msh + "\rNTE|1|L|a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\H\\g\\N\\\\X0D0A\\h\\.br\\i~second|x^y&z^\\XE6A0B8E985B8\\"
        let message = try HL7Message.parse(text)
        let nte = try #require(message.first("NTE"))
        #expect(nte[3] == "a|b^c&d~e\\fg\r\nh\ni")
        #expect(nte.field(3)?.value(repetition: 2) == "second")
        #expect(nte[4, 2, 1] == "y")
        #expect(nte[4, 2, 2] == "z")
        #expect(nte[4, 3] == "核酸")
        #expect(nte[4, 4] == "")
        #expect(nte[4, 2, 3] == "")
    }

    @Test("the delimiters are read from MSH-1 and MSH-2, not assumed")
    func customEncodingCharacters() throws {
        let text = "MSH#*!@%#LIS#LAB#####ORU*R01#C1#P#2.5.1\rNTE#1#L#a|b^c*d%e@F@f@S@\r"
        let message = try HL7Message.parse(text)
        #expect(message.encoding == HL7Encoding(field: UInt8(ascii: "#"), component: UInt8(ascii: "*"), repetition: UInt8(ascii: "!"), escape: UInt8(ascii: "@"), subcomponent: UInt8(ascii: "%")))
        #expect(message.value(of: "MSH", 9, 2) == "R01")
        #expect(message.value(of: "MSH", 10) == "C1")
        let nte = try #require(message.first("NTE"))
        #expect(nte[3, 1, 1] == "a|b^c")
        #expect(nte[3, 2, 1] == "d")
        #expect(nte[3, 2, 2] == "e#f*")
        #expect(try HL7Message.parse(message.encoded()) == message)
    }

    @Test("segments may end in CR, CRLF or LF, with blank lines and a trailing terminator")
    func lineEnds() throws {
        let cr = try HL7Message.parse(Self.oru([Self.group("T-1")]))
        for separator in ["\r\n", "\n", "\r\r\n\n"] {
            let text = ([Self.msh] + Self.group("T-1")).joined(separator: separator) + separator
            #expect(try HL7Message.parse(text) == cr)
        }
        #expect(try HL7Message.parse(Self.msh).segments.count == 1)
    }

    @Test("the encoder escapes what it must and joins segments with CR")
    func encoding() throws {
        var message = HL7Message(segments: [HL7Segment.header([10: "C1"]), HL7Segment("NTE", [3: HL7Field("a|b^c~d\\e&f\rg\nh\u{0B}\u{1C}")])])
        let text = message.encoded()
        #expect(text == "MSH|^~\\&||||||||C1\rNTE|||a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f\\X0D\\g\\X0A\\h\\X0B\\\\X1C\\\r")
        let read = try HL7Message.parse(text)
        #expect(read == message)
        message.encoding = HL7Encoding(field: UInt8(ascii: "!"), characters: Array("$%/#".utf8))!
        #expect(try HL7Message.parse(message.encoded()).first("NTE") == message.segments[1])
    }

    @Test(
        "refused: empty, not MSH, bad delimiters, bad segment ids, bad escapes",
        arguments: [
            ("", HL7Error.emptyMessage),
            ("\r\n\r", .emptyMessage),
            ("PID|1\r", .notStartingWithMSH),
            ("\u{FEFF}MSH|^~\\&\r", .notStartingWithMSH),
            ("MSH", .badEncodingCharacters("")),
            ("MSH|^~\\\r", .badEncodingCharacters("|^~\\")),
            ("MSH|^~\\&#|x\r", .badEncodingCharacters("|^~\\&#")),
            ("MSH|^^\\&|x\r", .badEncodingCharacters("|^^\\&")),
            ("MSH|^~\\A|x\r", .badEncodingCharacters("|^~\\A")),
            ("MSH|^~\\&\rpid|1\r", .badSegmentID("pid", at: HL7Location(segment: "pid", sequence: 2))),
            ("MSH|^~\\&\rPIDX|1\r", .badSegmentID("PIDX", at: HL7Location(segment: "PIDX", sequence: 2))),
            ("MSH|^~\\&\rPI\r", .badSegmentID("PI", at: HL7Location(segment: "PI", sequence: 2))),
            ("MSH|^~\\&\rMSH|^~\\&\r", .badSegmentID("MSH", at: HL7Location(segment: "MSH", sequence: 2))),
            ("MSH|^~\\&\rNTE|1|a^b\\Q\\\r", .badEscape("b\\Q\\", at: HL7Location(segment: "NTE", sequence: 2, field: 2, component: 2))),
            ("MSH|^~\\&\rNTE|1|a\\F\r", .badEscape("a\\F", at: HL7Location(segment: "NTE", sequence: 2, field: 2, component: 1))),
            ("MSH|^~\\&\rNTE|\\X0\\\r", .badEscape("\\X0\\", at: HL7Location(segment: "NTE", sequence: 2, field: 1, component: 1))),
            ("MSH|^~\\&\rNTE|\\XE6\\\r", .badEscape("\\XE6\\", at: HL7Location(segment: "NTE", sequence: 2, field: 1, component: 1))),
            ("MSH|^~\\&\rNTE|\\\\\r", .badEscape("\\\\", at: HL7Location(segment: "NTE", sequence: 2, field: 1, component: 1))),
        ])
    func refusals(_ text: String, _ expected: HL7Error) {
        #expect(throws: expected) { try HL7Message.parse(text) }
    }

    @Test("refused: more than 1 MiB or 20,000 segments")
    func limits() {
        let big = Self.msh + "\rNTE|" + String(repeating: "x", count: HL7Message.maxBytes)
        #expect(throws: HL7Error.messageTooLarge(bytes: big.utf8.count)) { try HL7Message.parse(big) }
        let many = Self.msh + String(repeating: "\rNTE|1", count: HL7Message.maxSegments)
        #expect(throws: HL7Error.tooManySegments(count: HL7Message.maxSegments + 1)) { try HL7Message.parse(many) }
        let most = Self.msh + String(repeating: "\rNTE|1", count: HL7Message.maxSegments - 1)
        #expect((try? HL7Message.parse(most))?.segments.count == HL7Message.maxSegments)
    }

    // MARK: Times

    @Test("a DTM reads with or without seconds, fractions and offset; a missing offset takes the default")
    func times() throws {
        let utc = Date(timeIntervalSince1970: 1_649_143_812)  // 2022-04-05 07:30:12 UTC
        #expect(HL7Time("20220405153012+0800")?.date() == utc)
        #expect(HL7Time("20220405073012+0000")?.date() == utc)
        #expect(HL7Time("20220405003012-0700")?.date() == utc)
        #expect(HL7Time("20220405153012.25+0800")?.date() == utc.addingTimeInterval(0.25))
        #expect(HL7Time("202204051530+0800")?.date() == utc.addingTimeInterval(-12))
        #expect(HL7Time("20220405153012")?.date() == nil)
        #expect(HL7Time("20220405153012")?.date(defaultOffset: 8 * 3600) == utc)
        #expect(HL7Time("20240229000000+0000") != nil)
        for bad in ["", "2022", "20220405", "2022040515", "20220230120000+0000", "20230229000000+0000", "20220405246000",
            "20220405153012+08", "20220405153012+0860", "20220405153012+1500", "20220405153012.+0800",
            "20220405153012.12345", "2022040515301Z", "20220405153012Z", "+2022040515301", "２０２２0405153012"]
        {
            #expect(HL7Time(bad) == nil, "\(bad)")
        }
    }

    @Test("a time is written as YYYYMMDDHHMMSS+ZZZZ on the given clock and reads back")
    func timeFormat() {
        let utc = Date(timeIntervalSince1970: 1_649_143_812.7)
        #expect(HL7Time.string(utc) == "20220405073012+0000")
        #expect(HL7Time.string(utc, utcOffset: 8 * 3600) == "20220405153012+0800")
        #expect(HL7Time.string(utc, utcOffset: -(3 * 3600 + 30 * 60)) == "20220405040012-0330")
        #expect(HL7Time.string(Date(timeIntervalSince1970: -1)) == "19691231235959+0000")
        for offset in [-12 * 3600, -3600, 0, 5 * 3600 + 45 * 60, 14 * 3600] {
            #expect(HL7Time(HL7Time.string(utc, utcOffset: offset))?.date() == Date(timeIntervalSince1970: 1_649_143_812))
        }
    }

    // MARK: ORU^R01

    @Test("positive, negative and any other code; Ct the lowest numeric OBX before SPM")
    func results() throws {
        let report = try Self.report([
            Self.group("T-1", code: "260415000"),
            Self.group("T-2", code: "260373001", ct: "24.31"),
            Self.group("T-3", code: "10828004", ct: "31.2"),
            Self.group("T-4", code: "260385009"),
            Self.group("T-5", code: "125154007"),
        ])
        let testedAt = Date(timeIntervalSince1970: 1_649_143_812)
        #expect(report.entries == [
            .result(tube: "T-1", result: .negative, testedAt: testedAt, ct: nil, observedCode: "260415000"),
            .result(tube: "T-2", result: .positive, testedAt: testedAt, ct: 24.31, observedCode: "260373001"),
            .result(tube: "T-3", result: .positive, testedAt: testedAt, ct: 31.2, observedCode: "10828004"),
            .result(tube: "T-4", result: .negative, testedAt: testedAt, ct: nil, observedCode: "260385009"),
            .result(tube: "T-5", result: .invalid, testedAt: testedAt, ct: nil, observedCode: "125154007"),
        ])
        #expect(report.header.controlID == "LAB-A-000123")
        #expect(report.header.sendingApplication == "LIS")
        #expect(report.header.sendingFacility == "LAB-A")
        #expect(report.header.version == "2.5.1")
        #expect(report.header.characterSet == "UNICODE UTF-8")
        #expect(report.header.messageTime == Date(timeIntervalSince1970: 1_649_143_812 + 348))
        #expect(report.header.utcOffset == 8 * 3600)
    }

    @Test("several numeric OBX: the lowest is the Ct; an OBX after SPM is about the specimen and ignored")
    func lowestCtAndSpecimenOBX() throws {
        var group = Self.group("T-1", code: "260373001", ct: "30.5")
        group.insert("OBX|3|NM|94510-1^N gene Ct^LN||27.25|||||F", at: 4)
        // The group ends with an OBX after SPM holding 99: ignored, or it would be refused.
        let report = try Self.report([group])
        guard case let .result(_, _, _, ct, _) = try #require(report.entries.first) else {
            Issue.record("refused: \(report.entries)")
            return
        }
        #expect(ct == 27.25)
    }

    @Test("a result OBX after SPM does not count: the group has no result")
    func resultAfterSpecimen() throws {
        let group = ["OBR|1|T-1||94500-6^x^LN", "SPM|1|T-1||258529004^Throat swab^SCT", "OBX|1|CWE|94500-6^x^LN||260373001^x^SCT||||||F|||20220405150000+0800"]
        let report = try Self.report([group])
        #expect(report.entries == [.refused(tube: "T-1", error: .resultMissing(at: HL7Location(segment: "OBR", sequence: 2)))])
    }

    @Test("the tube is SPM-2.1, else SPM-2.2")
    func tubeFromFillerID() throws {
        var group = Self.group(nil)
        group.insert("SPM|1|^F-77&LAB||258529004^Throat swab^SCT", at: group.count - 1)
        #expect(try Self.report([group]).entries.first?.tube == "F-77")
    }

    @Test("a missing SPM or SPM-2, a bad or second tube code: that tube refused, the rest applied")
    func tubeRefusals() throws {
        var noCode = Self.group(nil)
        noCode.insert("SPM|1|||258529004^Throat swab^SCT", at: noCode.count - 1)
        var badCode = Self.group(nil)
        badCode.insert("SPM|1|T 1||258529004", at: badCode.count - 1)
        var twoTubes = Self.group("T-8")
        twoTubes.append("SPM|2|T-9||258529004")
        let report = try Self.report([Self.group(nil), noCode, badCode, twoTubes, Self.group("T-1")])
        #expect(report.entries.count == 5)
        #expect(report.entries[0] == .refused(tube: nil, error: .specimenMissing(placerOrder: "", at: HL7Location(segment: "OBR", sequence: 3))))
        #expect(report.entries[1] == .refused(tube: nil, error: .requiredFieldMissing("the tube code", at: HL7Location(segment: "SPM", sequence: 11, field: 2))))
        guard case .refused(nil, .badTubeCode("T 1", _, _)) = report.entries[2] else {
            Issue.record("\(report.entries[2])")
            return
        }
        guard case .refused(nil, .severalTubes(["T-8", "T-9"], _)) = report.entries[3] else {
            Issue.record("\(report.entries[3])")
            return
        }
        #expect(report.entries[4].tube == "T-1")
        if case .result = report.entries[4] {} else { Issue.record("T-1 was not applied") }
        #expect(report.refusals.count == 4)
        #expect(report.refusals.allSatisfy { $0.error.code == 101 || $0.error.code == 102 || $0.error.code == 100 })
    }

    @Test("a tube repeated in one message: the later one is refused with 205")
    func duplicateTube() throws {
        let report = try Self.report([Self.group("T-1"), Self.group("T-2"), Self.group("T-1", code: "260373001")])
        #expect(report.entries.count == 3)
        guard case let .refused("T-1", error) = report.entries[2] else {
            Issue.record("\(report.entries[2])")
            return
        }
        #expect(error.code == 205)
        #expect(error == .duplicateTube("T-1", at: HL7Location(segment: "SPM", sequence: 18, field: 2)))
        if case .result = report.entries[0] {} else { Issue.record("the first T-1 was refused") }
    }

    @Test("result status other than F or C: refused 103; C is applied")
    func resultStatus() throws {
        let report = try Self.report([Self.group("T-1", status: "P"), Self.group("T-2", status: "C"), Self.group("T-3", status: "X")])
        #expect(report.entries[0] == .refused(tube: "T-1", error: .resultNotFinal("P", at: HL7Location(segment: "OBX", sequence: 4, field: 11))))
        #expect(report.entries[0].tube == "T-1")
        if case .result = report.entries[1] {} else { Issue.record("C was refused") }
        #expect(report.refusals.map(\.error.code) == [103, 103])
    }

    @Test("no 94500-6 OBX, two of them, an empty or non-CWE value: refused")
    func resultRefusals() throws {
        let noResult = ["OBR|1|T-1||94500-6^x^LN", "OBX|1|NM|94309-2^Ct^LN||30|||||F", "SPM|1|T-1||258529004"]
        var twoResults = Self.group("T-2")
        twoResults.insert(twoResults[2], at: 3)
        var text = Self.group("T-3")
        text[2] = "OBX|1|ST|94500-6^x^LN||Detected||||||F|||20220405150000+0800"
        var empty = Self.group("T-4")
        empty[2] = "OBX|1|CWE|94500-6^x^LN||||||||F|||20220405150000+0800"
        let report = try Self.report([noResult, twoResults, text, empty])
        #expect(report.refusals.map(\.error.code) == [101, 205, 102, 101])
        #expect(report.refusals.map(\.tube) == ["T-1", "T-2", "T-3", "T-4"])
    }

    @Test("Ct outside 0–60 or not a number: refused 102")
    func badCt() throws {
        let report = try Self.report([
            Self.group("T-1", ct: "61"), Self.group("T-2", ct: "-1"), Self.group("T-3", ct: "nan"), Self.group("T-4", ct: "1e1"),
            Self.group("T-5", ct: "60"), Self.group("T-6", ct: "+.5"), Self.group("T-7", ct: ""),
        ])
        #expect(report.refusals.map(\.tube) == ["T-1", "T-2", "T-3", "T-4"])
        #expect(report.refusals.allSatisfy { $0.error.code == 102 })
        #expect(report.entries.suffix(3).map { entry -> Double? in
            if case let .result(_, _, _, ct, _) = entry { return ct }
            return -1
        } == [60, 0.5, nil])
    }

    @Test("tested time: OBX-19, else OBX-14, else OBR-7; none refused 101")
    func testedTime() throws {
        let fromOBX14 = Self.group("T-1", analysis: "")
        var fromOBR7 = Self.group("T-2", analysis: "")
        fromOBR7[2] = "OBX|1|CWE|94500-6^x^LN||260415000^x^SCT||||||F"
        var none = fromOBR7.map { $0.replacingOccurrences(of: "|||20220405104000+0800", with: "") }
        for index in none.indices where none[index].hasPrefix("SPM") { none[index] = "SPM|1|T-3||258529004" }
        let report = try Self.report([fromOBX14, fromOBR7, none])
        func tested(_ entry: LabResultReport.Entry) -> Date? {
            if case let .result(_, _, testedAt, _, _) = entry { return testedAt }
            return nil
        }
        #expect(tested(report.entries[0]) == HL7Time("20220405150000+0800")?.date())
        #expect(tested(report.entries[1]) == HL7Time("20220405104000+0800")?.date())
        guard case .refused("T-3", .requiredFieldMissing(_, let at)) = report.entries[2] else {
            Issue.record("\(report.entries[2])")
            return
        }
        #expect(at.segment == "OBX" && at.field == 19)
    }

    @Test("a time without an offset takes MSH-7's; when MSH-7 has none, that tube is refused")
    func timeWithoutOffset() throws {
        let local = Self.group("T-1", analysis: "20220405153012")
        let withOffset = try Self.report([local])
        if case let .result(_, _, testedAt, _, _) = withOffset.entries[0] {
            #expect(testedAt == Date(timeIntervalSince1970: 1_649_143_812))
        } else {
            Issue.record("\(withOffset.entries)")
        }
        let noOffset = Self.msh.replacingOccurrences(of: "20220405153600+0800", with: "20220405153600")
        let report = try Self.report([local, Self.group("T-2")], msh: noOffset)
        #expect(report.header.messageTime == nil)
        #expect(report.entries[0] == .refused(tube: "T-1", error: .timeWithoutOffset("20220405153012", at: HL7Location(segment: "OBX", sequence: 4, field: 19))))
        if case .result = report.entries[1] {} else { Issue.record("a time with its own offset was refused") }
        #expect(report.refusals.first?.error.code == 102)
    }

    @Test(
        "the header refuses the whole message",
        arguments: [
            ("ORU^R01^ORU_R01", "P", "2.5.1", "C-1", "20220405153600+0800", nil as HL7Error?),
            ("ORU^R01", "P", "2.5", "C-1", "20220405153600", nil),
            ("ORM^O01", "P", "2.5.1", "C-1", "20220405153600+0800", .unsupportedMessageType("ORM")),
            ("ORU^R30", "P", "2.5.1", "C-1", "20220405153600+0800", .unsupportedEvent("R30")),
            ("ORU^R01^OML_O21", "P", "2.5.1", "C-1", "20220405153600+0800", .unsupportedMessageType("OML_O21")),
            ("", "P", "2.5.1", "C-1", "20220405153600+0800", .requiredFieldMissing("the message type ORU^R01^ORU_R01", at: HL7Location(segment: "MSH", sequence: 1, field: 9))),
            ("ORU^R01", "T", "2.5.1", "C-1", "20220405153600+0800", .unsupportedProcessingID("T")),
            ("ORU^R01", "D", "2.5.1", "C-1", "20220405153600+0800", .unsupportedProcessingID("D")),
            ("ORU^R01", "P", "2.3.1", "C-1", "20220405153600+0800", .unsupportedVersion("2.3.1")),
            ("ORU^R01", "P", "2.5.1", "", "20220405153600+0800", .requiredFieldMissing("the message control id", at: HL7Location(segment: "MSH", sequence: 1, field: 10))),
            ("ORU^R01", "P", "2.5.1", String(repeating: "9", count: 21), "20220405153600+0800", .controlIDTooLong(String(repeating: "9", count: 21))),
            ("ORU^R01", "P", "2.5.1", "C-1", "", .requiredFieldMissing("the time of the message", at: HL7Location(segment: "MSH", sequence: 1, field: 7))),
            ("ORU^R01", "P", "2.5.1", "C-1", "2022-04-05", .badTime("2022-04-05", at: HL7Location(segment: "MSH", sequence: 1, field: 7))),
        ])
    func header(_ type: String, _ processing: String, _ version: String, _ control: String, _ time: String, _ expected: HL7Error?) throws {
        let msh = "MSH|^~\\&|LIS|LAB-A|||\(time)||\(type)|\(control)|\(processing)|\(version)"
        let message = try HL7Message.parse(Self.oru([Self.group("T-1")], msh: msh))
        if let expected {
            #expect(throws: expected) { try LabResultReport.read(message) }
        } else {
            #expect(try LabResultReport.read(message).entries.count == 1)
        }
    }

    @Test("an OBX or SPM before any OBR, or after a new patient's PID, is out of order")
    func outOfOrder() throws {
        let report = try Self.report([["OBX|1|CWE|94500-6^x^LN||260373001^x^SCT||||||F"], Self.group("T-1"), ["PID|1||R-1", "SPM|1|T-2||258529004"]])
        #expect(report.refusals.map(\.error) == [
            .segmentOutOfOrder("OBX", at: HL7Location(segment: "OBX", sequence: 2)),
            .segmentOutOfOrder("SPM", at: HL7Location(segment: "SPM", sequence: 10)),
        ])
        #expect(report.entries.count == 3)
    }

    // MARK: ACK

    @Test("AA when every tube is applied: MSH echoes the lab, MSA-2 its control id, no ERR")
    func acceptAck() throws {
        let report = try Self.report([Self.group("T-1")])
        let ack = HL7Acknowledgement.acknowledging(report, controlID: "ACK-1", sentAt: Self.sentAt, utcOffset: 8 * 3600)
        let text = ack.encoded()
        #expect(text == "MSH|^~\\&|SWABLINE||LIS|LAB-A|20220405104000+0800||ACK^R01^ACK|ACK-1|P|2.5.1||||||UNICODE UTF-8\rMSA|AA|LAB-A-000123\r")
        #expect(try HL7Message.parse(text) == ack)
    }

    @Test("AE with one ERR per refused tube and per problem found while applying")
    func errorAck() throws {
        let report = try Self.report([Self.group("T-1"), Self.group("T-2", status: "P"), Self.group("T-1")])
        let ack = HL7Acknowledgement.acknowledging(
            report, problems: [("T-9", .unknownTube("T-9")), ("T-8", .notApplied(tube: "T-8", why: "its box was not received."))],
            controlID: "ACK-2", sentAt: Self.sentAt)
        let read = try HL7Message.parse(ack.encoded())
        #expect(read.value(of: "MSA", 1) == "AE")
        #expect(read.value(of: "MSA", 2) == "LAB-A-000123")
        let errs = read.segments("ERR").map(\.segment)
        #expect(errs.count == 4)
        #expect(errs[0].field(2) == HL7Field(components: ["OBX", "10", "11", "1"]))
        #expect(errs[0].field(3) == HL7Field(components: ["103", "Table value not found", "HL70357"]))
        #expect(errs[0][4] == "E")
        #expect(errs[0][8].hasPrefix("Tube T-2: "))
        #expect(errs[1].field(2) == HL7Field(components: ["SPM", "18", "2", "1"]))
        #expect(errs[1][3] == "205")
        #expect(errs[1][8].contains("T-1"))
        #expect(errs[2][2] == "" && errs[2][3] == "204" && errs[2][8].contains("T-9"))
        #expect(errs[3][3] == "207" && errs[3][8].contains("T-8"))
    }

    @Test("AR for a message refused as a whole, echoing what could be read")
    func rejectionAck() throws {
        let header = "MSH|^~\\&|LIS^1.2.3^ISO|LAB-A|||20220405153600+0800||ORU^R01|C-77|T|2.5.1"
        let error = try #require(throws: HL7Error.self) { try LabResultReport.read(HL7Message.parse(header)) }
        let ack = try HL7Message.parse(HL7Acknowledgement.rejecting(header, because: error, controlID: "ACK-3", sentAt: Self.sentAt).encoded())
        #expect(ack.value(of: "MSA", 1) == "AR")
        #expect(ack.value(of: "MSA", 2) == "C-77")
        #expect(ack.header.field(5) == HL7Field(components: ["LIS", "1.2.3", "ISO"]))
        #expect(ack.value(of: "ERR", 3) == "202")
        #expect(ack.first("ERR")?.field(2) == HL7Field(components: ["MSH", "1", "11", "1"]))

        // Not even parsed: the control id is read as plainly as possible.
        let broken = "MSH|^~\\&|LIS^x|LAB-A|||20220405+0800||ORU^R01|C-78|P|2.5.1\rpid|1\r"
        let parseError = try #require(throws: HL7Error.self) { try HL7Message.parse(broken) }
        let rejection = HL7Acknowledgement.rejecting(broken, because: parseError, controlID: "ACK-4", sentAt: Self.sentAt)
        #expect(rejection.value(of: "MSA", 2) == "C-78")
        #expect(rejection.value(of: "MSH", 5) == "LIS")
        #expect(rejection.value(of: "ERR", 3) == "100")

        let garbage = HL7Acknowledgement.rejecting("\u{0}garbage", because: .notStartingWithMSH, controlID: "ACK-5", sentAt: Self.sentAt)
        #expect(garbage.value(of: "MSA", 1) == "AR")
        #expect(garbage.value(of: "MSA", 2) == "")
        let long = "MSH|^~\\&|L||||x||ORU^R01|" + String(repeating: "7", count: 30) + "|P|2.5.1"
        #expect(HL7Acknowledgement.rejecting(long, because: .controlIDTooLong(""), controlID: "A", sentAt: Self.sentAt).value(of: "MSA", 2) == String(repeating: "7", count: 20))
    }

    // MARK: OML^O21

    @Test("a box manifest: MSH, then per tube ORC, OBR, SPM with the documented fields")
    func manifest() throws {
        let t0 = Self.sentAt
        let manifest = BoxManifest(box: "BOX-17", site: "SITE-1", lab: "LAB-A", handedOverAt: t0.addingTimeInterval(7200), tubes: [
            .init(code: "T-1", mode: .pooled10, members: 10, firstSampledAt: t0, lastSampledAt: t0.addingTimeInterval(600)),
            .init(code: "T-2", mode: .single, members: 1, firstSampledAt: t0.addingTimeInterval(700), lastSampledAt: t0.addingTimeInterval(700)),
        ])
        let message = try HL7Message.parse(OrderManifest.message(manifest, controlID: "OML-1", sentAt: t0, utcOffset: 8 * 3600).encoded())
        #expect(message.segments.map(\.id) == ["MSH", "ORC", "OBR", "SPM", "ORC", "OBR", "SPM"])
        #expect(message.header.field(9) == HL7Field(components: ["OML", "O21", "OML_O21"]))
        #expect(message.value(of: "MSH", 3) == "SWABLINE")
        #expect(message.value(of: "MSH", 4) == "SITE-1")
        #expect(message.value(of: "MSH", 6) == "LAB-A")
        #expect(message.value(of: "MSH", 7) == "20220405104000+0800")
        #expect(message.value(of: "MSH", 10) == "OML-1")
        #expect(message.value(of: "MSH", 11) == "P")
        #expect(message.value(of: "MSH", 12) == "2.5.1")
        #expect(message.value(of: "MSH", 18) == "UNICODE UTF-8")
        let orc = message.segments("ORC").map(\.segment)
        #expect(orc.map { $0[1] } == ["NW", "NW"])
        #expect(orc.map { $0[2] } == ["T-1", "T-2"])
        #expect(orc.map { $0[4] } == ["BOX-17", "BOX-17"])
        let obr = message.segments("OBR").map(\.segment)
        #expect(obr[0].field(4) == HL7Field(components: ["94500-6", "SARS-CoV-2 RNA Resp Ql NAA+probe", "LN"]))
        #expect(obr.map { $0[1] } == ["1", "2"])
        #expect(obr[0][7] == "20220405104000+0800" && obr[0][8] == "20220405105000+0800")
        let spm = message.segments("SPM").map(\.segment)
        #expect(spm.map { $0[2] } == ["T-1", "T-2"])
        #expect(spm[0].field(4) == HL7Field(components: ["258529004", "Throat swab", "SCT"]))
        #expect(spm.map { $0[11] } == ["L", "P"])
        #expect(spm.map { $0[13] } == ["10", "1"])
        #expect(spm[0].field(17) == HL7Field(components: ["20220405104000+0800", "20220405105000+0800"]))
        #expect(spm[0][18] == "20220405124000+0800")
    }

    // MARK: MLLP

    @Test("MLLP: frames split across reads and several in one read; whitespace between frames")
    func mllpFraming() throws {
        let a = Array("MSH|^~\\&|A\rPID|1\r".utf8)
        let b = Array("MSH|^~\\&|B\r".utf8)
        let stream = MLLPFramer.frame(a) + [0x0D, 0x0A, 0x20] + MLLPFramer.frame(b) + MLLPFramer.frame([])
        var framer = MLLPFramer()
        #expect(try framer.feed(stream) == [a, b, []])
        #expect(framer.isIdle)
        var slow = MLLPFramer()
        var frames: [[UInt8]] = []
        for byte in stream { frames += try slow.feed([byte]) }
        #expect(frames == [a, b, []])
        #expect(MLLPFramer.frame([0x41]) == [0x0B, 0x41, 0x1C, 0x0D])
    }

    @Test("MLLP refusals: a byte outside a frame, a start inside one, FS without CR, a frame too large; an error sticks")
    func mllpRefusals() throws {
        var outside = MLLPFramer()
        #expect(throws: MLLPError.byteOutsideFrame(0x4D)) { try outside.feed(Array("MSH".utf8)) }
        #expect(throws: MLLPError.byteOutsideFrame(0x4D)) { try outside.feed(MLLPFramer.frame([0x41])) }
        var restart = MLLPFramer()
        #expect(throws: MLLPError.startInsideFrame) { try restart.feed([0x0B, 0x41, 0x0B]) }
        var noCR = MLLPFramer()
        #expect(throws: MLLPError.endWithoutCarriageReturn(0x0A)) { try noCR.feed([0x0B, 0x41, 0x1C, 0x0A]) }
        var small = MLLPFramer(maxFrameSize: 3)
        #expect(try small.feed(MLLPFramer.frame([1, 2, 3])) == [[1, 2, 3]])
        #expect(throws: MLLPError.frameTooLarge(limit: 3)) { try small.feed(MLLPFramer.frame([1, 2, 3, 4])) }
        // Frames before a bad byte are returned; the error comes with the next read.
        var late = MLLPFramer()
        #expect(try late.feed(MLLPFramer.frame([0x41]) + [0x58] + MLLPFramer.frame([0x42])) == [[0x41]])
        #expect(!late.isIdle)
        #expect(throws: MLLPError.byteOutsideFrame(0x58)) { try late.feed([]) }
    }
}
