/// A request that would break one of Swabline's rules. Each case reads like
/// the rule it protects; `code` is stable and goes on the wire.
public enum RuleViolation: Error, Sendable, Equatable {
    // Rule 1: a tube never holds more than its mode allows.
    case tubeFull(tube: String, capacity: Int)
    case singleTubePersonInPooledTube(resident: String)
    case retestNeedsSingleTube(resident: String)
    /// Rule 9: someone not cleared by an earlier round is never pooled.
    case notCleared(resident: String, standing: Standing)
    case modeNotAllowed(mode: TubeMode, zone: Zone)
    // Rule 2: households stay together.
    case householdDoesNotFit(waiting: Int, room: Int)
    case householdInOtherTube(tube: String)
    // Rule 3: sampled at most once per round outside retests.
    case alreadySampled(resident: String, tube: String)
    /// Swabbed only after the gate: the queue and rule 2 count ticket holders.
    case notCheckedIn(resident: String)
    // Rule 6: custody is a chain.
    case tubeNotOpen(tube: String, state: TubeState)
    case tubeStepSkipped(from: TubeState, event: CustodyEvent)
    case boxStepSkipped(from: BoxState, event: CustodyEvent)
    case tubeCountMismatch(expected: Int, reported: Int)
    case emptyBox(box: String)
    /// A lab's receipt lists a tube that was never packed into the box.
    case tubeNotInBox(tube: String, box: String)
    /// A resent receipt that lists other tubes than the first one did.
    case receiptDiffers(box: String)
    /// A delivery applied whole or not at all (a FHIR transaction) holds a
    /// result that cannot be applied.
    case resultNotApplicable(tube: String, fate: ResultFate)
    /// A lab's `tested_at` that cannot be true (see `ResultMatching.clockSkewAllowance`).
    case testedAtOutOfRange(tube: String, why: String)
    // Queue calling.
    case headDoesNotFit(waiting: Int, room: Int)

    public var code: String {
        switch self {
        case .tubeFull: "tube_full"
        case .singleTubePersonInPooledTube: "single_tube_person"
        case .retestNeedsSingleTube: "retest_needs_single_tube"
        case .notCleared: "not_cleared"
        case .modeNotAllowed: "mode_not_allowed"
        case .householdDoesNotFit: "household_does_not_fit"
        case .householdInOtherTube: "household_in_other_tube"
        case .alreadySampled: "already_sampled"
        case .notCheckedIn: "not_checked_in"
        case .tubeNotOpen: "tube_not_open"
        case .tubeStepSkipped: "tube_step_skipped"
        case .boxStepSkipped: "box_step_skipped"
        case .tubeCountMismatch: "tube_count_mismatch"
        case .emptyBox: "empty_box"
        case .tubeNotInBox: "tube_not_in_box"
        case .receiptDiffers: "receipt_differs"
        case .resultNotApplicable: "result_not_applicable"
        case .testedAtOutOfRange: "tested_at_out_of_range"
        case .headDoesNotFit: "seal_tube_first"
        }
    }

    /// A sentence the person at the desk can act on.
    public var message: String {
        switch self {
        case let .tubeFull(tube, capacity):
            "Tube \(tube) already holds \(capacity) people, the most its mode allows. Seal it and open a new tube."
        case let .singleTubePersonInPooledTube(resident):
            "Resident \(resident) is flagged single-tube and is never pooled. Sample them into a single tube."
        case let .retestNeedsSingleTube(resident):
            "Resident \(resident) is pool-positive: their retest must be a single tube."
        case let .notCleared(resident, standing):
            "Resident \(resident) is not cleared since an earlier round (\(standing.rawValue)): they are sampled into a single tube until a single-tube negative clears them."
        case let .modeNotAllowed(mode, zone):
            "Tube mode \(mode.rawValue) is not allowed in a \(zone.rawValue) zone; allowed: \(zone.allowedModes.map(\.rawValue).joined(separator: ", "))."
        case let .householdDoesNotFit(waiting, room):
            "This household has \(waiting) people waiting but the tube has room for \(room): a household is not split across tubes. Seal this tube and use a new one."
        case let .householdInOtherTube(tube):
            "Members of this household are in open tube \(tube), which still has room: sample them together there."
        case let .alreadySampled(resident, tube):
            "Resident \(resident) was already sampled in this round, into tube \(tube)."
        case let .notCheckedIn(resident):
            "Resident \(resident) has not checked in this round. Send them to the gate, or check them in and sample them here in one step (check_in: true)."
        case let .tubeNotOpen(tube, state):
            "Tube \(tube) is \(state.rawValue), not open: nothing more can be added to it."
        case let .tubeStepSkipped(from, event):
            "A tube that is \(from.rawValue) cannot be \(event.rawValue): that would skip a step of the chain of custody."
        case let .boxStepSkipped(from, event):
            "A box that is \(from.rawValue) cannot be \(event.rawValue): that would skip a step of the chain of custody."
        case let .tubeCountMismatch(expected, reported):
            "The box holds \(expected) tubes but \(reported) were reported. Count again; nothing was changed."
        case let .testedAtOutOfRange(tube, why):
            "The tested_at of tube \(tube) \(why), by more than the \(Int(ResultMatching.clockSkewAllowance / 60)) minutes a lab's clock may be off. Check the lab's clock; nothing in this delivery was applied."
        case let .emptyBox(box):
            "Box \(box) holds no tubes and cannot be sealed."
        case let .tubeNotInBox(tube, box):
            "Tube \(tube) was not packed into box \(box): scan the box's tubes again. Nothing was changed."
        case let .resultNotApplicable(tube, fate):
            "Tube \(tube)'s result cannot be applied (\(fate.rawValue)), and a transaction is applied whole or not at all: nothing in it was applied. Send it as a batch to apply the rest."
        case let .receiptDiffers(box):
            "Box \(box) was already received with another list of tubes; a receipt cannot be changed. Nothing was changed."
        case let .headDoesNotFit(waiting, room):
            "The household at the head of the queue (\(waiting) people) does not fit the \(room) places left and has been passed as often as allowed. Seal this tube and open a new one."
        }
    }
}
