import SwablineCore
import SwablineSimulation

/// The site staff's steps: the gate and the sampling desks.
extension DayReplay {
    mutating func checkIn(_ person: Int32, _ moment: Moment) async throws {
        let code = names.residents[Int(person)]
        let fields = names.walkIns[Int(person)]
        let answer = try await staff(.POST, "/v1/sites/\(site)/checkins", CheckIn(residentCode: code, walkIn: fields))
        try moment.expect(answer, 201, "\(code) checks in" + (fields == nil ? "" : " as a walk-in"), "201, a new ticket")
    }

    /// A desk takes up its tube with its first call that calls someone, then calls exactly the group the simulation called.
    mutating func call(_ station: Int, tube: Int, mode: TubeMode, called: [Int32], _ moment: Moment) async throws {
        let desk = script.stations[station], code = names.tube(tube)
        try await takeUp(tube, at: desk, mode: mode, moment)
        let doing = "station \(desk) calls the next group for tube \(code)"
        let expected = called.map { names.residents[Int($0)] }
        let answer = try await staff(.POST, "/v1/sites/\(site)/stations/\(desk)/call", Optional<Empty>.none)
        try moment.expect(answer, 200, doing, "200, calling " + expected.joined(separator: ", "))
        let got = try answer.decode(CallAnswer.self).called.map(\.residentCode)
        guard got == expected else {
            throw moment.diverged(
                doing, expected: "calls " + expected.joined(separator: ", "),
                got: got.isEmpty ? "calls nobody" : "calls " + got.joined(separator: ", "))
        }
    }

    /// Opens the desk's tube the first time it is called for; an empty tube whose mode the simulation changed cannot be replayed.
    mutating func takeUp(_ tube: Int, at desk: String, mode: TubeMode, _ moment: Moment) async throws {
        let code = names.tube(tube)
        if let mode0 = opened[tube], mode0 != mode {
            throw moment.diverged(
                "station \(desk) calls for tube \(code)",
                expected: "the desk changes its empty tube from \(mode0.rawValue) to \(mode.rawValue)",
                got: "an open tube keeps its mode (the replay does not give the empty tube up as lost to open another barcode)")
        }
        guard opened[tube] == nil else { return }
        let answer = try await staff(.POST, "/v1/sites/\(site)/tubes", OpenTube(tube: code, station: desk, mode: mode.rawValue))
        try moment.expect(answer, 201, "station \(desk) opens tube \(code) (\(mode.rawValue))", "201, the tube open")
        opened[tube] = mode
    }

    func callRefused(_ station: Int, tube: Int, code: String, _ moment: Moment) async throws {
        let desk = script.stations[station]
        let answer = try await staff(.POST, "/v1/sites/\(site)/stations/\(desk)/call", Optional<Empty>.none)
        let doing = "station \(desk) calls the next group for tube \(names.tube(tube))"
        try moment.expect(answer, 409, doing, "409 \(code)")
        guard answer.problemCode == code else { throw moment.diverged(doing, expected: "409 \(code)", got: answer.summary) }
    }

    func sample(_ person: Int32, into tube: Int, refused: String?, _ moment: Moment) async throws {
        let resident = names.residents[Int(person)], code = names.tube(tube)
        let doing = "\(resident) is scanned into tube \(code)"
        let answer = try await staff(.POST, "/v1/tubes/\(code)/samples", Resident(residentCode: resident))
        guard let refused else { return try moment.expect(answer, 201, doing, "201, sampled") }
        try moment.expect(answer, 409, doing, "409 \(refused)")
        guard answer.problemCode == refused else { throw moment.diverged(doing, expected: "409 \(refused)", got: answer.summary) }
    }

    func seal(_ tube: Int, _ moment: Moment) async throws {
        let code = names.tube(tube)
        try moment.expect(try await staff(.POST, "/v1/tubes/\(code)/seal", Optional<Empty>.none), 200, "tube \(code) is sealed", "200, sealed")
    }
}
