import Foundation
import SwablineCore
import SwablineSimulation

/// Why a replay stopped before it could compare, in a sentence that says
/// what to do. The command exits non-zero with it.
enum ReplayError: Error, CustomStringConvertible, Equatable {
    /// The server answered a step otherwise than the simulated day says it
    /// must: the two no longer play the same day, so nothing after this
    /// step could be compared.
    case diverged(step: Int, of: Int, at: Double, doing: String, expected: String, got: String)
    /// A credential, the site or the round is not what a replay needs.
    case notReady(String)
    case timedOut
    case unreachable(String, String)
    case badLabSecret

    var description: String {
        switch self {
        case let .diverged(step, total, time, doing, expected, got):
            return """
                The server and the simulation parted at step \(step + 1) of \(total) (\(DayTime.clock(time)), \(doing)):
                  simulation: \(expected)
                  server:     \(got)
                Nothing after this step can be compared; the server keeps what the replay wrote so far.
                """
        case let .notReady(why): return why
        case .timedOut: return "The replay did not finish within --timeout; raise it, or use a smaller site or a faster --speed."
        case let .unreachable(base, why): return "No answer from \(base): \(why). Is `swabline serve` running there?"
        case .badLabSecret: return "--lab-secret must be the lab's whsec_… secret as `swabline labs add <lab>` prints it."
        }
    }
}
