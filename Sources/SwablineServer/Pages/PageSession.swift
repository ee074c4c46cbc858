import Foundation
import HTTPTypes
import Hummingbird
import SwablineCore
import SwablineStore

/// The signed-in session of a page: a cookie holding the bearer token itself
/// (the store keeps only its hash, so there is nothing else to keep), sent
/// only to this server, never to scripts, never on a cross-site request.
enum PageSession {
    static let cookie = "swabline_session"
    /// A long shift; the token itself stays valid until revoked.
    static let maxAge = 16 * 3600

    static func signIn(_ token: String) -> Cookie {
        Cookie(name: cookie, value: token, maxAge: maxAge, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }

    static func signOut() -> Cookie {
        Cookie(name: cookie, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }

    /// Where an actor starts after signing in.
    static func home(of actor: Actor) -> String {
        switch actor {
        case let .staff(_, site): "/sites/\(site)/gate"
        case .courier: "/courier"
        case .coordinator, .lab: "/dashboard"
        }
    }
}

/// Thrown by a page that needs a signed-in actor; answered with a redirect.
struct PageRedirect: Error {
    var location: String
}

extension AppContext {
    /// The signed-in actor, or a redirect to the sign-in page.
    func pageActor() throws -> Actor {
        guard let actor else { throw PageRedirect(location: "/login") }
        return actor
    }
}

/// Resolves the session cookie into the request's actor, refuses a form
/// posted from another origin (CSRF: the cookie is SameSite=Strict, and this
/// checks `Origin` and `Sec-Fetch-Site` too), and answers page errors as pages.
struct PageSessionMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let store: any Credentials
    let access: AccessGuard

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        // A cookie whose token is unknown, expired or revoked is a failed sign-in: counted, limited,
        // and cleared, so the browser stops sending it.
        var staleCookie = false
        if let token = request.cookies[PageSession.cookie]?.value, !token.isEmpty {
            let check = try await store.checkToken(token)
            if case let .valid(actor) = check {
                context.actor = actor
            } else {
                staleCookie = true
                let reason = check.failure ?? "unknown_token"
                if let tooMany = access.signInFailed(via: .session, reason: reason, address: context.clientAddress) {
                    var response = PageEnvironment(request: request, actor: nil).errorPage(tooMany)
                    response.headers.append(contentsOf: tooMany.headers)
                    response.setCookie(PageSession.signOut())
                    return response
                }
            }
        }
        let page = PageEnvironment(request: request, actor: context.actor)
        if request.method == .post, !Self.sameOrigin(request) {
            return page.errorPage(Problem(.forbidden, code: "cross_origin", detail: "This form was not sent from this server's own pages."))
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try page.response(for: error)
        }
        if staleCookie, !response.headers[values: .setCookie].contains(where: { $0.hasPrefix("\(PageSession.cookie)=") }) {
            response.setCookie(PageSession.signOut())
        }
        if let chosen = PageLanguage.chosen(request) {
            response.setCookie(Cookie(name: PageLanguage.cookie, value: chosen.rawValue, path: "/", httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// A POST from this server's own pages: no foreign `Origin`, no cross-site fetch.
    static func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" { return false }
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority, let url = URL(string: origin), let originHost = url.host
        else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return originAuthority.lowercased() == host.lowercased()
    }
}

extension Problem {
    /// The problem an error stands for, when it is one a page can show.
    static func from(_ error: any Error) -> Problem? {
        switch error {
        case let problem as Problem: problem
        case let error as StoreError: Problem(error)
        case let error as HTTPError: Problem(error.status, code: error.status == .notFound ? "not_found" : "http_\(error.status.code)",
            detail: error.body ?? error.status.reasonPhrase)
        default: nil
        }
    }
}
