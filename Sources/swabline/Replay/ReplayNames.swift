import SwablineCore
import SwablineSimulation
import SwablineStore

/// The codes a replay gives the simulated day's people, tubes and boxes
/// on the server: roster residents keep their own codes; walk-ins, tubes
/// and boxes get codes named after the site and the round, so a replay in
/// a later round never meets its own earlier barcodes.
struct ReplayNames: Sendable {
    let site: String
    let residents: [String]
    /// Walk-in fields for people past the roster, by person.
    let walkIns: [Int: WalkInFields]
    private let prefix: String

    /// What a walk-in tells the gate: valid name, ID number (with its check
    /// digit), mobile number, and an address of their own, so each is one
    /// household as the simulation has them.
    struct WalkInFields: Sendable, Encodable {
        var name: String
        var idNumber: String
        var phone: String
        var building: String
        var unit: String
        var room: String
    }

    init(script: DayScript, roster: [RosterEntry], round: Int64) {
        precondition(roster.count == script.rosterCount, "the script is of this roster")
        site = script.site
        prefix = "\(script.site.prefix(40))-R\(round)"
        var residents = roster.map(\.code)
        var walkIns: [Int: WalkInFields] = [:]
        for number in stride(from: 1, through: script.walkIns, by: 1) {
            residents.append("\(prefix)-W\(Self.padded(number, 4))")
            walkIns[residents.count - 1] = Self.walkIn(number, round: round)
        }
        self.residents = residents
        self.walkIns = walkIns
    }

    func tube(_ serial: Int) -> String { "\(prefix)-T\(Self.padded(serial, 4))" }
    func box(_ number: Int) -> String { "\(prefix)-B\(Self.padded(number, 3))" }
    /// A lab delivery's `webhook-id`: new for each, so none is taken for a retry.
    func delivery(_ number: Int) -> String { "msg_\(prefix)-\(number)" }

    /// Made-up but valid: born 1950–2009 on a day the number picks, an ID
    /// number of Dongcheng (110101) whose sequence holds the round, and a
    /// 170 number (a virtual operator's range) from the walk-in's number.
    static func walkIn(_ number: Int, round: Int64) -> WalkInFields {
        let day = number % 28 + 1, month = number / 28 % 12 + 1, year = 1950 + number / 336 % 60
        let first17 = "110101" + String(year) + padded(month, 2) + padded(day, 2) + padded(Int(round % 1000), 3)
        let id = first17 + String(PersonalData.nationalIDCheckDigit(first17)!)
        return WalkInFields(
            name: "临时登记\(number)", idNumber: id, phone: "170" + padded(number % 100_000_000, 8), building: "临时",
            unit: "1", room: String(number))
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
