import Foundation
import PropertyBased
import SwablineCore
import Testing
@testable import SwablineStore

/// `roster.csv` and `site.toml` with any bytes: read or refused with
/// named problems, never a crash; what is written as a spreadsheet or an
/// editor would write it reads back the same. The libFuzzer harnesses in
/// `Fuzz/` (FuzzRoster, FuzzSiteTOML) run the same checks for hours.
@Suite("Site files with any bytes")
struct SiteFilePropertyTests {
    @Test("any bytes are UTF-8 text, without its byte-order mark, or named as not UTF-8")
    func encodings() async {
        await propertyCheck(count: 300, input: Gen.frequency((1, SiteText.bytes), (1, SiteText.utf8Bytes))) { bytes in
            switch SiteDirectory.text(Data(bytes), file: "roster.csv") {
            case let .success(text):
                let plain = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
                #expect(Array(text.utf8) == plain)
            case let .failure(problem):
                #expect(problem.why == "is not UTF-8 text")
                #expect(String(validating: bytes, as: UTF8.self) == nil)
            }
        }
    }

    @Test("a file starting with two byte-order marks keeps the second as text (found by the property above)")
    func twoByteOrderMarks() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF]
        #expect(try SiteDirectory.text(Data(bytes), file: "roster.csv").get() == "\u{FEFF}")
    }

    @Test("a roster of any text gives entries that pass every check, or named problems")
    func anyRoster() async {
        await propertyCheck(count: 200, input: SiteText.csvish.array(of: 0...6)) { rows in
            let text = RosterCheck.columns.joined(separator: ",") + "\n" + rows.joined(separator: "\n")
            let (entries, problems) = RosterFile.parse(text, file: "roster.csv")
            for entry in entries {
                #expect(Codes.problem(entry.code) == nil && PersonalData.nationalIDProblem(entry.idNumber) == nil)
                #expect(PersonalData.phoneProblem(entry.phone) == nil && !entry.name.isEmpty)
            }
            for problem in problems { #expect(!problem.why.isEmpty && problem.file == "roster.csv") }
        }
    }

    @Test("a roster written as a spreadsheet writes it (quotes, commas, BOM, CRLF) reads back the same")
    func rosterRoundTrip() async {
        await propertyCheck(count: 100, input: SiteText.entry.array(of: 1...8), Gen.bool(), Gen.bool()) { drafts, bom, crlf in
            // One household per row, codes and ID numbers unique, as the cross-checks want.
            let entries = drafts.enumerated().map { index, draft in
                var entry = draft
                entry.code = "R\(index)"
                entry.idNumber = SiteText.idNumber(sequence: index)
                entry.room = "\(entry.room)\(index)"
                entry.household = RosterEntry.householdKey(building: entry.building, unit: entry.unit, room: entry.room)
                return entry
            }
            let newline = crlf ? "\r\n" : "\n"
            let rows = entries.map { entry in
                [entry.code, entry.name, entry.idNumber, entry.phone, entry.building, entry.unit, entry.room, entry.household,
                    entry.priority ? "1" : "0", entry.singleTube ? "1" : "0"].map(SiteText.csvField).joined(separator: ",")
            }
            let text = ([RosterCheck.columns.joined(separator: ",")] + rows).joined(separator: newline) + newline
            guard case let .success(read) = SiteDirectory.text(Data(((bom ? "\u{FEFF}" : "") + text).utf8), file: "roster.csv")
            else { Issue.record("not read as UTF-8"); return }
            let (parsed, problems) = RosterFile.parse(read, file: "roster.csv")
            #expect(problems.isEmpty, "\(problems)\n\(text)")
            #expect(parsed == entries, "\(text)")
        }
    }

    @Test("a site.toml of any text is a definition that keeps the rules, or named problems")
    func anySiteFile() async {
        await propertyCheck(count: 300, input: SiteText.tomlish) { text in
            switch SiteFile.parse(text, file: "site.toml") {
            case let .success(site):
                #expect(!site.stations.isEmpty && site.opens < site.closes && site.zone.allows(site.poolMode))
            case let .failure(list):
                #expect(!list.problems.isEmpty)
            }
        }
    }

    @Test("a site.toml written with any names reads back as the same definition")
    func siteRoundTrip() async {
        await propertyCheck(count: 100, input: SiteText.site) { site in
            let text = SiteText.toml(site)
            let parsed = SiteFile.parse(text, file: "site.toml")
            #expect((try? parsed.get()) == site, "\(parsed)\n\(text)")
        }
    }

    /// Found by the FuzzSiteTOML harness's rule check: an empty array
    /// passed as "stations listed", leaving a site with no station.
    @Test("a site needs at least one station, however the list is written", arguments: ["stations = []", "", "[stations]"])
    func noStations(_ stations: String) throws {
        let text = SiteText.toml(SiteText.example).replacing(#/\[\[stations\]\][^\[]*/#, with: "") + stations + "\n"
        let problems = try #require(SiteFile.parse(text, file: "site.toml").refusal).problems
        #expect(problems.contains { $0.field == "stations" }, "\(problems)")
    }

    /// Found by the FuzzSiteTOML harness: toml++ 3.4 (inside TOMLKit)
    /// aborts the whole process on a table header that does not start with
    /// a name. The first is the harness's input cut short: the shipped
    /// site.toml with a comment where a station's name should be.
    @Test("a table header without a name is a problem, not an abort", arguments: [
        "id = \"huaxiali\"\n\n[[# city only: the district is not verified\nname = \"1\"", "[[#", "[#", "[ #]", "[=", "[.a]", "[\n",
        "[\r\nid = \"x\"", "[[[a]]]", "  [[ =", "[",
    ])
    func headerWithoutName(_ text: String) throws {
        let problems = try #require(SiteFile.parse(text, file: "site.toml").refusal).problems
        #expect(problems.map(\.field) == ["toml"], "\(problems)")
    }

    /// Found by the FuzzSiteTOML harness: toml++ 3.4 also aborts on a date
    /// and `T` that no time follows, once a `:` comes later in the value.
    /// The first is the harness's input, its comment cut short.
    @Test("a date and T without a time is a problem, not an abort", arguments: [
        "# Os)/g.py\nname =1979-05-27T\"07:30\"台\"", "a=1979-05-27T:", "a=1979-05-27t-:", "a=2022-01-01T+07:30", "a=[1979-05-27T\":\"]",
        "a={b=1979-05-27T_:}", "opens = 2022-04-05T",
    ])
    func dateWithoutTime(_ text: String) throws {
        let problems = try #require(SiteFile.parse(text, file: "site.toml").refusal).problems
        #expect(problems.map(\.field) == ["toml"], "\(problems)")
    }

    /// Found by the FuzzSiteTOML harness: toml++ 3.4 aborts on a `}` where
    /// an array expects its next value. The first is the harness's input.
    @Test("a brace where an array expects a value is a problem, not an abort", arguments: [
        "\t  id\t=\t\t\t\t\t\t\t\t\t\t\t[}\t\t\t\t1 \t\t\t\t\t%\t\t3\t\t\t\t\t\t\top\t\t[", "a=[}", "a=[1,}", "a=[[}]]", "a=[\n# note\n}",
    ])
    func braceAsValue(_ text: String) throws {
        let problems = try #require(SiteFile.parse(text, file: "site.toml").refusal).problems
        #expect(problems.map(\.field) == ["toml"], "\(problems)")
    }

    @Test("what toml++ reads safely is still read: dates with times, brackets inside values")
    func safeTextStillRead() {
        for line in ["a = 1979-05-27T07:32:00Z", "a = 1979-05-27", "a = [[1, 2], [3]]", "name = \"[1号楼]\"", "[ \"quoted\" ]", "[[stations]]",
            "a = { b = [1, 2] }", "a = [\n  1, # one\n  2,\n]", "name = \"号[}号\"", "name = '[,}'"] {
            #expect(SiteFile.unparsableProblem(line, file: "site.toml") == nil, "\(line)")
        }
    }

    @Test("RFC 3339 times written by the store read back to the millisecond and write again the same; any text reads or is refused")
    func timestamps() async {
        await propertyCheck(count: 300, input: Gen.int(in: -2_208_988_800_000...4_102_444_800_000), OddSiteText.string) { millis, text in
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let written = Timestamp.string(date)
            let read = Timestamp.date(written)
            #expect(read.map { abs($0.timeIntervalSince(date)) < 0.0005 } == true, "\(written)")
            #expect(read.map(Timestamp.string) == written, "\(written) read and written again")
            if let read = Timestamp.date(text) { #expect(Timestamp.date(Timestamp.string(read)) != nil) }
        }
    }

    @Test("the store's own reading of a time agrees with Foundation's, offsets and fractions included")
    func timestampsAgreeWithFoundation() async {
        let offsets = ["Z", "z", "+08:00", "-05:30", "+00:00", "-00:00", "+14:00"]
        let fractions = ["", ".5", ".073", ".999", ".123456", ".000000001"]
        await propertyCheck(count: 500, input: Gen.int(in: -2_208_988_800...4_102_444_800)) { seconds in
            let base = String(Timestamp.string(Date(timeIntervalSince1970: Double(seconds))).prefix(19))
            for zone in offsets {
                for fraction in fractions {
                    let text = base + fraction + zone
                    let ours = Timestamp.fields(Array(text.utf8))
                    let foundation = Timestamp.foundationDate(text)
                    #expect(ours != nil, "\(text) left to Foundation")
                    if let ours, let foundation { #expect(abs(ours.timeIntervalSince(foundation)) < 0.000_5, "\(text)") }
                }
            }
        }
        for text in ["2023-02-29T00:00:00Z", "2022-13-01T00:00:00Z", "2022-04-31T00:00:00Z", "2016-12-31T23:59:60Z", "1899-12-31T23:00:00Z"] {
            #expect(Timestamp.fields(Array(text.utf8)) == nil, "\(text) is Foundation's to decide")
        }
        #expect(Timestamp.fields(Array("2024-02-29T12:00:00+08:00".utf8)) == Timestamp.foundationDate("2024-02-29T12:00:00+08:00"))
    }

    /// Found by the round-trip property above: Foundation's formatter cuts
    /// the fraction, so a lab's "….073Z" was stored as "….072Z", and each
    /// further read and write could lose another millisecond.
    @Test("a time with milliseconds is stored as sent", arguments: [
        "2022-04-05T10:30:13.073Z", "2022-04-05T10:30:30.630Z", "2052-03-19T19:08:02.189Z", "1970-01-01T00:00:00.005Z",
        "1969-12-31T23:59:59.999Z",
    ])
    func millisecondsKept(_ text: String) throws {
        #expect(Timestamp.string(try #require(Timestamp.date(text))) == text)
    }

    /// Found by the FuzzCodes harness: Foundation also read a six-digit
    /// year and junk after the seconds, and the store wrote back a time
    /// that neither read again nor sorted as text.
    @Test("text that is not RFC 3339 is not a time", arguments: [
        "182022-04-05T10:30:00.3123456z7123+08:00", "2022-04-05T10:30:00", "2022-04-05T10:30:00.Z", "2022-04-05T10:30:00.1234567890Z",
        "2022-04-05 10:30:00Z", "2022-04-05T10:30:00+0800", "2022-04-05T10:30:00Zjunk", "２０２２-04-05T10:30:00Z", "",
    ])
    func notATime(_ text: String) {
        #expect(Timestamp.date(text) == nil)
    }

    @Test("RFC 3339 in its forms is a time", arguments: [
        "2022-04-05T10:30:00Z", "2022-04-05T10:30:00.5+08:00", "2022-04-05T10:30:00.123456789-05:30",
    ])
    func aTime(_ text: String) {
        #expect(Timestamp.date(text) != nil)
    }
}

extension Result {
    var refusal: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}

/// Text for site files: bytes of any kind, CSV-ish and TOML-ish lines,
/// and valid rosters and sites with odd names.
enum SiteText {
    static let bytes = Gen.uint8().array(of: 0...200)
    static let utf8Bytes = OddSiteText.string.map { Array($0.utf8) }

    /// A roster line: fields, quotes, commas and odd characters.
    static let csvish = Gen.frequency(
        (3, OddSiteText.string),
        (2, Gen<Character?>.element(of: Array(",\"0123456789X1-张 \r\n")).map { $0! }.string(of: 0...80)),
        (1, Gen.always("FFY1,张三,11010519491231002X,13812345678,1,1,101,1-1-101,0,0")))

    /// site.toml lines: keys, values and TOML syntax, shuffled.
    static let tomlish = Gen<String?>.element(of: [
        "id = \"x\"", "name = \"芳\"", "address = \"上海\"", "time_zone = \"Asia/Shanghai\"", "time_zone = \"../../etc/passwd\"",
        "zone = \"sealed\"", "zone = \"precaution\"", "pool_mode = \"pooled20\"", "pool_mode = \"single\"", "lab = \"lab-1\"",
        "opens = \"07:00\"", "closes = \"19:00\"", "opens = \"+7:+0\"", "closes = 19", "[[stations]]", "[stations]", "stations = []",
        "stations = [1, \"a\"]", "[[slots]]", "building = \"1\"", "from = \"07:00\"", "to = \"06:00\"", "id = \"s1\"", "id = \"s 1\"",
        "name = \"\"\"\n多行\"\"\"", "x = {", "= =", "\u{0}", "[[stations.x]]", "a.b.c = 1", "id = '''raw'''", "[a]\n[a]",
        "[[#", "[=", "[.a]", "[ [", "[\"a\"]", "[]", "a = 1979-05-27T:", "a = 1979-05-27T07:32:00Z",
    ]).map { $0! }.array(of: 0...24).map { $0.joined(separator: "\n") }

    static let example = SiteDefinition(
        id: "ffy", name: "芳菲苑", address: "上海市", timeZone: "Asia/Shanghai", zone: .precaution, poolMode: .pooled10, lab: "lab-dian",
        opens: LocalTime("07:00")!, closes: LocalTime("19:00")!, stations: [.init(id: "s1", name: "1号采样台")], slots: [])

    /// A valid site with odd names and addresses.
    static let site = zip(OddSiteText.printable, OddSiteText.printable, Gen.int(in: 0...1438), Gen.int(in: 1...5), Gen.bool())
        .map { name, address, opens, stationCount, slot in
            let closes = opens + 1 + (opens * 7) % (1439 - opens)
            func time(_ minutes: Int) -> LocalTime { LocalTime(String(format: "%02d:%02d", minutes / 60, minutes % 60))! }
            return SiteDefinition(
                id: "site-1", name: name, address: address, timeZone: "Asia/Shanghai", zone: .controlled, poolMode: .pooled5,
                lab: "lab.1", opens: time(opens), closes: time(closes),
                stations: (1...stationCount).map { .init(id: "s\($0)", name: "\(name) \($0)") },
                slots: slot ? [.init(building: address, from: time(opens), to: time(closes))] : [])
        }

    /// A valid roster row; code, ID number and household are set by the caller.
    static let entry = zip(OddSiteText.printable, OddSiteText.printable, Gen.int(in: 3...9), Gen.bool(), Gen.bool())
        .map { name, building, second, priority, single in
            RosterEntry(
                code: "", name: name, idNumber: "", phone: "1\(second)812345678", building: building, unit: "1", room: "1",
                household: "", priority: priority, singleTube: single)
        }

    /// A valid ID number, different for each sequence number.
    static func idNumber(sequence: Int) -> String {
        let first17 = "11010519491231" + String(format: "%03d", sequence % 1000)
        return first17 + String(PersonalData.nationalIDCheckDigit(first17)!)
    }

    /// A CSV field as a spreadsheet writes it: quoted when it holds a comma, a quote or a space.
    static func csvField(_ value: String) -> String {
        value.contains(where: { ",\" ".contains($0) }) ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    /// A TOML basic string: quotes, backslashes and control characters escaped.
    static func tomlString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func toml(_ site: SiteDefinition) -> String {
        var lines = [
            "id = \(tomlString(site.id))", "name = \(tomlString(site.name))", "address = \(tomlString(site.address))",
            "time_zone = \(tomlString(site.timeZone))", "zone = \"\(site.zone.rawValue)\"", "pool_mode = \"\(site.poolMode.rawValue)\"",
            "lab = \(tomlString(site.lab))", "opens = \"\(site.opens)\"", "closes = \"\(site.closes)\"",
        ]
        for station in site.stations { lines += ["", "[[stations]]", "id = \(tomlString(station.id))", "name = \(tomlString(station.name))"] }
        for slot in site.slots { lines += ["", "[[slots]]", "building = \(tomlString(slot.building))", "from = \"\(slot.from)\"", "to = \"\(slot.to)\""] }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Odd text for the store's parsers: delimiters, control characters, odd
/// spaces, full-width digits, CJK, combining marks, emoji, BOMs.
enum OddSiteText {
    static let characters: [Character] = Array(
        "AZaz09-_.:,;\"'\\#=[]{} \t\r\n\r\n\u{0}\u{1B}\u{7F}\u{85}\u{A0}\u{3000}\u{FEFF}\u{200B}\u{202E}"
            + "０１９Ｘ张李核酸楼室é\u{301}👨‍👩‍👧🇨🇳\u{10FFFF}")
    static let string = Gen<Character?>.element(of: characters).map { $0! }.string(of: 0...40)

    /// Text a roster or site field may hold: no control character, no
    /// line break, no space at either end; quotes, commas and CJK welcome.
    static let printable = Gen<Character?>.element(of: Array("Az09-_.,;\"'\\#=[]{}张李核酸楼室é\u{301}👨‍👩‍👧🇨🇳\u{3000}"))
        .map { $0! }.string(of: 1...16).map { "号" + $0 + "号" }
}
