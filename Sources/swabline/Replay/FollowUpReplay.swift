import NIOHTTP1
import SwablineCore
import SwablineSimulation

/// Records why each missing person was missing, as the site's staff would
/// from the missing list: `POST /v1/residents/{code}/follow-up` with the
/// reason, one person at a time (`household: false`). A server that does
/// not offer the route yet (404 `not_found`, or 405) is remembered, and the
/// replay goes on without follow-ups rather than failing the comparison.
struct FollowUpReplay {
    let client: ReplayClient
    let staffToken: String
    /// False once the server showed it has no follow-up route.
    private(set) var offered = true
    /// The answer that showed it, for the report.
    private(set) var notOfferedBecause: String?

    init(client: ReplayClient, staffToken: String) {
        self.client = client
        self.staffToken = staffToken
    }

    struct Body: Encodable {
        var reason: String
        var household: Bool
    }

    /// Posts every reason of the round, in code order; whether they were recorded.
    mutating func record(_ reasons: [Int32: MissingReason], codes: [String]) async throws -> Bool {
        guard offered else { return false }
        for (person, reason) in reasons.sorted(by: { codes[Int($0.key)] < codes[Int($1.key)] }) {
            let code = codes[Int(person)]
            let answer = try await client.send(
                .POST, "/v1/residents/\(code)/follow-up", token: staffToken,
                body: ReplayClient.json(Body(reason: reason.rawValue, household: false)))
            switch answer.status {
            case 200, 201:
                continue
            case 404 where answer.problemCode == "not_found", 405:
                offered = false
                notOfferedBecause = answer.summary
                return false
            default:
                throw ReplayError.notReady("The server would not record why \(code) was missing (\(reason.rawValue)): \(answer.summary)")
            }
        }
        return true
    }
}
