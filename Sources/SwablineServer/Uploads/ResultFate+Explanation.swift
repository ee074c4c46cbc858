import SwablineCore

extension ResultFate {
    /// What the lab can do about a result (or rejection) that was read but
    /// not applied: the same sentence in a CSV refusal, an HL7 ERR, a FHIR
    /// batch entry and the lab page.
    var explanation: String {
        switch self {
        case .unknownTube: "No such tube was shipped to this lab: check the barcode."
        case .notReceived: "The tube's box has not been received: receive the box first, then upload this row again."
        case .anomaly: "The tube already has a different result: kept as an anomaly for the coordinator, nothing overwritten."
        case .rejected: "This lab rejected the tube: its people are already being sampled again."
        case .testedAtOutOfRange:
            "The time it was tested is in the future, or before the tube was sampled, by more than \(Int(ResultMatching.clockSkewAllowance / 60)) minutes: check the instrument's clock."
        case .applied, .duplicate, .alreadyResulted: rawValue
        }
    }
}
