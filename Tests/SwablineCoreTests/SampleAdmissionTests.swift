import Testing
@testable import SwablineCore

@Suite("Scanning a resident into a tube")
struct SampleAdmissionTests {
    func request(
        mode: TubeMode = .pooled10, state: TubeState = .open, filled: Int = 0, singleTube: Bool = false,
        outcome: Outcome? = nil, latest: String? = nil, waiting: Int = 1, inThisTube: Int = 0, elsewhere: String? = nil,
        checkedIn: Bool = true
    ) -> SampleRequest {
        SampleRequest(
            tube: .init(code: "T1", mode: mode, state: state, filled: filled), resident: "R1", checkedIn: checkedIn, singleTube: singleTube,
            outcome: outcome, latestSampleTube: latest, householdWaiting: waiting, householdInThisTube: inThisTube,
            householdOpenTubeElsewhere: elsewhere)
    }

    @Test("a first sample into an open tube with room") func first() throws {
        #expect(try SampleAdmission.decide(request()) == .first)
    }

    @Test("nobody is swabbed who skipped the gate") func notCheckedIn() throws {
        #expect(throws: RuleViolation.notCheckedIn(resident: "R1")) { try SampleAdmission.decide(request(checkedIn: false)) }
        // A rescan of someone already in the tube still answers their slot.
        #expect(try SampleAdmission.decide(request(latest: "T1", checkedIn: false)) == .alreadyInThisTube)
    }

    @Test("rule 1: a full tube takes nobody more") func full() {
        #expect(throws: RuleViolation.tubeFull(tube: "T1", capacity: 10)) { try SampleAdmission.decide(request(filled: 10)) }
        #expect(throws: RuleViolation.tubeFull(tube: "T1", capacity: 1)) { try SampleAdmission.decide(request(mode: .single, filled: 1)) }
    }

    @Test("rule 1: a single-tube person is never pooled") func singleTubePerson() throws {
        #expect(throws: RuleViolation.singleTubePersonInPooledTube(resident: "R1")) {
            try SampleAdmission.decide(request(singleTube: true))
        }
        #expect(try SampleAdmission.decide(request(mode: .single, singleTube: true)) == .first)
    }

    @Test("rule 2: a household goes in whole, or is told where its members are") func household() throws {
        #expect(throws: RuleViolation.householdDoesNotFit(waiting: 4, room: 2)) {
            try SampleAdmission.decide(request(filled: 8, waiting: 4))
        }
        #expect(try SampleAdmission.decide(request(filled: 8, waiting: 4, inThisTube: 2)) == .first)
        #expect(throws: RuleViolation.householdInOtherTube(tube: "T9")) {
            try SampleAdmission.decide(request(elsewhere: "T9"))
        }
        // Larger than a tube: split, but into the fewest tubes.
        #expect(try SampleAdmission.decide(request(filled: 7, waiting: 13)) == .first)
        #expect(throws: RuleViolation.householdDoesNotFit(waiting: 20, room: 5)) {
            try SampleAdmission.decide(request(filled: 5, waiting: 20))
        }
    }

    @Test("rule 3: once per round, the same slot on a second scan, retests allowed") func once() throws {
        #expect(try SampleAdmission.decide(request(filled: 3, latest: "T1")) == .alreadyInThisTube)
        #expect(throws: RuleViolation.alreadySampled(resident: "R1", tube: "T0")) {
            try SampleAdmission.decide(request(outcome: .pending, latest: "T0"))
        }
        #expect(throws: RuleViolation.alreadySampled(resident: "R1", tube: "T0")) {
            try SampleAdmission.decide(request(outcome: .negative, latest: "T0"))
        }
        #expect(try SampleAdmission.decide(request(outcome: .invalid, latest: "T0")) == .retest)
        #expect(throws: RuleViolation.retestNeedsSingleTube(resident: "R1")) {
            try SampleAdmission.decide(request(outcome: .poolPositive, latest: "T0"))
        }
        #expect(try SampleAdmission.decide(request(mode: .single, outcome: .poolPositive, latest: "T0")) == .retest)
    }

    @Test("rule 6: a sealed tube takes nobody") func sealed() {
        #expect(throws: RuleViolation.tubeNotOpen(tube: "T1", state: .sealed)) {
            try SampleAdmission.decide(request(state: .sealed))
        }
    }
}

@Suite("Results to outcomes (rule 4) and the chain of custody (rule 6)")
struct ResultAndCustodyTests {
    @Test("a pooled positive makes every member pool-positive; only a single tube says positive") func outcomes() {
        #expect(Outcome.after(.positive, in: .pooled10, was: nil) == .poolPositive)
        #expect(Outcome.after(.positive, in: .single, was: nil) == .positive)
        #expect(Outcome.after(.negative, in: .pooled20, was: nil) == .negative)
        #expect(Outcome.after(.invalid, in: .pooled5, was: nil) == .invalid)
        #expect(Outcome.poolPositive.needsRetest && Outcome.invalid.needsRetest && !Outcome.negative.needsRetest)
    }

    @Test("a result is applied once; the same again is a duplicate; another is an anomaly") func fates() {
        #expect(ResultMatching.fate(of: .negative, state: .received, recorded: nil) == .applied)
        #expect(ResultMatching.fate(of: .negative, state: .resulted, recorded: .negative) == .duplicate)
        #expect(ResultMatching.fate(of: .positive, state: .resulted, recorded: .negative) == .anomaly)
        #expect(ResultMatching.fate(of: .negative, state: nil, recorded: nil) == .unknownTube)
        #expect(ResultMatching.fate(of: .negative, state: .pickedUp, recorded: nil) == .notReceived)
        #expect(ResultMatching.fate(of: .negative, state: .handedOver, recorded: nil) == .notReceived)
    }

    @Test("a later sample's result is never overwritten by an earlier tube's") func laterSampleWins() {
        let members = [
            ResultMatching.Member(resident: 1, sampleSequence: 10, decidedBySequence: nil),
            ResultMatching.Member(resident: 2, sampleSequence: 11, decidedBySequence: 30),
        ]
        let outcomes = ResultMatching.outcomes(for: .positive, mode: .pooled10, members: members)
        #expect(outcomes.map(\.resident) == [1])
        #expect(outcomes.map(\.outcome) == [.poolPositive])
    }

    @Test("an unreadable retest clears nobody: a pool-positive person stays pool-positive and is never pooled again")
    func invalidRetestKeepsPoolPositive() throws {
        let retest = ResultMatching.outcomes(
            for: .invalid, mode: .single,
            members: [
                .init(resident: 1, sampleSequence: 20, decidedBySequence: 10, current: .poolPositive),
                .init(resident: 2, sampleSequence: 21, decidedBySequence: 11, current: .invalid),
                .init(resident: 3, sampleSequence: 22, decidedBySequence: nil, current: .pending),
            ])
        #expect(retest.map(\.outcome) == [.poolPositive, .invalid, .invalid])
        #expect(Outcome.after(.negative, in: .single, was: .poolPositive) == .negative)
        #expect(Outcome.after(.positive, in: .single, was: .poolPositive) == .positive)
        // So the next scan of person 1 into a pooled tube is refused, as after the first positive pool.
        #expect(throws: RuleViolation.retestNeedsSingleTube(resident: "R1")) {
            try SampleAdmission.decide(
                SampleRequest(
                    tube: .init(code: "P", mode: .pooled10, state: .open, filled: 0), resident: "R1", checkedIn: true, singleTube: false,
                    outcome: retest[0].outcome, latestSampleTube: "S1", householdWaiting: 1, householdInThisTube: 0,
                    householdOpenTubeElsewhere: nil))
        }
    }

    @Test("every tube step in order is accepted") func tubeChain() throws {
        var state = TubeState.open
        for event in [CustodyEvent.sealed, .boxed, .pickedUp, .handedOver, .received, .resulted] {
            state = try state.applying(event)
        }
        #expect(state == .resulted)
    }

    @Test("a step that already happened is recognised; one still ahead is not") func reached() {
        #expect(BoxState.received.isReached(by: .pickedUp))
        #expect(BoxState.sealed.isReached(by: .sealed))
        #expect(!BoxState.packing.isReached(by: .sealed))
        #expect(!BoxState.sealed.isReached(by: .pickedUp))
        #expect(TubeState.boxed.isReached(by: .sealed))
        #expect(!TubeState.open.isReached(by: .sealed))
        #expect(!TubeState.lost.isReached(by: .sealed))
    }

    @Test("a step that skips one is refused") func skipping() {
        #expect(throws: RuleViolation.tubeStepSkipped(from: .sealed, event: .resulted)) { try TubeState.sealed.applying(.resulted) }
        #expect(throws: RuleViolation.tubeStepSkipped(from: .open, event: .boxed)) { try TubeState.open.applying(.boxed) }
        #expect(throws: RuleViolation.boxStepSkipped(from: .packing, event: .pickedUp)) { try BoxState.packing.applying(.pickedUp) }
        #expect(throws: RuleViolation.boxStepSkipped(from: .pickedUp, event: .received)) { try BoxState.pickedUp.applying(.received) }
        #expect(throws: RuleViolation.boxStepSkipped(from: .received, event: .received)) { try BoxState.received.applying(.received) }
    }
}

@Suite("Personal data (rule 8) and codes")
struct PersonalDataTests {
    @Test("ID numbers are checked by their check digit and birth date") func nationalID() {
        #expect(PersonalData.nationalIDProblem("11010519491231002X") == nil)
        #expect(PersonalData.nationalIDProblem("110105194912310021") != nil)
        #expect(PersonalData.nationalIDProblem("110105194913310021") == "holds a birth date that does not exist")
        #expect(PersonalData.nationalIDProblem("1101051949") == "must be 18 characters, not 10")
        #expect(PersonalData.nationalIDProblem("１１０１０５１９４９１２３１００２Ｘ") != nil, "full-width digits are refused")
    }

    @Test("phones are mainland mobiles") func phones() {
        #expect(PersonalData.phoneProblem("13812345678") == nil)
        #expect(PersonalData.phoneProblem("12812345678") != nil)
        #expect(PersonalData.phoneProblem("1381234567") != nil)
    }

    @Test("masks keep only enough to tell people apart") func masks() {
        #expect(PersonalData.maskNationalID("11010519491231002X") == "110***********002X")
        #expect(PersonalData.maskPhone("13812345678") == "138****5678")
        #expect(PersonalData.maskPhone("123") == "***")
    }

    @Test("codes are short printable ASCII") func codes() {
        #expect(Codes.problem("FFY000001") == nil)
        #expect(Codes.problem("T-2022.04_05") == nil)
        #expect(Codes.problem("") != nil)
        #expect(Codes.problem("a b") != nil)
        #expect(Codes.problem("管") != nil)
        #expect(Codes.problem(String(repeating: "A", count: 65)) != nil)
        #expect(Codes.problem("A\u{0}") != nil)
    }
}
