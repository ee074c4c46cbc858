/// Checking and masking the personal data a roster carries (rule 8).
public enum PersonalData {
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkDigits: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Why a PRC resident ID number (GB 11643-1999, 18 characters) is not
    /// valid, or nil when it is.
    public static func nationalIDProblem(_ id: String) -> String? {
        let chars = Array(id.uppercased())
        guard chars.count == 18 else { return "must be 18 characters, not \(chars.count)" }
        guard let expected = nationalIDCheckDigit(String(chars.prefix(17))) else { return "the first 17 characters must be digits" }
        guard chars[17] == expected else { return "check digit is \(chars[17]), expected \(expected)" }
        let year = Int(String(chars[6..<10]))!, month = Int(String(chars[10..<12]))!, day = Int(String(chars[12..<14]))!
        guard (1900...2100).contains(year), (1...12).contains(month), (1...CivilDate.days(in: month, of: year)).contains(day)
        else { return "holds a birth date that does not exist" }
        return nil
    }

    /// The check digit (GB 11643-1999) that completes the first 17 digits
    /// of an ID number, or nil when they are not 17 ASCII digits. For
    /// made-up people (simulated walk-ins) who must pass the same check.
    public static func nationalIDCheckDigit(_ first17: String) -> Character? {
        let chars = Array(first17)
        guard chars.count == 17 else { return nil }
        var sum = 0
        for (index, char) in chars.enumerated() {
            guard char.isASCII, let digit = char.wholeNumberValue else { return nil }
            sum += digit * weights[index]
        }
        return checkDigits[sum % 11]
    }

    /// Why a mainland mobile number is not valid, or nil when it is.
    public static func phoneProblem(_ phone: String) -> String? {
        let chars = Array(phone)
        guard chars.count == 11, chars.allSatisfy({ $0.isASCII && $0.isNumber }) else { return "must be 11 digits" }
        guard chars[0] == "1", ("3"..."9").contains(chars[1]) else { return "must start with 13–19" }
        return nil
    }

    /// `310***********123X`: enough to tell two people apart at the desk,
    /// not enough to be the number.
    public static func maskNationalID(_ id: String) -> String { mask(id, keepFirst: 3, keepLast: 4) }

    /// `138****5678`.
    public static func maskPhone(_ phone: String) -> String { mask(phone, keepFirst: 3, keepLast: 4) }

    /// Free text with every number of 11 or more digits (and an ID
    /// number's final X) masked as an ID number is: what someone typed into
    /// a note, a reason or a path may hold a phone or ID number, which must
    /// not be kept or shown in full (rule 8). People write numbers in
    /// groups (`139 1234 5678`, `153-6313-5090`, `310.110.…`), so digits
    /// joined by single spaces, dashes or dots count as one number; the
    /// separators stay where they were typed and only digits turn to `*`.
    public static func maskNumbers(in text: String) -> String {
        let chars = Array(text)
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        func isSeparator(_ c: Character) -> Bool { c == " " || c == "-" || c == "." }
        var out = ""
        var index = 0
        while index < chars.count {
            guard isDigit(chars[index]) else {
                out.append(chars[index])
                index += 1
                continue
            }
            // One number: digits, each gap a single separator followed by a digit; an X may end an ID number.
            var end = index
            var digits = 0
            while end < chars.count {
                if isDigit(chars[end]) {
                    digits += 1
                    end += 1
                } else if isSeparator(chars[end]), end + 1 < chars.count, isDigit(chars[end + 1]) {
                    end += 1
                } else {
                    break
                }
            }
            if digits >= 11, end < chars.count, chars[end] == "X" || chars[end] == "x" {
                digits += 1
                end += 1
            }
            let number = chars[index..<end]
            if digits >= 11 {
                // Keep the first 3 and last 4 digits, as `maskNationalID` does.
                var seen = 0
                for c in number {
                    if c == " " || c == "-" || c == "." {
                        out.append(c)
                    } else {
                        out.append(seen < 3 || seen >= digits - 4 ? c : "*")
                        seen += 1
                    }
                }
            } else {
                out.append(contentsOf: number)
            }
            index = end
        }
        return out
    }

    static func mask(_ value: String, keepFirst: Int, keepLast: Int) -> String {
        let chars = Array(value)
        guard chars.count > keepFirst + keepLast else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(keepFirst)) + String(repeating: "*", count: chars.count - keepFirst - keepLast)
            + String(chars.suffix(keepLast))
    }
}
