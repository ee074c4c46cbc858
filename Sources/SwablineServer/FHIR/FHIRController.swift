import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// FHIR R4 for labs and health authorities: a lab posts its results as a
/// transaction (or batch) Bundle with its lab token; staff and coordinators
/// read a resident's outcomes as Observations; `/fhir/r4/metadata` says
/// exactly what is supported. The same domain path as every other channel.
struct FHIRController {
    let store: any LabInbox & RoundReports

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("Observation", use: searchObservations)
        return routes
    }

    @Sendable func receiveBundle(_ request: Request, context: AppContext) async throws -> Response {
        guard case let .lab(lab) = try context.requireActor() else {
            throw Problem(StoreError.forbidden("Results are posted with a lab token (swabline tokens create --role lab)."))
        }
        let body = Data(buffer: try await BodyReading.collect(request, upTo: context.maxUploadSize))
        let plan = try FHIRResultBundle.read(body)
        if plan.isTransaction, !plan.refusals.isEmpty {
            throw Problem(.badRequest, code: "invalid_bundle",
                detail: "\(plan.refusals.count) entries cannot be read, and a transaction is applied whole or not at all: nothing was applied. "
                    + plan.refusals.compactMap(\.diagnostics).prefix(5).joined(separator: " "),
                errors: plan.refusals.map { .init(field: $0.expression?.first ?? "Bundle.entry", why: $0.diagnostics ?? $0.code) })
        }
        // A Bundle with an identifier is applied once: the same Bundle again gets the same answer.
        let id = plan.identifier.map { "fhir:" + $0.prefix(180) } ?? "fhir:\(UUID().uuidString.lowercased())"
        let (answer, _) = try await store.receiveLabDelivery(
            lab: lab, webhookID: id, event: .tubeResults(plan.results), whole: plan.isTransaction, timesRefuseDelivery: false
        ) { FHIRJSON.encode(plan.response(to: $0)) }
        return Response(status: .ok, headers: [.contentType: fhirMediaType], body: .init(byteBuffer: ByteBuffer(bytes: answer)))
    }

    /// `GET /fhir/r4/Observation?patient=<resident code>`: one Observation
    /// per round the resident was sampled or decided in.
    @Sendable func searchObservations(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.requireActor()
        let query = request.uri.queryParameters
        guard let given = query["patient"] ?? query["subject"] else {
            throw Problem.invalidField("patient", "is required: the resident code (Observation?patient=FFY000001)")
        }
        let code = String(given).replacingOccurrences(of: "Patient/", with: "")
        let report = try await store.outcome(resident: code, round: nil, by: actor)
        let observations = FHIROutcomes.observations(report)
        let bundle = FHIROutgoingBundle<FHIRObservation>(
            type: "searchset", total: observations.count,
            entry: observations.map { .init(fullUrl: "urn:swabline:observation:\($0.id)", resource: $0) })
        return FHIRJSON.response(bundle)
    }

    @Sendable static func metadata(_ request: Request, context: AppContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: fhirMediaType], body: .init(byteBuffer: ByteBuffer(bytes: FHIRCapability.statement)))
    }
}
