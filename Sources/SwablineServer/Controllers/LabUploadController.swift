import Foundation
import Hummingbird
import SwablineCore
import SwablineStore

/// What a lab without an LIS uploads with its lab token: a CSV file of
/// results (`tube,result,tested_at[,ct]`), any number of rows, read as it
/// streams in (`ResultsUpload`).
struct LabUploadController {
    let store: any LabInbox

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.post("labs/:lab/results", use: uploadResults)
        return routes
    }

    /// The lab a token may act for: its own, named in the path.
    static func requireLab(_ context: AppContext) throws -> String {
        let lab = try context.code("lab")
        guard case let .lab(own) = try context.requireActor() else {
            throw Problem(StoreError.forbidden("Results are uploaded with a lab token of the lab (swabline tokens create --role lab)."))
        }
        guard own == lab else { throw Problem(StoreError.notFound(kind: .lab, code: lab)) }
        return lab
    }

    @Sendable func uploadResults(_ request: Request, context: AppContext) async throws -> Response {
        let lab = try Self.requireLab(context)
        try RosterController.requireCSV(request, of: "the results", columns: "the columns tube,result,tested_at and ct if known")
        var splitter = CSVRecordSplitter(limit: ResultsUpload.lineLimit)
        var upload = ResultsUpload(lab: lab, store: store)
        for try await chunk in request.body {
            for record in splitter.feed(chunk.readableBytesView) { try await upload.take(record) }
        }
        if let last = splitter.end() { try await upload.take(last) }
        let answer = try await upload.finish()
        return try context.responseEncoder.encode(answer, from: request, context: context)
    }
}
