import Hummingbird
import SwablineCore
import SwablineStore

/// Sign-in with a bearer token (printed by `swabline tokens create`), and sign-out.
struct LoginPage {
    let store: any Credentials
    let failures: FailedAttempts

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("/") { _, context in PageRenderer.redirect(context.actor.map(PageSession.home) ?? "/login") }
        routes.get("login", use: show)
        routes.post("login", use: signIn)
        routes.post("logout", use: signOut)
        return routes
    }

    @Sendable func show(_ request: Request, context: AppContext) async throws -> Response {
        let page = PageEnvironment(request: request, actor: context.actor)
        return page.render("login", title: page.language("sign_in"))
    }

    @Sendable func signIn(_ request: Request, context: AppContext) async throws -> Response {
        let form = try await PageForm.read(request)
        let token = form["token"]
        let check: TokenCheck =
            if !token.isEmpty, token.utf8.count <= 200, token.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != ";" && $0 != "," }) {
                try await store.checkToken(token)
            } else { .unknown }
        guard case let .valid(actor) = check else {
            let page = PageEnvironment(request: request, actor: nil)
            if let tooMany = failures.signInFailed(via: .login, reason: check.failure ?? "unknown_token", address: context.clientAddress) {
                var response = page.render("login", title: page.language("sign_in"), problem: tooMany)
                response.headers.append(contentsOf: tooMany.headers)
                return response
            }
            return page.render("login", title: page.language("sign_in"), problem: Problem(.unauthorized, code: "unauthorized",
                detail: "This token is unknown, expired or revoked; make one with `swabline tokens create`."))
        }
        var response = PageRenderer.redirect(PageSession.home(of: actor))
        response.setCookie(PageSession.signIn(token))
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppContext) async throws -> Response {
        var response = PageRenderer.redirect("/login")
        response.setCookie(PageSession.signOut())
        return response
    }
}
