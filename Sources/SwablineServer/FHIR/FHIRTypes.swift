import Foundation

// The few FHIR R4 datatypes and resources Swabline reads and writes, as
// plain Codable values with FHIR's own (camelCase) names. Only the elements
// Swabline uses are here; anything else in an incoming resource is ignored.

/// FHIR's JSON media type, for requests and answers alike.
let fhirMediaType = "application/fhir+json; fhirVersion=4.0"

struct FHIRCoding: Codable, Sendable, Equatable {
    var system: String?
    var code: String?
    var display: String?
}

struct FHIRCodeableConcept: Codable, Sendable, Equatable {
    var coding: [FHIRCoding]?
    var text: String?

    /// The code given under `system`, if any.
    func code(in system: String) -> String? { coding?.first { $0.system == system }?.code }
}

struct FHIRIdentifier: Codable, Sendable, Equatable {
    var system: String?
    var value: String?
}

struct FHIRReference: Codable, Sendable, Equatable {
    var reference: String?
    var identifier: FHIRIdentifier?
    var display: String?
}

struct FHIRQuantity: Codable, Sendable, Equatable {
    var value: Double?
    var unit: String?
}

/// The code systems and identifier systems Swabline speaks.
enum FHIRSystem {
    static let loinc = "http://loinc.org"
    static let snomed = "http://snomed.info/sct"
    static let tube = "urn:swabline:tube"
    static let resident = "urn:swabline:resident"
    static let problem = "urn:swabline:problem"
    static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
}

/// Any resource of an incoming Bundle: the union of the elements Swabline
/// reads from a Specimen, an Observation and a DiagnosticReport.
struct FHIRIncomingResource: Decodable, Sendable {
    var resourceType: String
    var id: String?
    var identifier: [FHIRIdentifier]?
    var status: String?
    var code: FHIRCodeableConcept?
    var valueCodeableConcept: FHIRCodeableConcept?
    var valueQuantity: FHIRQuantity?
    var specimen: FHIRReference?
    var effectiveDateTime: String?
    var issued: String?

    enum CodingKeys: String, CodingKey {
        case resourceType, id, identifier, status, code, valueCodeableConcept, valueQuantity, specimen, effectiveDateTime, issued
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        resourceType = try c.decode(String.self, forKey: .resourceType)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        identifier = try c.decodeIfPresent([FHIRIdentifier].self, forKey: .identifier)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        code = try c.decodeIfPresent(FHIRCodeableConcept.self, forKey: .code)
        valueCodeableConcept = try c.decodeIfPresent(FHIRCodeableConcept.self, forKey: .valueCodeableConcept)
        valueQuantity = try c.decodeIfPresent(FHIRQuantity.self, forKey: .valueQuantity)
        // An Observation has one specimen; a DiagnosticReport a list, which Swabline does not need.
        specimen = resourceType == "Observation" ? try c.decodeIfPresent(FHIRReference.self, forKey: .specimen) : nil
        effectiveDateTime = try c.decodeIfPresent(String.self, forKey: .effectiveDateTime)
        issued = try c.decodeIfPresent(String.self, forKey: .issued)
    }
}

struct FHIRIncomingBundle: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
        struct Request: Decodable, Sendable {
            var method: String?
            var url: String?
            var ifNoneExist: String?
        }
        var fullUrl: String?
        var resource: FHIRIncomingResource?
        var request: Request?
    }
    var resourceType: String
    var type: String?
    var identifier: FHIRIdentifier?
    var entry: [Entry]?
}

/// An OperationOutcome: what FHIR clients read instead of problem+json.
struct FHIROperationOutcome: Encodable, Sendable {
    struct Issue: Encodable, Sendable {
        var severity: String
        var code: String
        var details: FHIRCodeableConcept?
        var diagnostics: String?
        var expression: [String]?
    }
    var resourceType = "OperationOutcome"
    var issue: [Issue]
}

/// An Observation as Swabline writes it: a tube's result, or a resident's
/// outcome derived from the tubes they were sampled into.
struct FHIRObservation: Encodable, Sendable {
    var resourceType = "Observation"
    var id: String
    var identifier: [FHIRIdentifier]?
    var status: String
    var category: [FHIRCodeableConcept]?
    var code: FHIRCodeableConcept
    var subject: FHIRReference?
    var effectiveDateTime: String?
    var valueCodeableConcept: FHIRCodeableConcept?
    var dataAbsentReason: FHIRCodeableConcept?
    var note: [Note]?
    var derivedFrom: [FHIRReference]?

    struct Note: Encodable, Sendable { var text: String }
}

/// A Bundle Swabline answers with: a transaction or batch response, or a searchset.
struct FHIROutgoingBundle<Resource: Encodable & Sendable>: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        struct Response: Encodable, Sendable {
            var status: String
            var location: String?
            var outcome: FHIROperationOutcome?
        }
        var fullUrl: String?
        var resource: Resource?
        var response: Response?
    }
    var resourceType = "Bundle"
    var type: String
    var total: Int?
    var entry: [Entry]
}
