import Hummingbird
import SwablineCore
import SwablineStore

/// The packing table: start a box, scan sealed tubes into it, seal it.
struct PackingPage {
    let store: any ServerStore

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("sites/:site/packing", use: show)
        routes.post("sites/:site/packing", use: act)
        return routes
    }

    @Sendable func show(_ request: Request, context: AppContext) async throws -> Response {
        try await render(try await StaffSite.open(store, request, context))
    }

    @Sendable func act(_ request: Request, context: AppContext) async throws -> Response {
        let site = try await StaffSite.open(store, request, context)
        let form = try await PageForm.read(request)
        let page = site.page
        let notice: String
        do {
            switch form["action"] {
            case "create":
                let box = try await store.createBox(site: site.id, code: form["box"], by: site.actor)
                notice = "\(page.language("new_box")): \(box.code)"
            case "add":
                let box = try await store.addTubeToBox(box: form["box"], tube: form["tube"], by: site.actor)
                notice = "\(box.code): \(page.language("tubes")) \(box.tubeCount)"
            case "seal":
                let box = try await store.sealBox(form["box"], by: site.actor)
                notice = "\(page.language("seal_box")): \(box.code) · \(page.language("tubes")) \(box.tubeCount)"
            default:
                throw Problem.invalidField("action", "must be create, add or seal")
            }
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            return try await render(site, problem: problem)
        }
        return try await render(site, ["notice": ["text": notice]])
    }

    func render(_ site: StaffSite, _ extra: [String: Any] = [:], problem: Problem? = nil) async throws -> Response {
        let status = try await store.packingStatus(site: site.id, by: site.actor)
        let page = site.page
        let boxes: [[String: Any]] = status.boxes.map { box in
            [
                "code": box.code, "count": box.tubeCount, "tubes": box.tubes, "packing": box.state == .packing,
                "state": page.language("state_\(box.state.rawValue)"),
            ]
        }
        var values: [String: Any] = [
            "packing_boxes": boxes.filter { $0["packing"] as! Bool }, "sealed_boxes": boxes.filter { !($0["packing"] as! Bool) },
            "loose": status.looseTubes.map { ["code": $0.code, "filled": $0.filled, "partial": $0.partial] },
            "has_loose": !status.looseTubes.isEmpty,
        ]
        values["has_sealed"] = !(values["sealed_boxes"] as! [[String: Any]]).isEmpty
        return site.render("packing", title: "packing", values.merging(extra) { _, new in new }, problem: problem)
    }
}
