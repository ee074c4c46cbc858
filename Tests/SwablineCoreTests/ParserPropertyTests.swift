import PropertyBased
import Testing
@testable import SwablineCore

/// What scanners, rosters and walk-in forms type, checked with any text:
/// never a crash, only what each check documents is accepted, and the
/// round trips hold. The libFuzzer harnesses in `Fuzz/` run the same
/// checks for hours; these are the short version `swift test` runs.
@Suite("Codes, ID and phone numbers, times and roster rows, with any text")
struct ParserPropertyTests {
    @Test("a code is accepted exactly when it is 1–64 letters, digits, '-', '_' or '.'")
    func codes() async {
        await propertyCheck(count: 500, input: OddText.string) { text in
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".utf8)
            let valid = (1...Codes.maxLength).contains(text.utf8.count) && text.utf8.allSatisfy(allowed.contains)
            #expect((Codes.problem(text) == nil) == valid, "\(text.debugDescription)")
        }
        await propertyCheck(input: Gen<Character?>.element(of: Array("AZaz09-_.")).map { $0! }.string(of: 1...64)) { code in
            #expect(Codes.problem(code) == nil)
        }
    }

    @Test("an ID number made with its check digit and a real birth date is valid; one changed digit is not")
    func nationalIDRoundTrip() async {
        await propertyCheck(count: 300, input: Self.first17, Gen.int(in: 0...16), Gen.int(in: 1...9)) { first17, position, change in
            let check = PersonalData.nationalIDCheckDigit(first17)!
            let id = first17 + String(check)
            #expect(PersonalData.nationalIDProblem(id) == nil, "\(id)")
            #expect(PersonalData.nationalIDProblem(id.lowercased()) == nil, "a lowercase x is the same number")
            // MOD 11-2 catches every single changed digit.
            var digits = Array(first17.utf8)
            digits[position] = UInt8(ascii: "0") + UInt8((Int(digits[position] - UInt8(ascii: "0")) + change) % 10)
            let typo = String(decoding: digits, as: UTF8.self) + String(check)
            #expect(PersonalData.nationalIDProblem(typo) != nil, "\(typo) passed as \(id)")
            #expect(PersonalData.maskNationalID(id) == id.prefix(3) + String(repeating: "*", count: 11) + id.suffix(4))
        }
    }

    @Test("ID and phone numbers: any text is refused with a reason or is the documented shape")
    func personalNumbers() async {
        await propertyCheck(count: 500, input: OddText.string) { text in
            if PersonalData.nationalIDProblem(text) == nil {
                #expect(text.count == 18 && text.uppercased().allSatisfy { $0.isASCII && ($0.isNumber || $0 == "X") })
            }
            if PersonalData.phoneProblem(text) == nil {
                #expect(text.utf8.count == 11 && text.utf8.allSatisfy { (0x30...0x39).contains($0) })
            }
            for masked in [PersonalData.maskNationalID(text), PersonalData.maskPhone(text)] {
                #expect(Self.shown(masked) <= 7, "rule 8: \(text.debugDescription) masked as \(masked.debugDescription)")
                if text.allSatisfy(\.isASCII) { #expect(masked.count == text.count) }
            }
        }
        await propertyCheck(input: Gen.int(in: 3...9), Gen.number.string(of: 9)) { second, rest in
            #expect(PersonalData.phoneProblem("1\(second)\(rest)") == nil)
        }
    }

    @Test("a phone or ID number typed in groups is masked, whatever single spaces, dashes or dots split it")
    func numbersInGroupsAreMasked() async {
        let separator = Gen<Character?>.element(of: Array(" -.")).map { $0! }
        let around = Gen<(String, String)?>.element(of: [("", ""), ("called ", " twice"), ("电话：", "，身份证"), ("id ", "."), ("(", ")-")]).map { $0! }
        await propertyCheck(count: 500, input: Gen.number.string(of: 11...18), Gen.bool().array(of: 17), separator.array(of: 17), around) {
            digits, breaks, separators, around in
            var number = ""
            for (index, digit) in digits.enumerated() {
                if index > 0, breaks[index - 1] { number.append(separators[index - 1]) }
                number.append(digit)
            }
            let text = around.0 + number + around.1
            let masked = PersonalData.maskNumbers(in: text)
            let shown = masked.filter { $0.isASCII && $0.isNumber }
            #expect(String(shown) == digits.prefix(3) + digits.suffix(4), "rule 8: \(text.debugDescription) masked as \(masked.debugDescription)")
            // Only digits turn into stars: the text around and the separators stay as typed.
            func shape(_ text: String) -> [Character] { text.map { $0 == "*" || ($0.isASCII && $0.isNumber) ? "0" : $0 } }
            #expect(shape(masked) == shape(text), "\(text.debugDescription) masked as \(masked.debugDescription)")
        }
        #expect(PersonalData.maskNumbers(in: "called 139 1234 5678 and 153-6313-5090") == "called 139 **** 5678 and 153-****-5090")
        #expect(PersonalData.maskNumbers(in: "id 310110193307232813.") == "id 310***********2813.")
        #expect(PersonalData.maskNumbers(in: "11010519491231002X") == "110***********002X")
        // Short numbers, times and dates are not personal numbers.
        for kept in ["slot 3, retest", "ticket A042", "2022-04-05 10:30", "box B-17 at 4.5 °C", "1-1-202", "9 - 10 - 11"] {
            #expect(PersonalData.maskNumbers(in: kept) == kept)
        }
    }

    @Test("a time of day reads only as HH:MM, and every minute reads back as written")
    func localTime() async {
        for hour in 0..<24 {
            for minute in 0..<60 {
                let text = Self.pad(hour, 2) + ":" + Self.pad(minute, 2)
                #expect(LocalTime(text)?.description == text)
                #expect(LocalTime(text)?.minutes == hour * 60 + minute)
            }
        }
        for text in ["24:00", "07:60", "7:30", "07:3", "0730", ":", ""] { #expect(LocalTime(text) == nil, "\(text)") }
        await propertyCheck(count: 500, input: Gen.frequency((1, OddText.string), (2, OddText.timeLike))) { text in
            if let time = LocalTime(text) { #expect(time.description == text, "\(text.debugDescription) read as \(time)") }
        }
    }

    /// Found by the FuzzCodes harness: a combining mark (U+065A) after a
    /// control character is a character of its own, and in the mask it
    /// joins the star before it. Still only 3 + 4 characters show.
    @Test("a mask shows at most the first 3 and last 4 characters, whatever they are")
    func maskOfOddText() {
        let text = "0\0\u{0E}\u{065A}.qSu7:731\0\u{0E}\u{065A}.qS"
        #expect(PersonalData.maskNationalID(text) == "0\0\u{0E}" + String(repeating: "*", count: 12) + "\u{065A}.qS")
        #expect(Self.shown(PersonalData.maskPhone("13812345678")) == 7)
        #expect(PersonalData.maskPhone("１３８１２３４５６７８") == "１３８****５６７８")
    }

    /// How many digits (of any script) a masked value shows.
    static func shown(_ masked: String) -> Int {
        masked.unicodeScalars.filter { $0.properties.numericType != nil }.count
    }

    /// Found by `Fuzz/run.sh` (FuzzCodes): `Int` takes a sign, so these
    /// read as 07:00, 00:22 and 00:30.
    @Test("a sign or a non-ASCII digit is not a time", arguments: ["+7:+0", "+0:22", "-0:30", "0７:30", "07:30\n", "٠٧:٣٠"])
    func signedTime(_ text: String) {
        #expect(LocalTime(text) == nil)
    }

    @Test("a roster row of any text is an entry only when every field is valid; a valid row reads back as written")
    func rosterRows() async {
        let columns = RosterCheck.columns
        await propertyCheck(count: 300, input: Gen.frequency((1, OddText.string), (1, OddText.fieldLike)).array(of: columns.count)) { values in
            let fields = Dictionary(uniqueKeysWithValues: zip(columns, values))
            guard case let .success(entry) = RosterCheck.entry(fields, file: "roster.csv", line: 2) else { return }
            #expect(Codes.problem(entry.code) == nil && PersonalData.nationalIDProblem(entry.idNumber) == nil)
            #expect(PersonalData.phoneProblem(entry.phone) == nil)
            for field in [entry.name, entry.building, entry.unit, entry.room, entry.household] {
                #expect(!field.isEmpty && field == field.trimmingWhitespace())
                #expect(!field.unicodeScalars.contains { $0.properties.generalCategory == .control })
            }
        }
        await propertyCheck(input: Self.first17, OddText.name, Gen.bool(), Gen.bool()) { first17, name, priority, single in
            let id = first17 + String(PersonalData.nationalIDCheckDigit(first17)!)
            let fields = [
                "resident_code": "R-\(first17.suffix(6))", "name": " \(name) ", "id_number": id.lowercased(), "phone": "13812345678",
                "building": "12", "unit": "3", "room": "1502", "household": "12-3-1502", "priority": priority ? "yes" : "0",
                "single_tube": single ? "TRUE" : "n",
            ]
            let entry = try RosterCheck.entry(fields, file: "roster.csv", line: 2).get()
            #expect(entry.name == name && entry.idNumber == id && entry.priority == priority && entry.singleTube == single)
        }
    }

    /// 17 digits an ID number starts with: a region, a birth date that
    /// exists, a sequence number.
    static let first17 = zip(Gen.int(in: 110_000...659_999), Gen.int(in: 1900...2100), Gen.int(in: 1...12), Gen.int(in: 1...28), Gen.int(in: 0...999))
        .map { region, year, month, day, sequence in String(region) + String(year) + pad(month, 2) + pad(day, 2) + pad(sequence, 3) }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// Text as it reaches a parser from outside: ASCII and its delimiters,
/// control characters, odd spaces, full-width digits, CJK, combining
/// marks, emoji sequences, byte-order marks, and long runs.
enum OddText {
    static let characters: [Character] = Array(
        "AZaz09-_.:,;\"'&=%+ \t\r\n\r\n\u{0}\u{7}\u{1B}\u{7F}\u{85}\u{A0}\u{3000}\u{FEFF}\u{200B}\u{202E}"
            + "０１９Ｘｘ٣७张李核酸楼室é\u{301}\u{20DD}👨‍👩‍👧🇨🇳\u{10FFFF}")

    static let character = Gen<Character?>.element(of: characters).map { $0! }

    /// Mostly short, sometimes longer than any field allows.
    static let string = Gen.frequency((4, character.string(of: 0...24)), (1, character.string(of: 60...300)))

    /// Near `HH:MM`: digits, colons and signs.
    static let timeLike = Gen<Character?>.element(of: Array("0123456789:+-٠٧ ")).map { $0! }.string(of: 3...7)

    /// Near a valid field: digits, X, letters and an occasional odd character.
    static let fieldLike = Gen.frequency((6, Gen<Character?>.element(of: Array("0123456789X13-")).map { $0! }), (1, character))
        .string(of: 1...20)

    /// A name: CJK or Latin, with a space inside but none around.
    static let name = Gen<Character?>.element(of: Array("张李王芳菲AnaLéo")).map { $0! }.string(of: 1...6).map { $0 + " 三" }
}
