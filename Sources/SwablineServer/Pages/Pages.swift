import Foundation
import Hummingbird
import SwablineStore

extension Router where Context == AppContext {
    /// The pages people use, rendered on the server from the templates in
    /// Resources/templates. They sit beside the API (which stays under
    /// `/v1`), sign in with a cookie instead of a bearer header, and write
    /// through the same store methods the API uses.
    func addPages(store: any ServerStore, clock: @escaping @Sendable () -> Date, failures: FailedAttempts, answers: IdempotentAnswers) {
        get("pages.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: PageRenderer.script)))
        }
        let pages = group().add(middleware: PageSessionMiddleware(store: store, failures: failures))
            .add(middleware: PageIdempotencyMiddleware(answers: answers))
        pages.addRoutes(LoginPage(store: store, failures: failures).endpoints)
        pages.addRoutes(GatePage(store: store).endpoints)
        pages.addRoutes(StationPage(store: store).endpoints)
        pages.addRoutes(PackingPage(store: store).endpoints)
        pages.addRoutes(CourierPage(store: store, clock: clock).endpoints)
        pages.addRoutes(LabPage(store: store, clock: clock).endpoints)
        pages.addRoutes(RosterPage(store: store).endpoints)
        pages.addRoutes(DashboardPage(store: store).endpoints)
        pages.addRoutes(FollowUpPages(store: store).endpoints)
        pages.addRoutes(BoardPage(store: store).endpoints)
    }
}
