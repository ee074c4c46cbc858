import SwablineCore
import SwablineSimulation

/// The steps after the desks: packing boxes (staff), the courier's pickup
/// and hand-over, and the lab's receipt and results (signed webhooks).
extension DayReplay {
    func pack(_ box: Int, tubes: [Int], _ moment: Moment) async throws {
        let code = names.box(box)
        try moment.expect(try await staff(.POST, "/v1/sites/\(site)/boxes", Box(box: code)), 201, "box \(code) is started", "201, packing")
        for tube in tubes {
            let answer = try await staff(.POST, "/v1/boxes/\(code)/tubes", Tube(tube: names.tube(tube)))
            try moment.expect(answer, 200, "tube \(names.tube(tube)) is packed into box \(code)", "200, packed")
        }
        try moment.expect(try await staff(.POST, "/v1/boxes/\(code)/seal", Optional<Empty>.none), 200, "box \(code) is sealed", "200, sealed")
    }

    func pickUp(_ box: Int, tubes: Int, _ moment: Moment) async throws {
        let code = names.box(box)
        let answer = try await send(.POST, "/v1/boxes/\(code)/pickup", credentials.courier, Pickup(tubeCount: tubes, temperatureC: 4.0))
        try moment.expect(answer, 200, "the courier picks up box \(code)", "200, picked up with \(tubes) tubes")
    }

    func handOver(_ box: Int, _ moment: Moment) async throws {
        let code = names.box(box)
        let answer = try await send(.POST, "/v1/boxes/\(code)/handover", credentials.courier, Optional<Empty>.none)
        try moment.expect(answer, 200, "the courier hands box \(code) over at \(script.lab)", "200, handed over")
    }

    mutating func receive(_ box: Int, tubes: Int, _ moment: Moment) async throws {
        let code = names.box(box)
        let answer = try await lab(Delivery(type: "box.received", timestamp: Self.now(), data: BoxReceived(box: code, tubeCount: tubes)))
        try moment.expect(answer, 200, "\(script.lab) confirms receipt of box \(code)", "200, received")
    }

    mutating func post(_ result: TubeResult, for tube: Int, _ moment: Moment) async throws {
        let code = names.tube(tube)
        let doing = "\(script.lab) posts tube \(code): \(result.rawValue)"
        let answer = try await lab(
            Delivery(
                type: "tube.results", timestamp: Self.now(),
                data: Results(results: [.init(tube: code, result: result.rawValue, testedAt: Self.now())])))
        try moment.expect(answer, 200, doing, "200, applied")
        let fates = try answer.decode(ResultsAnswer.self).results.map(\.fate)
        guard fates == ["applied"] else { throw moment.diverged(doing, expected: "applied", got: fates.joined(separator: ", ")) }
    }
}
