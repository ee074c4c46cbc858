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
    var navigation: [NavigationLink] {
        func link(_ href: String, _ key: String) -> NavigationLink { NavigationLink(href: href, label: language(key), current: href == path) }
        switch actor {
        case let .staff(_, site)?:
            return [
                link("/sites/\(site)/gate", "gate"), link("/sites/\(site)/stations", "stations"), link("/sites/\(site)/packing", "packing"),
                link("/sites/\(site)/board", "board"), link("/sites/\(site)/dashboard", "dashboard"),
            ]
        case .courier?: return [link("/courier", "courier")]
        case .coordinator?: return [link("/dashboard", "dashboard")]
        case .lab?: return [link("/lab", "lab_bench")]
        default: return []
        }
    }

    var who: String? {
        switch actor {
        case let .staff(_, site)?: "\(language("role_staff")) · \(site)"
        case .courier?: language("role_courier")
        case .coordinator?: language("role_coordinator")
        case let .lab(id)?: "\(language("role_lab")) · \(id)"
        default: nil
        }
    }

    /// The values every template gets beneath the page's own.
    func frame(title: String, problem: Problem? = nil) -> PageFrame {
        PageFrame(
            t: t, lang: language.htmlTag, title: title, nav: navigation,
            switchHref: "\(path)?lang=\(language.other.rawValue)", switchLabel: language.otherName,
            formKey: UUID().uuidString, who: who, problem: problem.map(describe))
    }

    /// A refusal as the page shows it: a title in the page's language, the
    /// store's own sentence, and the stable code.
    func describe(_ problem: Problem) -> ProblemValues {
        ProblemValues(
            title: t["error_\(problem.code)"] ?? problem.status.reasonPhrase, detail: problem.detail, code: problem.code,
            status: Int(problem.status.code),
            // Chinese pages say it in Chinese too; the store's sentence stays, as the API sends it.
            detailZh: language == .zh ? PageText.chineseDetails[problem.code] : nil)
    }

    /// A page: its own values above any shared ones (a site, anomalies), above the frame.
    func render(_ template: String, title: String, _ layers: any PageValues..., problem: Problem? = nil) -> Response {
        // A refused form is shown again with its error, under the refusal's own status.
        PageRenderer.html(template, PageLayers(layers: layers + [frame(title: title, problem: problem)]), status: problem?.status ?? .ok)
    }

    func errorPage(_ problem: Problem) -> Response {
        render("error", title: describe(problem).title, problem: problem)
    }

    /// A page's answer to what a page handler threw: sign-in for a missing
    /// session, the refusal as a page; anything else goes on up (a 500).
    func response(for error: any Error) throws -> Response {
        if let redirect = error as? PageRedirect { return PageRenderer.redirect(redirect.location) }
        guard let problem = Problem.from(error) else { throw error }
        return errorPage(problem)
    }
}

/// What the `head` partial shows on every page.
struct PageFrame: PageValues {
    var t: [String: String]
    var lang: String
    var title: String
    var nav: [NavigationLink]
    var switchHref: String
    var switchLabel: String
    /// Sent back by every form on this page (see `PageIdempotencyMiddleware`).
    var formKey: String
    var who: String?
    var problem: ProblemValues?
}

struct NavigationLink: PageValues {
    var href: String
    var label: String
    var current: Bool
}

struct ProblemValues: PageValues {
    var title: String
    var detail: String
    var code: String
    var status: Int
    var detailZh: String?
}
