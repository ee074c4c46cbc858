/// Everything the admission check needs to know about one scan of a
/// resident into a tube, gathered by the store inside the write transaction.
public struct SampleRequest: Sendable {
    public struct Tube: Sendable {
        public var code: String
        public var mode: TubeMode
        public var state: TubeState
        public var filled: Int
        public init(code: String, mode: TubeMode, state: TubeState, filled: Int) {
            self.code = code
            self.mode = mode
            self.state = state
            self.filled = filled
        }
    }

    public var tube: Tube
    public var resident: String
    /// Whether the resident holds a ticket in this round: nobody is swabbed
    /// who skipped the gate (the queue, and rule 2's count of who is
    /// waiting, only know ticket holders).
    public var checkedIn: Bool
    public var singleTube: Bool
    /// Their standing across rounds: anyone not cleared is never pooled (rule 9).
    public var standing: Standing
    /// A standing raised after their latest sample (a late result of an
    /// earlier round, or a household member's positive): a single-tube
    /// retest is due even though this round's outcome does not ask for one.
    public var standingRetestDue: Bool
    /// The resident's outcome in this round, if any.
    public var outcome: Outcome?
    /// The tube of the resident's latest sample in this round, if any.
    public var latestSampleTube: String?
    /// Whether that latest sample's result decided the current outcome: a
    /// retest is due only then, not while a retest is already on its way.
    public var latestSampleDecided: Bool
    /// Household members checked in and not yet sampled, this resident included.
    public var householdWaiting: Int
    /// Household members already in this tube.
    public var householdInThisTube: Int
    /// Another open tube that holds members of the household and still has room.
    public var householdOpenTubeElsewhere: String?
    /// Places this tube still owes to households already partly in it
    /// (their members waiting or called): nobody else may take them.
    public var placesOwed: Int

    public init(
        tube: Tube, resident: String, checkedIn: Bool, singleTube: Bool, outcome: Outcome?, latestSampleTube: String?,
        latestSampleDecided: Bool = true, householdWaiting: Int, householdInThisTube: Int,
        householdOpenTubeElsewhere: String?, placesOwed: Int = 0, standing: Standing = .cleared, standingRetestDue: Bool = false
    ) {
        self.standing = standing
        self.standingRetestDue = standingRetestDue
        self.tube = tube
        self.resident = resident
        self.checkedIn = checkedIn
        self.singleTube = singleTube
        self.outcome = outcome
        self.latestSampleTube = latestSampleTube
        self.latestSampleDecided = latestSampleDecided
        self.householdWaiting = householdWaiting
        self.householdInThisTube = householdInThisTube
        self.householdOpenTubeElsewhere = householdOpenTubeElsewhere
        self.placesOwed = placesOwed
    }
}

/// What kind of sample a scan makes.
public enum SampleAdmission: Sendable, Equatable {
    /// The resident's first sample in this round.
    case first
    /// A retest (after pool-positive) or a resample (after invalid).
    case retest
    /// The resident is already in this very tube: the scan gives back the
    /// same slot and changes nothing (rule 3).
    case alreadyInThisTube

    /// Decides whether the resident may go into the tube, checking rules 1, 2,
    /// 3 and 6 in the order a person at the desk would want to hear them.
    public static func decide(_ request: SampleRequest) throws(RuleViolation) -> SampleAdmission {
        let tube = request.tube
        // A rescan answers the same slot, unless the tube was lost: then the person is sampled again elsewhere.
        if request.latestSampleTube == tube.code, tube.state != .lost { return .alreadyInThisTube }
        guard tube.state == .open else { throw .tubeNotOpen(tube: tube.code, state: tube.state) }
        guard request.checkedIn else { throw .notCheckedIn(resident: request.resident) }

        let kind: SampleAdmission
        if let previous = request.latestSampleTube {
            let dueByOutcome = request.outcome.map { $0.needsRetest && request.latestSampleDecided } ?? false
            guard dueByOutcome || request.standingRetestDue else {
                throw .alreadySampled(resident: request.resident, tube: previous)
            }
            if request.outcome?.retestNeedsSingleTube == true, tube.mode.isPooled {
                throw .retestNeedsSingleTube(resident: request.resident)
            }
            kind = .retest
        } else {
            kind = .first
        }

        if request.standing.needsSingleTube, tube.mode.isPooled {
            throw .notCleared(resident: request.resident, standing: request.standing)
        }
        if request.singleTube, tube.mode.isPooled {
            throw .singleTubePersonInPooledTube(resident: request.resident)
        }
        let room = tube.mode.capacity - tube.filled
        guard room > 0 else { throw .tubeFull(tube: tube.code, capacity: tube.mode.capacity) }

        // Rule 2 concerns the first sample of pooled households, checked when
        // the household's first member enters this tube.
        if kind == .first, tube.mode.isPooled, !request.singleTube, !request.standing.needsSingleTube, request.householdInThisTube == 0 {
            if let other = request.householdOpenTubeElsewhere { throw .householdInOtherTube(tube: other) }
            let waiting = request.householdWaiting
            let capacity = tube.mode.capacity
            let room = room - request.placesOwed
            let fits = waiting <= room
                || (waiting > capacity && QueueCaller.fewestTubesKept(size: waiting, room: room, capacity: capacity))
            guard fits else { throw .householdDoesNotFit(waiting: waiting, room: room) }
        }
        return kind
    }
}
