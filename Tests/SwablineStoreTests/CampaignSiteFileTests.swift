import Foundation
import GRDB
import SwablineCore
import Testing
@testable import SwablineStore

@Suite("site.toml: isolation days per zone, triage at the gate")
struct CampaignSiteFileTests {
    static let base = """
        id = "demo"
        name = "示例小区"
        address = "廊坊市广阳区"
        time_zone = "Asia/Shanghai"
        zone = "sealed"
        pool_mode = "pooled5"
        lab = "lab-dian"
        opens = "07:00"
        closes = "19:00"

        """
    static let stations = "[[stations]]\nid = \"s1\"\nname = \"1号采样台\"\n"

    @Test("the site's own zone's days count; 7 when not given; a bad value is named")
    func isolationDays() throws {
        let given = try SiteFile.parse(
            Self.base + "triage_temperature = true\n" + Self.stations + "[isolation_days]\nsealed = 14\ncontrolled = 7\n", file: "site.toml"
        ).get()
        #expect(given.isolationDays == 14 && given.triageTemperature)
        let plain = try SiteFile.parse(Self.base + Self.stations, file: "site.toml").get()
        #expect(plain.isolationDays == 7 && !plain.triageTemperature)
        guard case let .failure(problems) = SiteFile.parse(Self.base + Self.stations + "[isolation_days]\nsealed = 0\nsafe = 3\n", file: "site.toml") else {
            Issue.record("0 days and an unknown zone were taken")
            return
        }
        #expect(Set(problems.problems.map(\.field)) == ["isolation_days.sealed", "isolation_days.safe"])
    }
}
