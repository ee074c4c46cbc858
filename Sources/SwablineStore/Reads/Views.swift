import SwablineCore

// What the store answers: plain values, personal data already masked
// (rule 8), ready to encode as JSON (snake_case on the wire).

public struct ResidentView: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    /// Masked: `310***********123X`.
    public var idNumber: String
    /// Masked: `138****5678`.
    public var phone: String
    public var site: String
    public var building: String
    public var unit: String
    public var room: String
    public var household: String
    public var priority: Bool
    public var singleTube: Bool
    public var walkIn: Bool
}

public struct TicketView: Sendable, Codable, Equatable {
    public var number: Int
    /// What the board shows: `P007` (priority lane) or `A042`.
    public var label: String
    public var lane: Lane
    public var status: TicketStatus
    /// People ahead in calling order, while waiting.
    public var position: Int?
    public var station: String?
    public var checkedInAt: String
    public var round: String
    /// The gate found a fever or symptoms: single-tube lane this round.
    public var referred: Bool
}

public struct CheckInResult: Sendable, Codable, Equatable {
    public var ticket: TicketView
    public var resident: ResidentView
    /// True when this resident had already checked in this round: the same
    /// ticket comes back (rule 3).
    public var repeated: Bool
    /// True when the resident was registered on the spot.
    public var registered: Bool
}

public struct TubeView: Sendable, Codable, Equatable {
    public var code: String
    public var site: String
    public var station: String
    public var mode: TubeMode
    public var capacity: Int
    public var filled: Int
    public var state: TubeState
    /// Sealed with fewer people than the mode allows.
    public var partial: Bool
    public var box: String?
    public var result: TubeResult?
    /// Why the lab rejected the tube; its members are sampled again.
    public var rejected: TubeRejection?
}

public struct CalledPerson: Sendable, Codable, Equatable {
    public var ticket: String
    public var residentCode: String
    public var name: String
    public var household: String
    public var lane: Lane
}

public struct CallResult: Sendable, Codable, Equatable {
    public var station: String
    public var tube: TubeView
    public var called: [CalledPerson]
    public var singleTubeWaiting: Int
    public var stillWaiting: Int
}

public struct SampleResult: Sendable, Codable, Equatable {
    public var tube: TubeView
    /// The resident's place in the tube, 1-based.
    public var slot: Int
    public var residentCode: String
    public var retest: Bool
    /// True when the resident was already in this tube: nothing changed.
    public var repeated: Bool
    /// The ticket given at the station when the scan asked to check the
    /// resident in first; nil otherwise.
    public var ticket: TicketView?
}

public struct BoxView: Sendable, Codable, Equatable {
    public var code: String
    public var site: String
    public var lab: String
    public var state: BoxState
    public var tubeCount: Int
    public var tubes: [String]
    /// Tubes packed but not in the box when the lab received it: lost,
    /// their members sampled again. Absent while none are missing.
    public var missing: [String]?
    public var temperatureC: Double?
    /// Things a person should look at, that did not stop the step.
    public var warnings: [String]
}
