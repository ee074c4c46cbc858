import Testing
@testable import SwablineCore

@Suite("Coverage roll-up and roster rows")
struct CoverageAndRosterTests {
    @Test("households roll up into units and buildings in natural order") func rollUp() {
        let rows = [
            CoverageTree.Row(building: "10", unit: "1", room: "101", household: "10-1-101", counts: .init(expected: 3, checkedIn: 2, sampled: 2, resulted: 1)),
            CoverageTree.Row(building: "2", unit: "1", room: "1502", household: "2-1-1502", counts: .init(expected: 2)),
            CoverageTree.Row(building: "2", unit: "1", room: "301", household: "2-1-301", counts: .init(expected: 4, checkedIn: 4, sampled: 3)),
        ]
        let tree = CoverageTree.rollUp(rows)
        #expect(tree.buildings.map(\.building) == ["2", "10"])
        #expect(tree.buildings[0].units[0].households.map(\.room) == ["301", "1502"])
        #expect(tree.buildings[0].counts == CoverageCounts(expected: 6, checkedIn: 4, sampled: 3, resulted: 0))
        #expect(tree.counts == CoverageCounts(expected: 9, checkedIn: 6, sampled: 5, resulted: 1))
    }

    func fields(_ overrides: [String: String] = [:]) -> [String: String] {
        var base = [
            "resident_code": "FFY900001", "name": "张三", "id_number": "11010519491231002X", "phone": "13812345678",
            "building": "1", "unit": "2", "room": "301", "household": "1-2-301", "priority": "0", "single_tube": "1",
        ]
        base.merge(overrides) { $1 }
        return base
    }

    @Test("a good row becomes an entry") func goodRow() throws {
        let entry = try RosterCheck.entry(fields(), file: "roster.csv", line: 2).get()
        #expect(entry.singleTube && !entry.priority)
        #expect(entry.household == "1-2-301")
    }

    @Test("every bad field of a row is named, with file and line") func badRow() {
        let result = RosterCheck.entry(
            fields(["id_number": "110105194912310021", "phone": "", "priority": "maybe", "resident_code": "a b"]),
            file: "sites/x/roster.csv", line: 7)
        guard case let .failure(problems) = result else { Issue.record("a bad row was accepted"); return }
        #expect(Set(problems.problems.map(\.field)) == ["id_number", "phone", "priority", "resident_code"])
        #expect(problems.problems.allSatisfy { $0.file == "sites/x/roster.csv" && $0.line == 7 })
        #expect(problems.problems[0].description.hasPrefix("sites/x/roster.csv:7: "))
    }

    @Test("codes and ID numbers used twice, and split addresses, are found across rows") func crossCheck() throws {
        let a = try RosterCheck.entry(fields(), file: "r", line: 2).get()
        var b = a
        b.room = "302"
        let problems = RosterCheck.crossCheck([(2, a), (3, b)], file: "r")
        #expect(Set(problems.map(\.field)) == ["resident_code", "id_number", "household"])
        #expect(problems.allSatisfy { $0.line == 3 })
    }

    @Test("zones bound the pool size") func zones() {
        #expect(!Zone.sealed.allows(.pooled10))
        #expect(Zone.controlled.allows(.pooled10) && !Zone.controlled.allows(.pooled20))
        #expect(Zone.precaution.allows(.pooled20))
    }
}
