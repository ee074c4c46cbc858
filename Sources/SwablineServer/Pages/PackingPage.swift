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
        return try await render(site, notice: PageNotice(text: notice))
    }

    struct Values: PageValues {
        struct Box: PageValues {
            var code: String
            var count: Int
            var tubes: [String]
            var state: String
        }
        struct LooseTube: PageValues {
            var code: String
            var filled: Int
            var partial: Bool
        }
        var packingBoxes: [Box]
        var sealedBoxes: [Box]
        var hasSealed: Bool
        var loose: [LooseTube]
        var hasLoose: Bool
        var notice: PageNotice?
    }

    func render(_ site: StaffSite, notice: PageNotice? = nil, problem: Problem? = nil) async throws -> Response {
        let status = try await store.packingStatus(site: site.id, by: site.actor)
        let page = site.page
        func rows(_ boxes: [BoxView]) -> [Values.Box] {
            boxes.map { .init(code: $0.code, count: $0.tubeCount, tubes: $0.tubes, state: page.language("state_\($0.state.rawValue)")) }
        }
        let packing = status.boxes.filter { $0.state == .packing }
        let sealed = status.boxes.filter { $0.state != .packing }
        let values = Values(
            packingBoxes: rows(packing), sealedBoxes: rows(sealed), hasSealed: !sealed.isEmpty,
            loose: status.looseTubes.map { .init(code: $0.code, filled: $0.filled, partial: $0.partial) },
            hasLoose: !status.looseTubes.isEmpty, notice: notice)
        return site.render("packing", title: "packing", values, problem: problem)
    }
}
