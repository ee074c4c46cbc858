import Foundation
import NIOHTTP1
import SwablineCore
import SwablineSimulation
import SwablineStore

/// Plays a `DayScript` through the HTTP API, step by step in the day's
/// order, and checks every answer against what the simulated day did:
/// the same people called, the same scans admitted or refused with the
/// same code, every custody step and result taken. The first answer that
/// differs stops the replay (`ReplayError.diverged`): after it the server
/// and the simulation no longer play the same day.
struct DayReplay {
    let script: DayScript
    let names: ReplayNames
    let credentials: ReplayCredentials
    let client: ReplayClient
    /// Simulated seconds per real second; nil: as fast as the server answers.
    let speed: Double?

    /// The tubes taken up at each desk, with the mode each was opened in.
    private var opened: [Int: TubeMode] = [:]
    private var deliveries = 0

    init(script: DayScript, names: ReplayNames, credentials: ReplayCredentials, client: ReplayClient, speed: Double?) {
        self.script = script
        self.names = names
        self.credentials = credentials
        self.client = client
        self.speed = speed
    }

    private var site: String { script.site }

    mutating func play() async throws {
        let start = ContinuousClock.now
        let first = script.steps.first?.time ?? 0
        for (index, timed) in script.steps.enumerated() {
            if let speed {
                let due = start + .seconds((timed.time - first) / speed)
                guard due <= client.deadline else { throw ReplayError.timedOut }
                try await Task.sleep(until: due, clock: .continuous)
            }
            try await play(timed.step, index: index, at: timed.time)
        }
    }

    private mutating func play(_ step: DayScript.Step, index: Int, at time: Double) async throws {
        func expect(_ answer: APIAnswer, _ status: Int, _ doing: String, _ expected: String) throws {
            guard answer.status == status else {
                throw ReplayError.diverged(
                    step: index, of: script.steps.count, at: time, doing: doing, expected: expected, got: answer.summary)
            }
        }
        switch step {
        case let .checkIn(person):
            let code = names.residents[Int(person)]
            let fields = names.walkIns[Int(person)]
            let answer = try await staff(.POST, "/v1/sites/\(site)/checkins", CheckIn(residentCode: code, walkIn: fields))
            try expect(answer, 201, "\(code) checks in" + (fields == nil ? "" : " as a walk-in"), "201, a new ticket")

        case let .call(station, tube, mode, called):
            let desk = script.stations[station], code = names.tube(tube)
            if let mode0 = opened[tube], mode0 != mode {
                throw ReplayError.diverged(
                    step: index, of: script.steps.count, at: time, doing: "station \(desk) calls for tube \(code)",
                    expected: "the desk changes its empty tube from \(mode0.rawValue) to \(mode.rawValue)",
                    got: "an open tube keeps its mode (the replay does not give the empty tube up as lost to open another barcode)")
            }
            if opened[tube] == nil {
                let answer = try await staff(.POST, "/v1/sites/\(site)/tubes", OpenTube(tube: code, station: desk, mode: mode.rawValue))
                try expect(answer, 201, "station \(desk) opens tube \(code) (\(mode.rawValue))", "201, the tube open")
                opened[tube] = mode
            }
            let doing = "station \(desk) calls the next group for tube \(code)"
            let expected = called.map { names.residents[Int($0)] }
            let answer = try await staff(.POST, "/v1/sites/\(site)/stations/\(desk)/call", Optional<Empty>.none)
            try expect(answer, 200, doing, "200, calling " + expected.joined(separator: ", "))
            let got = try answer.decode(CallAnswer.self).called.map(\.residentCode)
            guard got == expected else {
                throw ReplayError.diverged(
                    step: index, of: script.steps.count, at: time, doing: doing, expected: "calls " + expected.joined(separator: ", "),
                    got: got.isEmpty ? "calls nobody" : "calls " + got.joined(separator: ", "))
            }

        case let .callRefused(station, tube, code):
            let desk = script.stations[station]
            let answer = try await staff(.POST, "/v1/sites/\(site)/stations/\(desk)/call", Optional<Empty>.none)
            let doing = "station \(desk) calls the next group for tube \(names.tube(tube))"
            try expect(answer, 409, doing, "409 \(code)")
            guard answer.problemCode == code else {
                throw ReplayError.diverged(
                    step: index, of: script.steps.count, at: time, doing: doing, expected: "409 \(code)", got: answer.summary)
            }

        case let .sample(tube, person, refused):
            let resident = names.residents[Int(person)], code = names.tube(tube)
            let doing = "\(resident) is scanned into tube \(code)"
            let answer = try await staff(.POST, "/v1/tubes/\(code)/samples", Resident(residentCode: resident))
            if let refused {
                try expect(answer, 409, doing, "409 \(refused)")
                guard answer.problemCode == refused else {
                    throw ReplayError.diverged(
                        step: index, of: script.steps.count, at: time, doing: doing, expected: "409 \(refused)", got: answer.summary)
                }
            } else {
                try expect(answer, 201, doing, "201, sampled")
            }

        case let .sealTube(tube):
            let code = names.tube(tube)
            try expect(try await staff(.POST, "/v1/tubes/\(code)/seal", Optional<Empty>.none), 200, "tube \(code) is sealed", "200, sealed")

        case let .packBox(box, tubes):
            let code = names.box(box)
            try expect(try await staff(.POST, "/v1/sites/\(site)/boxes", Box(box: code)), 201, "box \(code) is started", "201, packing")
            for tube in tubes {
                let answer = try await staff(.POST, "/v1/boxes/\(code)/tubes", Tube(tube: names.tube(tube)))
                try expect(answer, 200, "tube \(names.tube(tube)) is packed into box \(code)", "200, packed")
            }
            try expect(try await staff(.POST, "/v1/boxes/\(code)/seal", Optional<Empty>.none), 200, "box \(code) is sealed", "200, sealed")

        case let .pickUp(box, tubes):
            let code = names.box(box)
            let answer = try await send(.POST, "/v1/boxes/\(code)/pickup", credentials.courier, Pickup(tubeCount: tubes, temperatureC: 4.0))
            try expect(answer, 200, "the courier picks up box \(code)", "200, picked up with \(tubes) tubes")

        case let .handOver(box):
            let code = names.box(box)
            let answer = try await send(.POST, "/v1/boxes/\(code)/handover", credentials.courier, Optional<Empty>.none)
            try expect(answer, 200, "the courier hands box \(code) over at \(script.lab)", "200, handed over")

        case let .receive(box, tubes):
            let code = names.box(box)
            let answer = try await lab(
                Delivery(type: "box.received", timestamp: Self.now(), data: BoxReceived(box: code, tubeCount: tubes)))
            try expect(answer, 200, "\(script.lab) confirms receipt of box \(code)", "200, received")

        case let .result(tube, result):
            let code = names.tube(tube)
            let doing = "\(script.lab) posts tube \(code): \(result.rawValue)"
            let answer = try await lab(
                Delivery(
                    type: "tube.results", timestamp: Self.now(),
                    data: Results(results: [.init(tube: code, result: result.rawValue, testedAt: Self.now())])))
            try expect(answer, 200, doing, "200, applied")
            let fates = try answer.decode(ResultsAnswer.self).results.map(\.fate)
            guard fates == ["applied"] else {
                throw ReplayError.diverged(
                    step: index, of: script.steps.count, at: time, doing: doing, expected: "applied",
                    got: fates.joined(separator: ", "))
            }
        }
    }

    // MARK: Requests

    private func staff<Body: Encodable>(_ method: HTTPMethod, _ path: String, _ body: Body?) async throws -> APIAnswer {
        try await send(method, path, credentials.staff, body)
    }

    private func send<Body: Encodable>(_ method: HTTPMethod, _ path: String, _ token: String, _ body: Body?) async throws -> APIAnswer {
        try await client.send(method, path, token: token, body: body.map(ReplayClient.json))
    }

    private mutating func lab<T: Encodable>(_ delivery: T) async throws -> APIAnswer {
        deliveries += 1
        return try await client.webhook(
            lab: script.lab, secret: credentials.labSecret, id: names.delivery(deliveries), delivery)
    }

    static func now() -> String { Timestamp.string(Date()) }

    private struct Empty: Encodable {}
    private struct CheckIn: Encodable {
        var residentCode: String
        var walkIn: ReplayNames.WalkInFields?

        func encode(to encoder: any Encoder) throws {
            try walkIn?.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(residentCode, forKey: .residentCode)
        }
        private enum Key: String, CodingKey { case residentCode }
    }
    private struct OpenTube: Encodable { var tube, station, mode: String }
    private struct Resident: Encodable { var residentCode: String }
    private struct Box: Encodable { var box: String }
    private struct Tube: Encodable { var tube: String }
    private struct Pickup: Encodable {
        var tubeCount: Int
        var temperatureC: Double
    }
    private struct Delivery<Data: Encodable>: Encodable {
        var type: String
        var timestamp: String
        var data: Data
    }
    private struct BoxReceived: Encodable {
        var box: String
        var tubeCount: Int
    }
    private struct Results: Encodable {
        struct Item: Encodable { var tube, result, testedAt: String }
        var results: [Item]
    }
    private struct CallAnswer: Decodable {
        struct Person: Decodable { var residentCode: String }
        var called: [Person]
    }
    private struct ResultsAnswer: Decodable {
        struct Item: Decodable { var fate: String }
        var results: [Item]
    }
}
