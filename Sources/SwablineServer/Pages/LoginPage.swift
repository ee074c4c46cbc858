import Hummingbird
import SwablineCore
import SwablineStore

/// Sign-in with a bearer token (printed by `swabline tokens create`), and sign-out.
struct LoginPage {
    let store: Store

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
        guard !token.isEmpty, token.utf8.count <= 200, token.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != ";" && $0 != "," }),
            let actor = try await store.actor(forToken: token)
        else {
            let page = PageEnvironment(request: request, actor: nil)
            return page.render("login", title: page.language("sign_in"), problem: Problem(.unauthorized, code: "unauthorized",
                detail: "This token is unknown or revoked; make one with `swabline tokens create`."))
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
