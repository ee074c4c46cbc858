import Foundation
import SwablineCore
import SwablineStore

/// A lab's results as a FHIR R4 Bundle (`transaction` or `batch`): per tube
/// a `Specimen` whose identifier is the tube code, an `Observation` coded
/// LOINC 94500-6 whose `specimen` points at it and whose value is a SNOMED
/// CT code, optionally a numeric Observation for the Ct value and a
/// `DiagnosticReport` gathering them. Read into the same `PostedResult`s a
/// webhook carries; codes are read as HL7 v2's are (`LabResultReport`).
struct FHIRResultBundle {
    /// What one entry of the Bundle is.
    enum Entry {
        case specimen
        case report
        /// A Ct value, attached to its tube's result.
        case ct
        /// The tube's result, `results[index]`.
        case result(Int)
        case refused(FHIROperationOutcome.Issue)
    }

    /// A `transaction` is applied whole or not at all; a `batch` entry by entry.
    var isTransaction: Bool
    /// The Bundle's own identifier: a resend of the same Bundle is answered as the first.
    var identifier: String?
    var entries: [Entry]
    var results: [PostedResult]

    var refusals: [FHIROperationOutcome.Issue] {
        entries.compactMap { if case let .refused(issue) = $0 { issue } else { nil } }
    }

    static let statuses: Set<String> = ["final", "amended", "corrected"]

    static func read(_ data: Data) throws -> FHIRResultBundle {
        let bundle: FHIRIncomingBundle
        do {
            bundle = try JSONDecoder().decode(FHIRIncomingBundle.self, from: data)
        } catch {
            throw Problem(.badRequest, code: "invalid_body", detail: "The body is not a FHIR JSON resource: \(String(describing: error).prefix(300))")
        }
        guard bundle.resourceType == "Bundle" else {
            throw Problem.invalidField("resourceType", "must be Bundle, not \(bundle.resourceType.prefix(40))")
        }
        guard let type = bundle.type, type == "transaction" || type == "batch" else {
            throw Problem.invalidField("Bundle.type", "must be transaction or batch")
        }
        let items = bundle.entry ?? []
        guard !items.isEmpty else { throw Problem.invalidField("Bundle.entry", "is empty") }
        guard items.count <= LabWebhookController.maxResults * 4 else { throw Problem.invalidField("Bundle.entry", "holds too many entries") }
        // Each Specimen's tube code, by every name an Observation may point at it with.
        var tubes: [String: String] = [:]
        for item in items {
            guard let resource = item.resource, resource.resourceType == "Specimen" else { continue }
            guard let code = resource.identifier?.first(where: { $0.system == FHIRSystem.tube })?.value ?? resource.identifier?.first?.value
            else { continue }
            if let fullUrl = item.fullUrl { tubes[fullUrl] = code }
            if let id = resource.id { tubes["Specimen/\(id)"] = code }
        }
        var plan = FHIRResultBundle(isTransaction: type == "transaction", identifier: bundle.identifier?.value, entries: [], results: [])
        var resultOfTube: [String: Int] = [:]
        var cts: [(entry: Int, tube: String, value: Double)] = []
        for (index, item) in items.enumerated() {
            let at = "Bundle.entry[\(index)]"
            func refuse(_ code: String, _ why: String, _ element: String = "") -> Entry {
                .refused(.init(severity: "error", code: code, diagnostics: why, expression: ["\(at).resource\(element)"]))
            }
            guard let resource = item.resource else {
                plan.entries.append(refuse("required", "The entry has no resource."))
                continue
            }
            switch resource.resourceType {
            case "Specimen":
                let code = item.fullUrl.flatMap { tubes[$0] } ?? resource.id.flatMap { tubes["Specimen/\($0)"] }
                if let why = code.map(Codes.problem) ?? "has no identifier with the tube code" {
                    plan.entries.append(refuse("value", "The Specimen's identifier \(why).", ".identifier"))
                } else {
                    plan.entries.append(.specimen)
                }
            case "DiagnosticReport":
                plan.entries.append(.report)
            case "Observation":
                let tube = resource.specimen?.reference.flatMap { tubes[$0] }
                let isResult = resource.code?.code(in: FHIRSystem.loinc) == LabResultReport.resultLOINC
                guard let tube, Codes.problem(tube) == nil else {
                    plan.entries.append(refuse("required", "The Observation's specimen must point at a Specimen of this Bundle whose identifier is the tube code.", ".specimen"))
                    continue
                }
                guard isResult else {
                    guard let value = resource.valueQuantity?.value, (0...60).contains(value) else {
                        plan.entries.append(refuse("not-supported", "An Observation is the SARS-CoV-2 RNA result (LOINC 94500-6), or a Ct value between 0 and 60 in valueQuantity.", ".code"))
                        continue
                    }
                    cts.append((index, tube, value))
                    plan.entries.append(.ct)
                    continue
                }
                guard Self.statuses.contains(resource.status ?? "") else {
                    plan.entries.append(refuse("value", "A result's status must be final, amended or corrected, not \(resource.status ?? "missing").", ".status"))
                    continue
                }
                guard let code = resource.valueCodeableConcept?.code(in: FHIRSystem.snomed) ?? resource.valueCodeableConcept?.coding?.first?.code else {
                    plan.entries.append(refuse("required", "A result's valueCodeableConcept must carry a SNOMED CT code (260373001 Detected, 260415000 Not detected).", ".valueCodeableConcept"))
                    continue
                }
                guard let time = (resource.effectiveDateTime ?? resource.issued).flatMap(Timestamp.date) else {
                    plan.entries.append(refuse("required", "A result needs effectiveDateTime (or issued) with a time zone, such as 2022-04-05T10:30:00+08:00.", ".effectiveDateTime"))
                    continue
                }
                guard resultOfTube[tube] == nil else {
                    plan.entries.append(refuse("duplicate", "Tube \(tube) already has a result in this Bundle.", ".specimen"))
                    continue
                }
                resultOfTube[tube] = plan.results.count
                plan.entries.append(.result(plan.results.count))
                plan.results.append(PostedResult(
                    tube: tube, result: LabResultReport.result(forCode: code), testedAt: Timestamp.string(time), ct: nil, code: code))
            default:
                plan.entries.append(refuse("not-supported", "A results Bundle holds Specimen, Observation and DiagnosticReport resources, not \(resource.resourceType.prefix(40)).", ".resourceType"))
            }
        }
        for ct in cts {
            guard let index = resultOfTube[ct.tube] else {
                plan.entries[ct.entry] = .refused(.init(
                    severity: "error", code: "required", diagnostics: "A Ct value for tube \(ct.tube), which has no result in this Bundle.",
                    expression: ["Bundle.entry[\(ct.entry)].resource"]))
                continue
            }
            plan.results[index].ct = min(plan.results[index].ct ?? ct.value, ct.value)
        }
        return plan
    }

    /// The transaction- or batch-response: one entry per request entry, in
    /// order, with the fate of each result as an HTTP status.
    func response(to answer: LabDeliveryAnswer) -> FHIROutgoingBundle<FHIRObservation> {
        let fates = answer.results ?? []
        return FHIROutgoingBundle(
            type: isTransaction ? "transaction-response" : "batch-response",
            entry: entries.map { entry in
                switch entry {
                case .specimen, .report, .ct: return .init(response: .init(status: "200 OK"))
                case let .refused(issue):
                    return .init(response: .init(status: "400 Bad Request", outcome: FHIROperationOutcome(issue: [issue])))
                case let .result(index):
                    let tube = results[index].tube
                    let fate = index < fates.count ? fates[index].fate : .unknownTube
                    let location = "Observation/tube-\(tube)"
                    switch fate {
                    case .applied: return .init(response: .init(status: "201 Created", location: location))
                    case .duplicate: return .init(response: .init(status: "200 OK", location: location))
                    default:
                        let status = fate == .unknownTube ? "404 Not Found" : "409 Conflict"
                        let issue = FHIROperationOutcome.Issue(
                            severity: "error", code: fate == .unknownTube ? "not-found" : "conflict",
                            details: FHIRCodeableConcept(coding: [FHIRCoding(system: FHIRSystem.problem, code: fate.rawValue)]),
                            diagnostics: fate.explanation)
                        return .init(response: .init(status: status, outcome: FHIROperationOutcome(issue: [issue])))
                    }
                }
            })
    }
}
