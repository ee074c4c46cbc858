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
        case .coordinator: "/dashboard"
        case .lab: "/lab"
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
