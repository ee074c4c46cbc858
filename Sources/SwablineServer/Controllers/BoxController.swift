import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// Transport boxes: packed and sealed by staff, carried by couriers.
struct BoxController {
    let store: any BoxCustody

    struct CreateRequest: Decodable { var box: String }
    struct AddTubeRequest: Decodable { var tube: String }
    struct PickupRequest: Decodable {
        var tubeCount: Int
        var temperatureC: Double
    }

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.post("sites/:site/boxes", use: create)
        routes.post("boxes/:box/tubes", use: addTube)
        routes.post("boxes/:box/seal", use: seal)
        routes.post("boxes/:box/pickup", use: pickUp)
        routes.post("boxes/:box/handover", use: handOver)
        routes.get("boxes/:box/manifest", use: manifest)
        return routes
    }

    /// The forms a manifest is served in: `?format=`, else the `Accept`
    /// header, else JSON.
    enum ManifestFormat: String, CaseIterable {
        case json, csv, hl7

        init(_ request: Request) throws {
            if let asked = request.uri.queryParameters.get("format") {
                guard let format = ManifestFormat(rawValue: asked) else {
                    throw Problem.invalidField("format", "must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                self = format
                return
            }
            let accept = request.headers[.accept] ?? ""
            self = accept.contains("text/csv") ? .csv : accept.contains("hl7-v2") ? .hl7 : .json
        }
    }

    /// What the box carries, tube by tube, for the lab's bench and the site's records.
    @Sendable func manifest(_ request: Request, context: AppContext) async throws -> Response {
        let format = try ManifestFormat(request)
        let manifest = try await store.boxManifest(try context.code("box"), by: try context.requireActor())
        switch format {
        case .json:
            return try context.responseEncoder.encode(manifest, from: request, context: context)
        case .csv:
            let rows = [["box", "site", "lab", "handed_over_at", "tube", "mode", "members", "first_sampled_at", "last_sampled_at", "state"]]
                + manifest.tubes.map { tube in
                    [manifest.box, manifest.site, manifest.lab, manifest.handedOverAt ?? "", tube.tube, tube.mode.rawValue, String(tube.members),
                     tube.firstSampledAt ?? "", tube.lastSampledAt ?? "", tube.state.rawValue]
                }
            return try ExportController.csvResponse(rows, name: "\(manifest.box)-manifest.csv")
        case .hl7:
            // An OML^O21 holds at least one order: a box still empty has none to send.
            guard !manifest.tubes.isEmpty else { throw Problem(StoreError.rule(.emptyBox(box: manifest.box))) }
            let message = OrderManifest.message(
                manifest.order, controlID: HL7Intake.controlID("M"), sentAt: Date())
            return Response(
                status: .ok, headers: [.contentType: HL7Intake.mediaType], body: .init(byteBuffer: ByteBuffer(string: message.encoded())))
        }
    }

    @Sendable func create(_ request: Request, context: AppContext) async throws -> EditedResponse<BoxView> {
        let actor = try context.requireActor()
        let body = try await request.decode(as: CreateRequest.self, context: context)
        return EditedResponse(status: .created, response: try await store.createBox(site: try context.code("site"), code: body.box, by: actor))
    }

    @Sendable func addTube(_ request: Request, context: AppContext) async throws -> BoxView {
        let actor = try context.requireActor()
        let body = try await request.decode(as: AddTubeRequest.self, context: context)
        return try await store.addTubeToBox(box: try context.code("box"), tube: body.tube, by: actor)
    }

    @Sendable func seal(_ request: Request, context: AppContext) async throws -> BoxView {
        try await store.sealBox(try context.code("box"), by: try context.requireActor())
    }

    @Sendable func pickUp(_ request: Request, context: AppContext) async throws -> BoxView {
        let actor = try context.requireActor()
        let body = try await request.decode(as: PickupRequest.self, context: context)
        guard body.tubeCount >= 0 else { throw Problem.invalidField("tube_count", "must not be negative") }
        return try await store.pickUpBox(try context.code("box"), tubeCount: body.tubeCount, temperature: body.temperatureC, by: actor)
    }

    @Sendable func handOver(_ request: Request, context: AppContext) async throws -> BoxView {
        try await store.handOverBox(try context.code("box"), by: try context.requireActor())
    }
}
