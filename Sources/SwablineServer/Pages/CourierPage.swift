import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// The courier's phone: boxes waiting at the sites they serve, pickup with
/// count and cold-box temperature, hand-over at the lab, and how old the
/// oldest swab in each box is (samples should reach the lab within 4 hours).
struct CourierPage {
    let store: any ServerStore
    let clock: @Sendable () -> Date

    /// Past this age a box is flagged; at 4 hours it is late.
    static let warnAfter: TimeInterval = 3 * 3600
    static let lateAfter: TimeInterval = Turnaround.receiptLimit

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("courier", use: show)
        routes.post("courier", use: act)
        return routes
    }

    @Sendable func show(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        return try await render(PageEnvironment(request: request, actor: actor), actor)
    }

    @Sendable func act(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        let page = PageEnvironment(request: request, actor: actor)
        let form = try await PageForm.read(request)
        let notice: PageNotice
        do {
            switch form["action"] {
            case "pickup":
                guard let count = Int(form["tube_count"]), count >= 0 else {
                    throw Problem.invalidField("tube_count", "must be a whole number, not negative")
                }
                guard let temperature = Double(form["temperature_c"].replacingOccurrences(of: ",", with: ".")) else {
                    throw Problem.invalidField("temperature_c", "must be a reading in °C, such as 4.5")
                }
                let box = try await store.pickUpBox(form["box"], tubeCount: count, temperature: temperature, by: actor)
                notice = PageNotice(text: "\(page.language("pick_up")): \(box.code)", warn: !box.warnings.isEmpty, warnings: box.warnings)
            case "handover":
                let box = try await store.handOverBox(form["box"], by: actor)
                notice = PageNotice(text: "\(page.language("hand_over")): \(box.code) → \(box.lab)")
            default:
                throw Problem.invalidField("action", "must be pickup or handover")
            }
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            return try await render(page, actor, problem: problem)
        }
        return try await render(page, actor, notice: notice)
    }

    struct Values: PageValues {
        struct Box: PageValues {
            var code: String
            var site: String
            var count: Int
            var lab: String
            var state: String
            var sealed: Bool
            var carrying: Bool
            /// How long ago the oldest swab in it was taken, once known.
            var age: String?
            var late = false
            var old = false
        }
        var boxes: [Box]
        var hasBoxes: Bool
        var notice: PageNotice?
    }

    func render(_ page: PageEnvironment, _ actor: Actor, notice: PageNotice? = nil, problem: Problem? = nil) async throws -> Response {
        let boxes = try await store.courierBoxes(by: actor)
        let now = clock()
        let rows = boxes.map { item in
            var row = Values.Box(
                code: item.box.code, site: item.siteName, count: item.box.tubeCount, lab: item.box.lab,
                state: page.language("state_\(item.box.state.rawValue)"), sealed: item.box.state == .sealed,
                carrying: item.box.state == .pickedUp)
            if let oldest = item.oldestSampleAt.flatMap(Timestamp.date) {
                let age = max(0, now.timeIntervalSince(oldest))
                let minutes = Int(age / 60)
                row.age = "\(minutes / 60) \(page.language("hours")) \(minutes % 60) \(page.language("minutes"))"
                row.late = age >= Self.lateAfter
                row.old = age >= Self.warnAfter && age < Self.lateAfter
            }
            return row
        }
        return page.render(
            "courier", title: page.language("courier"), Values(boxes: rows, hasBoxes: !rows.isEmpty, notice: notice), problem: problem)
    }
}
