import SwablineCore
import SwablineStore
import Testing
@testable import SwablineServer

/// A refusal shown on a Chinese page reads in Chinese: every code the core
/// and the store can answer has a title (`error_<code>`) and a line in
/// `PageText.chineseDetails`. A new rule or conflict without them fails here.
@Suite("Refusals have Chinese lines on the pages")
struct ErrorTextTests {
    /// One of each rule violation. The switch is exhaustive, so a new case
    /// does not compile until it is listed here too.
    static let violations: [RuleViolation] = {
        let all: [RuleViolation] = [
            .tubeFull(tube: "T", capacity: 5), .singleTubePersonInPooledTube(resident: "R"), .retestNeedsSingleTube(resident: "R"),
            .notCleared(resident: "R", standing: .poolPositive), .modeNotAllowed(mode: .pooled20, zone: .sealed), .householdDoesNotFit(waiting: 3, room: 2),
            .householdInOtherTube(tube: "T"), .alreadySampled(resident: "R", tube: "T"), .notCheckedIn(resident: "R"),
            .tubeNotOpen(tube: "T", state: .sealed), .tubeStepSkipped(from: .open, event: .received),
            .boxStepSkipped(from: .packing, event: .pickedUp), .tubeCountMismatch(expected: 2, reported: 3), .emptyBox(box: "B"),
            .tubeNotInBox(tube: "T", box: "B"), .receiptDiffers(box: "B"),
            .resultNotApplicable(tube: "T", fate: .unknownTube),
            .testedAtOutOfRange(tube: "T", why: "is in the future"), .headDoesNotFit(waiting: 3, room: 2),
        ]
        for violation in all {
            switch violation {
            case .tubeFull, .singleTubePersonInPooledTube, .retestNeedsSingleTube, .notCleared, .modeNotAllowed, .householdDoesNotFit,
                .householdInOtherTube, .alreadySampled, .notCheckedIn, .tubeNotOpen, .tubeStepSkipped, .boxStepSkipped,
                .tubeCountMismatch, .emptyBox, .tubeNotInBox, .receiptDiffers, .resultNotApplicable, .testedAtOutOfRange, .headDoesNotFit:
                break
            }
        }
        return all
    }()

    static let codes: [String] =
        violations.map(\.code) + Conflict.Code.allCases.map(\.rawValue) + NotFoundKind.allCases.map(\.code)
        + ["forbidden", "invalid_field"]

    @Test("every rule, conflict and not-found code has a Chinese line", arguments: codes)
    func chineseLine(code: String) {
        #expect(PageText.chineseDetails[code] != nil, "no line in PageText.chineseDetails for \(code)")
    }

    @Test("every rule, conflict and not-found code has a Chinese title", arguments: codes)
    func chineseTitle(code: String) {
        #expect(PageText.zh["error_\(code)"] != nil, "no error_\(code) title in PageText")
    }
}
