import SwablineCore

extension TubeState {
    /// Moves a simulated tube one custody step. The simulation only takes
    /// steps in order, so a refusal here is a bug in the simulation.
    static func step(_ state: inout TubeState, _ event: CustodyEvent) {
        do { state = try state.applying(event) } catch { preconditionFailure("the simulation skipped a custody step: \(error)") }
    }
}

extension BoxState {
    static func step(_ state: inout BoxState, _ event: CustodyEvent) {
        do { state = try state.applying(event) } catch { preconditionFailure("the simulation skipped a custody step: \(error)") }
    }
}
