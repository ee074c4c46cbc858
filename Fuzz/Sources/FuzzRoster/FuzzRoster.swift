import Foundation
import LibFuzzerDriver
import SwablineCore
@testable import SwablineStore

/// `roster.csv` as a compound's office exports it: any bytes (a GBK or
/// UTF-16 export, a BOM, quotes left open, stray line breaks, 10,000
/// columns) are read into entries or named problems, never a crash, and
/// every entry read passes the checks a walk-in would.
@main enum FuzzRoster {
    static func main() {
        exit(swabline_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzRoster))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRoster(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    guard case let .success(text) = SiteDirectory.text(bytes, file: "roster.csv") else { return 0 }
    let (entries, problems) = RosterFile.parse(text, file: "roster.csv")
    for entry in entries {
        guard Codes.problem(entry.code) == nil, PersonalData.nationalIDProblem(entry.idNumber) == nil,
            PersonalData.phoneProblem(entry.phone) == nil,
            [entry.name, entry.building, entry.unit, entry.room, entry.household].allSatisfy({ field in
                !field.isEmpty && !field.unicodeScalars.contains { $0.properties.generalCategory == .control }
            })
        else { fatalError("roster accepted \(entry)") }
    }
    if problems.isEmpty, Set(entries.map(\.code)).count != entries.count {
        fatalError("roster accepted a resident code twice")
    }
    return 0
}
