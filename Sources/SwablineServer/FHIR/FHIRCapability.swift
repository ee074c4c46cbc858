import Foundation

/// The CapabilityStatement at `/fhir/r4/metadata`: exactly what Swabline's
/// FHIR endpoint does, no more.
enum FHIRCapability {
    static let statement: Data = {
        let document: [String: Any] = [
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-11-30",
            "publisher": "Swabline",
            "kind": "instance",
            "software": ["name": "Swabline"],
            "implementation": ["description": "Swabline: mass PCR testing at residential compounds"],
            "fhirVersion": "4.0.1",
            "format": ["application/fhir+json"],
            "rest": [[
                "mode": "server",
                "documentation": """
                    Labs post results with a lab token (Authorization: Bearer): a transaction Bundle is applied whole or not at all, \
                    a batch Bundle entry by entry. Per tube: a Specimen whose identifier (system urn:swabline:tube) is the tube code, \
                    an Observation coded LOINC 94500-6 whose specimen points at it, whose valueCodeableConcept is SNOMED CT \
                    260373001 Detected or 260415000 Not detected (10828004 and 260385009 are read too; any other code is read as \
                    invalid and kept), with effectiveDateTime; optionally a numeric Observation (valueQuantity) for the Ct value and \
                    a DiagnosticReport. A Bundle with an identifier is applied once. Staff and coordinators read a resident's \
                    outcomes as Observations by resident code.
                    """,
                "security": ["description": "Bearer tokens issued by `swabline tokens create` (roles staff, coordinator, lab)."],
                "interaction": [
                    ["code": "transaction", "documentation": "Results, applied whole or not at all."],
                    ["code": "batch", "documentation": "Results, entry by entry."],
                ],
                "resource": [
                    [
                        "type": "Observation",
                        "interaction": [["code": "search-type"]],
                        "searchParam": [
                            ["name": "patient", "type": "reference", "documentation": "The resident code."],
                            ["name": "subject", "type": "reference", "documentation": "The resident code, as Patient/<code> or <code>."],
                        ],
                    ],
                    ["type": "Specimen", "documentation": "Read only inside a results Bundle: the tube."],
                    ["type": "DiagnosticReport", "documentation": "Accepted inside a results Bundle; not stored."],
                ],
            ]],
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }()
}
