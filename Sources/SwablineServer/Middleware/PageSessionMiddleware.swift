import Foundation
import HTTPTypes
import Hummingbird
import SwablineCore
import SwablineStore

/// Resolves the session cookie into the request's actor, refuses a form
/// posted from another origin (CSRF: the cookie is SameSite=Strict, and this
/// checks `Origin` and `Sec-Fetch-Site` too), and answers page errors as pages.
struct PageSessionMiddleware: RouterMiddleware {
    typealias Context = AppContext
    let store: any Credentials
    let failures: FailedAttempts

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
                if let tooMany = failures.signInFailed(via: .session, reason: reason, address: context.clientAddress) {
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
