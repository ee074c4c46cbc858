import SwablineCore

/// The lab's side: each received tube gets a result after `labTurnaround`
/// (positive when anyone in it is infected; unreadable for
/// `invalidShare` of tubes), the results are matched back to people by
/// the core's `BatchMatching` in the order they come out, and the retest
/// pass follows.
///
/// The retest pass is modelled as a count, after all first results: each
/// pool-positive or invalid person is sampled once more into a single tube
/// (door to door) and gets the result of their own infection, matched by
/// `ResultMatching.outcomes` as a later sample.
struct LabWork: Sendable, Equatable {
    /// Per tube; nil for a tube that never reached the lab.
    var resultAt: [Double?]
    var results: [TubeResult?]
    /// Each person's outcome after the first results.
    var firstOutcomes: [Outcome]
    /// People sampled again (pool-positive or invalid), from `BatchMatching`.
    var retests: [Int32]
    /// Each person's outcome after the retest pass.
    var finalOutcomes: [Outcome]
    /// Each tube's custody state once its result is applied.
    var states: [TubeState]

    static func run(
        _ tubes: [SamplingDay.Tube], transport: Transport, infected: [Bool], parameters: SimulationParameters,
        using rng: inout SeededGenerator
    ) -> LabWork {
        var resultAt = [Double?](repeating: nil, count: tubes.count)
        var results = [TubeResult?](repeating: nil, count: tubes.count)
        for (t, tube) in tubes.enumerated() {
            guard let received = transport.receivedAt[t] else { continue }
            resultAt[t] = received + parameters.labTurnaround.draw(using: &rng)
            results[t] =
                Double.random(in: 0..<1, using: &rng) < parameters.invalidShare
                ? .invalid : tube.members.contains { infected[Int($0)] } ? .positive : .negative
        }
        var memberStart: [Int32] = [0]
        var members: [Int32] = []
        for tube in tubes {
            members += tube.members
            memberStart.append(Int32(members.count))
        }
        var matched = BatchMatching.Tubes(
            memberStart: memberStart, members: members, mode: tubes.map(\.mode), state: transport.states,
            recorded: [TubeResult?](repeating: nil, count: tubes.count))
        let posted = tubes.indices.filter { resultAt[$0] != nil }
            .sorted { (resultAt[$0]!, $0) < (resultAt[$1]!, $1) }
            .map { BatchMatching.Posted(tube: Int32($0), result: results[$0]!) }
        var outcomes = [Outcome](repeating: .pending, count: infected.count)
        let report = BatchMatching.apply(posted, to: &matched, outcomes: &outcomes)
        precondition(report.fates.allSatisfy { $0 == .applied }, "every received tube's one result applies")

        var final = outcomes
        for person in report.retests {
            let retest = ResultMatching.outcomes(
                for: infected[Int(person)] ? .positive : .negative, mode: .single,
                members: [.init(resident: Int64(person), sampleSequence: 2, decidedBySequence: 1)])
            for (resident, outcome) in retest { final[Int(resident)] = outcome }
        }
        return LabWork(
            resultAt: resultAt, results: results, firstOutcomes: outcomes, retests: report.retests, finalOutcomes: final,
            states: matched.state)
    }
}
