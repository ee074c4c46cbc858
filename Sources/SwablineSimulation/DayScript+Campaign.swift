extension DayScript.Step {
    /// A step taken at the gate or a desk.
    var isDesk: Bool {
        switch self {
        case .checkIn, .call, .callRefused, .sample, .sealTube: true
        case .packBox, .pickUp, .handOver, .receive, .result: false
        }
    }
}

extension DayScript {
    /// The same day with every result posted once the desks are done: a
    /// result before then waits until the last desk step, results keep
    /// their order, and nothing else moves.
    ///
    /// Why: at the server a single-tube positive makes the rest of the
    /// household single-tube at once, so a member scanned later that day
    /// goes to the single lane; the day model reads standings as the day
    /// begins. Holding the day's results until sampling is over (the lab
    /// reports in the evening) keeps both sides on the same standings all
    /// day. Modelling the change mid-day is left for later.
    func resultsAfterSampling() -> DayScript {
        guard let lastDesk = steps.last(where: { $0.step.isDesk })?.time else { return self }
        let keyed = steps.enumerated().map { index, timed -> (key: (Double, Int, Int), timed: Timed) in
            guard case .result = timed.step else { return ((timed.time, 0, index), timed) }
            let time = max(timed.time, lastDesk)
            return ((time, 1, index), Timed(time: time, step: timed.step))
        }
        var script = self
        script.steps = keyed.sorted { $0.key < $1.key }.map(\.timed)
        return script
    }
}
