import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// What every page is rendered with: the language, who is signed in, the
/// navigation for their role, and the refusal to show, if any.
struct PageEnvironment {
    var language: PageLanguage
    var actor: Actor?
    var path: String

    init(request: Request, actor: Actor?) {
        language = PageLanguage.of(request)
        self.actor = actor
        path = request.uri.path
    }

    var t: [String: String] { language.text }

    /// Links to the pages this actor uses.
    var navigation: [[String: Any]] {
        func link(_ href: String, _ key: String) -> [String: Any] { ["href": href, "label": language(key), "current": href == path] }
        switch actor {
        case let .staff(_, site)?:
            return [
                link("/sites/\(site)/gate", "gate"), link("/sites/\(site)/stations", "stations"), link("/sites/\(site)/packing", "packing"),
                link("/sites/\(site)/board", "board"), link("/sites/\(site)/dashboard", "dashboard"),
            ]
        case .courier?: return [link("/courier", "courier")]
        case .coordinator?: return [link("/dashboard", "dashboard")]
        default: return []
        }
    }

    var who: String? {
        switch actor {
        case let .staff(_, site)?: "\(language("role_staff")) · \(site)"
        case .courier?: language("role_courier")
        case .coordinator?: language("role_coordinator")
        default: nil
        }
    }

    /// The values every template gets, with the page's own on top.
    func values(title: String, _ page: [String: Any] = [:], problem: Problem? = nil) -> [String: Any] {
        var values: [String: Any] = [
            "t": t, "lang": language.htmlTag, "title": title, "nav": navigation,
            "switch_href": "\(path)?lang=\(language.other.rawValue)", "switch_label": language.otherName,
            // Sent back by every form on this page (see `PageIdempotencyMiddleware`).
            "form_key": UUID().uuidString,
        ]
        if let who { values["who"] = who }
        if let problem { values["problem"] = describe(problem) }
        return values.merging(page) { _, new in new }
    }

    /// A refusal as the page shows it: a title in the page's language, the
    /// store's own sentence, and the stable code.
    func describe(_ problem: Problem) -> [String: Any] {
        let title = t["error_\(problem.code)"] ?? problem.status.reasonPhrase
        var values: [String: Any] = ["title": title, "detail": problem.detail, "code": problem.code, "status": Int(problem.status.code)]
        // Chinese pages say it in Chinese too; the store's sentence stays, as the API sends it.
        if language == .zh, let line = PageText.chineseDetails[problem.code] { values["detail_zh"] = line }
        return values
    }

    func render(_ template: String, title: String, _ page: [String: Any] = [:], problem: Problem? = nil) -> Response {
        // A refused form is shown again with its error, under the refusal's own status.
        PageRenderer.html(template, values(title: title, page, problem: problem), status: problem?.status ?? .ok)
    }

    func errorPage(_ problem: Problem) -> Response {
        render("error", title: describe(problem)["title"] as! String, problem: problem)
    }

    /// A page's answer to what a page handler threw: sign-in for a missing
    /// session, the refusal as a page; anything else goes on up (a 500).
    func response(for error: any Error) throws -> Response {
        if let redirect = error as? PageRedirect { return PageRenderer.redirect(redirect.location) }
        guard let problem = Problem.from(error) else { throw error }
        return errorPage(problem)
    }
}
