import Foundation
import SwablineCore
import Testing
@testable import SwablineStore

@Suite("Reading the sites folder")
struct SiteDirectoryTests {
    @Test("the shipped sites are valid and as large as the news said")
    func shippedSites() {
        let report = SiteDirectory.load(Fixture.sitesPath)
        #expect(report.problems.isEmpty)
        let byID = Dictionary(uniqueKeysWithValues: report.sites.map { ($0.definition.id, $0) })
        #expect(Set(byID["xianghe-xincheng"]!.roster.map(\.household)).count == 956)
        #expect(byID["huaxiali"]!.roster.count > 5_000)
        #expect(byID["fangfeiyuan"]!.definition.name == "芳菲苑")
        #expect(!byID["huaxiali"]!.definition.slots.isEmpty)
    }

    @Test("every bad row and field is named by file, line, field and why")
    func badFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sites-\(UUID().uuidString)")
        let site = root.appendingPathComponent("坏")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try """
            id = "bad"
            name = "坏小区"
            address = "上海市"
            time_zone = "Mars/Olympus"
            zone = "sealed"
            pool_mode = "pooled10"
            lab = "lab-x"
            opens = "7am"
            closes = "19:00"
            [[stations]]
            id = "s1"
            name = "1"
            """.write(to: site.appendingPathComponent("site.toml"), atomically: true, encoding: .utf8)
        try """
            resident_code,name,id_number,phone,building,unit,room,household,priority,single_tube
            B1,张三,11010519491231002X,13812345678,1,1,101,1-1-101,0,0
            B1,李四,110105194912310021,23812345678,1,1,102,1-1-101,2,0
            B3,王五
            """.write(to: site.appendingPathComponent("roster.csv"), atomically: true, encoding: .utf8)
        let report = SiteDirectory.load(root.path)
        let lines = report.problems.map(\.description)
        let toml = site.appendingPathComponent("site.toml").path, csv = site.appendingPathComponent("roster.csv").path
        for expected in [
            "\(toml): time_zone: Mars/Olympus is not a known time zone",
            "\(toml): pool_mode: pooled10 is not allowed in a sealed zone",
            "\(toml): opens: must be a time like \"07:30\", not \"7am\"",
            "\(csv):3: id_number: check digit is 1, expected X",
            "\(csv):3: phone: must start with 13–19",
            "\(csv):3: priority: must be 1 or 0, not '2'",
            "\(csv):4: row: has 2 fields, the header has 10",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)\nall: \(lines)")
        }
        #expect(report.sites.isEmpty)
    }

    @Test("a roster that is not UTF-8 is named, not misread")
    func wrongEncoding() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sites-\(UUID().uuidString)")
        let site = root.appendingPathComponent("gbk")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Fixture.sitesPath + "/芳菲苑/site.toml", toPath: site.appendingPathComponent("site.toml").path)
        try Data([0xD5, 0xC5, 0xC8, 0xFD, 0xFF, 0xFE]).write(to: site.appendingPathComponent("roster.csv"))
        let report = SiteDirectory.load(root.path)
        #expect(report.problems.map(\.why).contains("is not UTF-8 text"))
    }
}
