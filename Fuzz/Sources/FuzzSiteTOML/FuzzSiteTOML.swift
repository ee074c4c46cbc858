import Foundation
import LibFuzzerDriver
import SwablineCore
@testable import SwablineStore

/// `site.toml`: any bytes become a site definition or named problems,
/// never a crash (TOMLKit wraps toml++, C++), and a definition read holds
/// at least one station, only valid codes, known time zones and ordered
/// times.
@main enum FuzzSiteTOML {
    static func main() {
        exit(swabline_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzSiteTOML))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSiteTOML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    guard case let .success(text) = SiteDirectory.text(bytes, file: "site.toml") else { return 0 }
    guard case let .success(site) = SiteFile.parse(text, file: "site.toml") else { return 0 }
    guard Codes.problem(site.id) == nil, Codes.problem(site.lab) == nil,
        !site.stations.isEmpty, site.stations.allSatisfy({ Codes.problem($0.id) == nil }),
        Set(site.stations.map(\.id)).count == site.stations.count,
        TimeZone(identifier: site.timeZone) != nil, site.zone.allows(site.poolMode), site.opens < site.closes,
        site.slots.allSatisfy({ $0.from < $0.to })
    else { fatalError("site.toml accepted \(site)") }
    return 0
}
