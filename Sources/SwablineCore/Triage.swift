/// What the gate checks before the queue (扫码、登记、测温): a temperature
/// and the symptoms a resident reports. A fever or any symptom sends them to
/// the single-tube lane and onto the referral list, so a likely case is
/// never pooled with neighbours.
public struct Triage: Sendable, Hashable, Codable {
    /// The ten symptoms of the national guidance (新冠十类症状), fever read as a temperature.
    public enum Symptom: String, Sendable, Hashable, CaseIterable, Codable {
        case fever
        case cough
        case fatigue
        case soreThroat = "sore_throat"
        case lossOfSmellOrTaste = "loss_of_smell_or_taste"
        case stuffyNose = "stuffy_nose"
        case runnyNose = "runny_nose"
        case conjunctivitis
        case musclePain = "muscle_pain"
        case diarrhea
    }

    /// A temperature at or above this is a fever (°C, 37.3 as the gates used).
    public static let feverAt = 37.3
    /// Readings outside this are a misread thermometer, not a person.
    public static let plausible = 34.0...43.0

    public var temperatureC: Double?
    public var symptoms: [Symptom]

    public init(temperatureC: Double?, symptoms: [Symptom]) {
        self.temperatureC = temperatureC
        self.symptoms = symptoms
    }

    /// Whether they go to the single-tube lane and onto the referral list.
    public var refers: Bool { (temperatureC ?? 0) >= Self.feverAt || !symptoms.isEmpty }

    /// Why a reading is refused, or nil.
    public static func problem(temperature: Double) -> String? {
        plausible.contains(temperature) ? nil : "must be a reading in °C from \(plausible.lowerBound) to \(plausible.upperBound)"
    }

    /// "38.1 °C, cough": how the audit log and the referral list say it.
    public var summary: String {
        ([temperatureC.map { "\($0) °C" }].compactMap { $0 } + symptoms.map(\.rawValue)).joined(separator: ", ")
    }
}
