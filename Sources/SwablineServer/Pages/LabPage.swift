import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// The bench of a lab without an LIS, signed in with a lab token: boxes
/// handed over to it, received by scanning their tubes (a tube not scanned
/// is lost in transit), tubes rejected with a reason, results entered tube
/// by tube. Every action is a lab delivery like a webhook's: the same
/// rules, the same custody chain, the same outcomes.
struct LabPage {
    let store: any ServerStore
    let clock: @Sendable () -> Date

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("lab", use: show)
        routes.post("lab", use: act)
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
            guard case let .lab(lab) = actor else { throw Problem(StoreError.forbidden("The lab bench needs a lab token.")) }
            let event: LabEvent
            switch form["action"] {
            case "receive":
                let tubes = form["tubes"].split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
                for tube in tubes { if let why = Codes.problem(tube) { throw Problem.invalidField("tubes", "\(tube.prefix(32)): \(why)") } }
                if tubes.isEmpty {
                    let manifest = try await store.boxManifest(form["box"], by: actor)
                    event = .boxReceived(box: manifest.box, tubeCount: manifest.tubes.count)
                } else {
                    event = .boxReceivedTubes(box: form["box"], tubes: Array(Set(tubes)).sorted())
                }
            case "reject":
                guard let reason = TubeRejection(rawValue: form["reason"]) else {
                    throw Problem.invalidField("reason", "must be one of \(TubeRejection.listed)")
                }
                let note = form["note"].trimmingCharacters(in: .whitespacesAndNewlines)
                guard note.count <= Store.rejectionNoteLimit else { throw Problem.invalidField("note", "must be at most \(Store.rejectionNoteLimit) characters") }
                event = .tubesRejected([PostedRejection(tube: form["tube"], reason: reason, note: note.isEmpty ? nil : note)])
            case "result":
                event = .tubeResults([
                    try LabWebhookController.checkedResult(
                        tube: form["tube"], result: form["result"], testedAt: Timestamp.string(clock()), ct: nil, at: "")
                ])
            default:
                throw Problem.invalidField("action", "must be receive, reject or result")
            }
            // The page's own idempotency key answers a resent form; each new form is a new delivery.
            let (body, _) = try await store.receiveLabDelivery(lab: lab, webhookID: "page_\(UUID().uuidString.lowercased())", event: event)
            let answer = try APIDecoder.decode(LabDeliveryAnswer.self, from: body)
            notice = Self.notice(answer, page)
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            return try await render(page, actor, problem: problem)
        }
        return try await render(page, actor, notice: notice)
    }

    /// What the delivery did, in the page's language.
    static func notice(_ answer: LabDeliveryAnswer, _ page: PageEnvironment) -> PageNotice {
        if let box = answer.box {
            var text = "\(page.language("receive_box")): \(box.code) · \(page.language("received_tubes")) \(box.tubeCount - (box.missing?.count ?? 0))"
            if let missing = box.missing { text += " · \(page.language("missing_tubes")): \(missing.joined(separator: ", "))" }
            return PageNotice(text: text, warn: box.missing != nil)
        }
        let fates = answer.results ?? []
        let applied = fates.allSatisfy { $0.fate == .applied || $0.fate == .duplicate }
        return PageNotice(
            text: fates.map { "\($0.tube): \(applied ? page.language(answer.type == "tube.rejected" ? "reject_tube" : "record_result") : $0.fate.explanation)" }
                .joined(separator: " · "),
            warn: !applied)
    }

    struct Values: PageValues {
        struct Option: PageValues {
            var value: String
            var label: String
        }
        struct Tube: PageValues {
            var code: String
            var mode: String
            var members: Int
        }
        struct Box: PageValues {
            var code: String
            var site: String
            var count: Int
            var handedOverAt: String?
            var toReceive: Bool
            var tubes: [Tube]
        }
        var boxes: [Box]
        var hasBoxes: Bool
        var reasons: [Option]
        var results: [Option]
        var notice: PageNotice?
    }

    func render(_ page: PageEnvironment, _ actor: Actor, notice: PageNotice? = nil, problem: Problem? = nil) async throws -> Response {
        let boxes = try await store.labBench(by: actor).map { manifest in
            let toReceive = manifest.state == .handedOver
            return Values.Box(
                code: manifest.box, site: manifest.site, count: manifest.tubes.count,
                handedOverAt: manifest.handedOverAt,
                toReceive: toReceive,
                tubes: manifest.tubes.filter { toReceive || $0.state == .received }.map {
                    Values.Tube(code: $0.tube, mode: $0.mode.rawValue, members: $0.members)
                })
        }
        let values = Values(
            boxes: boxes, hasBoxes: !boxes.isEmpty,
            reasons: TubeRejection.allCases.map { .init(value: $0.rawValue, label: page.language("rejection_\($0.rawValue)")) },
            results: TubeResult.allCases.map { .init(value: $0.rawValue, label: page.language("result_\($0.rawValue)")) },
            notice: notice)
        return page.render("lab", title: page.language("lab_bench"), values, problem: problem)
    }
}
