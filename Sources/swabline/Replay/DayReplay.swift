import SwablineCore
import SwablineSimulation

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
    var opened: [Int: TubeMode] = [:]
    var deliveries = 0

    init(script: DayScript, names: ReplayNames, credentials: ReplayCredentials, client: ReplayClient, speed: Double?) {
        self.script = script
        self.names = names
        self.credentials = credentials
        self.client = client
        self.speed = speed
    }

    var site: String { script.site }

    mutating func play() async throws {
        let start = ContinuousClock.now
        let first = script.steps.first?.time ?? 0
        for (index, timed) in script.steps.enumerated() {
            if let speed {
                let due = start + .seconds((timed.time - first) / speed)
                guard due <= client.deadline else { throw ReplayError.timedOut }
                try await Task.sleep(until: due, clock: .continuous)
            }
            try await play(timed.step, Moment(step: index, of: script.steps.count, at: timed.time))
        }
    }

    /// One step of the script, by the actor who takes it.
    private mutating func play(_ step: DayScript.Step, _ moment: Moment) async throws {
        switch step {
        case let .checkIn(person): try await checkIn(person, moment)
        case let .call(station, tube, mode, called): try await call(station, tube: tube, mode: mode, called: called, moment)
        case let .callRefused(station, tube, code): try await callRefused(station, tube: tube, code: code, moment)
        case let .sample(tube, person, refused): try await sample(person, into: tube, refused: refused, moment)
        case let .sealTube(tube): try await seal(tube, moment)
        case let .packBox(box, tubes): try await pack(box, tubes: tubes, moment)
        case let .pickUp(box, tubes): try await pickUp(box, tubes: tubes, moment)
        case let .handOver(box): try await handOver(box, moment)
        case let .receive(box, tubes): try await receive(box, tubes: tubes, moment)
        case let .result(tube, result): try await post(result, for: tube, moment)
        }
    }
}

/// Where in the script a step stands, to name it when the server answers otherwise.
struct Moment {
    var step: Int
    var of: Int
    var at: Double

    func diverged(_ doing: String, expected: String, got: String) -> ReplayError {
        ReplayError.diverged(step: step, of: of, at: at, doing: doing, expected: expected, got: got)
    }

    /// The answer must have `status`; else the replay stops with both sides named.
    func expect(_ answer: APIAnswer, _ status: Int, _ doing: String, _ expected: String) throws {
        guard answer.status == status else { throw diverged(doing, expected: expected, got: answer.summary) }
    }
}
