import Foundation
import SwablineCore
import SwablineStore

/// A resident's outcomes as FHIR Observations: one per round, coded as the
/// labs code a result (LOINC 94500-6, a SNOMED CT value), derived from the
/// tubes they were sampled into. The resident is named by code only, never
/// by name or ID number (rule 8).
enum FHIROutcomes {
    static let test = FHIRCodeableConcept(
        coding: [FHIRCoding(system: FHIRSystem.loinc, code: LabResultReport.resultLOINC, display: "SARS-CoV-2 RNA Resp Ql NAA+probe")])
    static let laboratory = FHIRCodeableConcept(
        coding: [FHIRCoding(system: FHIRSystem.observationCategory, code: "laboratory", display: "Laboratory")])

    static func observations(_ report: OutcomeReport) -> [FHIRObservation] {
        report.history.map { round in
            var observation = FHIRObservation(
                id: "outcome-\(report.resident.code)-\(round.round.id)",
                identifier: [FHIRIdentifier(system: "urn:swabline:outcome", value: "\(report.resident.code)/\(round.round.name)")],
                status: "final", category: [laboratory], code: test,
                subject: FHIRReference(identifier: FHIRIdentifier(system: FHIRSystem.resident, value: report.resident.code)),
                effectiveDateTime: round.samples.map(\.sampledAt).max(),
                derivedFrom: round.samples.filter { $0.result != nil }.map { sample in
                    FHIRReference(
                        identifier: FHIRIdentifier(system: FHIRSystem.tube, value: sample.tube),
                        display: "the result of \(sample.mode.isPooled ? "pooled" : "single") tube \(sample.tube)")
                })
            describe(round.outcome, round: round.round.name, in: &observation)
            return observation
        }
    }

    /// The value an outcome gives an Observation, one mapping for reads and callbacks.
    static func describe(_ outcome: Outcome?, round: String, in observation: inout FHIRObservation) {
        switch outcome {
        case .negative?:
            observation.valueCodeableConcept = snomed("260415000", "Not detected")
        case .positive?:
            observation.valueCodeableConcept = snomed("260373001", "Detected")
        case .poolPositive?:
            // A positive pool does not say who is positive: presumptive until the single-tube retest.
            observation.status = "preliminary"
            observation.valueCodeableConcept = snomed("720735008", "Presumptive positive")
            observation.note = [.init(text: "Pool positive (\(round)): isolate at home and be sampled again in a single tube.")]
        case .invalid?:
            observation.dataAbsentReason = absent("error", "Error")
            observation.note = [.init(text: "The sample could not be read or the tube was lost or rejected: sample again.")]
        case .pending?, nil:
            observation.status = "registered"
        }
    }

    /// A `resident.outcome` callback (Swabline's JSON envelope) as a FHIR
    /// Observation, for a subscriber that asked for FHIR; nil for any other
    /// message, which is then sent as it is.
    static func callback(_ envelope: Data) -> Data? {
        struct Envelope: Decodable {
            var type: String
            var data: ResidentOutcomeCallback
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let message = try? decoder.decode(Envelope.self, from: envelope), message.type == CallbackEvent.residentOutcome.rawValue else {
            return nil
        }
        let outcome = message.data
        var observation = FHIRObservation(
            id: "outcome-\(outcome.resident)",
            identifier: [FHIRIdentifier(system: "urn:swabline:outcome", value: "\(outcome.resident)/\(outcome.round)")],
            status: "final", category: [laboratory], code: test,
            subject: FHIRReference(identifier: FHIRIdentifier(system: FHIRSystem.resident, value: outcome.resident)),
            effectiveDateTime: outcome.testedAt,
            derivedFrom: [FHIRReference(identifier: FHIRIdentifier(system: FHIRSystem.tube, value: outcome.tube), display: "the result of tube \(outcome.tube)")])
        describe(outcome.outcome, round: outcome.round, in: &observation)
        return FHIRJSON.encode(observation)
    }

    static func snomed(_ code: String, _ display: String) -> FHIRCodeableConcept {
        FHIRCodeableConcept(coding: [FHIRCoding(system: FHIRSystem.snomed, code: code, display: display)], text: display)
    }

    static func absent(_ code: String, _ display: String) -> FHIRCodeableConcept {
        FHIRCodeableConcept(coding: [FHIRCoding(system: "http://terminology.hl7.org/CodeSystem/data-absent-reason", code: code, display: display)])
    }
}
