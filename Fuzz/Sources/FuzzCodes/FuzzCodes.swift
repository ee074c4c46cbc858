import Foundation
import LibFuzzerDriver
import SwablineCore
import SwablineStore

/// What a scanner or a walk-in form types: resident codes, tube and box
/// barcodes, ID and phone numbers, wall-clock times, RFC 3339 times.
/// Any bytes, as UTF-8 with bad sequences repaired (how JSON strings and
/// decoded URL paths reach the parsers), never crash, and what a check
/// accepts is what the check says it accepts.
@main enum FuzzCodes {
    static func main() {
        exit(swabline_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzCodes))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCodes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)

    if Codes.problem(text) == nil {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".utf8)
        guard (1...Codes.maxLength).contains(text.utf8.count), text.utf8.allSatisfy(allowed.contains) else {
            fatalError("Codes accepted \(text.debugDescription)")
        }
    }

    if PersonalData.nationalIDProblem(text) == nil {
        guard text.count == 18, text.uppercased().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "X") }) else {
            fatalError("nationalIDProblem accepted \(text.debugDescription)")
        }
    }
    if PersonalData.phoneProblem(text) == nil {
        guard text.utf8.count == 11, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            fatalError("phoneProblem accepted \(text.debugDescription)")
        }
    }
    for masked in [PersonalData.maskNationalID(text), PersonalData.maskPhone(text)] {
        // Rule 8: at most the first 3 and last 4 characters show. (A
        // combining mark that opened the last 4 may join the star before it.)
        let digits = masked.unicodeScalars.filter { $0.properties.numericType != nil }.count
        guard digits <= 7, !text.allSatisfy(\.isASCII) || masked.count == text.count else {
            fatalError("mask of \(text.debugDescription) is \(masked.debugDescription)")
        }
    }

    if let time = LocalTime(text) {
        guard time.description == text, LocalTime(time.description) == time else {
            fatalError("LocalTime read \(text.debugDescription) as \(time)")
        }
    }

    if let date = Timestamp.date(text) {
        let written = Timestamp.string(date)
        guard let again = Timestamp.date(written), abs(again.timeIntervalSince(date)) < 0.0005, Timestamp.string(again) == written else {
            fatalError("Timestamp read \(text.debugDescription) as \(written), which does not read back")
        }
    }
    return 0
}
