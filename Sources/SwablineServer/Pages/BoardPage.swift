import Foundation
import HTTPTypes
import Hummingbird
import SwablineCore
import SwablineStore

/// The queue board at a site: the tickets called to each station and the
/// next ones, kept live with Server-Sent Events (no reload).
struct BoardPage {
    let store: any ServerStore
    /// How often the stream looks at the store.
    static let interval: Duration = .seconds(1)
    /// A stream ends after this many looks; the browser's EventSource reconnects.
    static let maxPolls = 600

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("sites/:site/board", use: show)
        routes.get("sites/:site/board/events", use: events)
        return routes
    }

    @Sendable func show(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        let site = try context.code("site")
        let summary = try await store.siteSummary(site, by: actor)
        let board = try await store.board(site: site, by: actor)
        let page = PageEnvironment(request: request, actor: actor)
        let values = Values(
            site: SiteName(id: summary.id, name: summary.name),
            stations: board.stations.map { .init(id: $0.id, name: $0.name, called: $0.called.joined(separator: " ")) },
            next: board.next.joined(separator: " "), waiting: board.waiting)
        return page.render("board", title: "\(page.language("board")) · \(summary.name)", values)
    }

    struct Values: PageValues {
        struct Station: PageValues {
            var id: String
            var name: String
            /// The tickets called to it, space-separated.
            var called: String
        }
        var site: SiteName
        var stations: [Station]
        var next: String
        var waiting: Int
    }

    /// `text/event-stream`: the board as JSON whenever it changes, a comment
    /// every 15 s to keep proxies from closing it, bounded in time; it ends
    /// early when the client goes away (the write fails).
    @Sendable func events(_ request: Request, context: AppContext) async throws -> Response {
        let actor = try context.pageActor()
        let site = try context.code("site")
        _ = try await store.board(site: site, by: actor)  // refuse before streaming, with a status
        let store = self.store
        let body = ResponseBody { writer in
            var last: Data?
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            for poll in 0..<Self.maxPolls {
                if Task.isCancelled { break }
                let data = try WireFormat.encoder().encode(try await store.board(site: site, by: actor))
                if data != last {
                    try await writer.write(ByteBuffer(string: "event: board\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                    last = data
                } else if poll % 15 == 14 {
                    try await writer.write(ByteBuffer(string: ": still here\n\n"))
                }
                try await Task.sleep(for: Self.interval)
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body)
    }
}
