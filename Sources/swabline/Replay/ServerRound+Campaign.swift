import SwablineCore
import SwablineSimulation

/// What a campaign's replay asks of the server beyond a day's: a new round
/// for the site, and how the missing list is closed.
extension ServerRound {
    struct OpenRound: Encodable {
        var name: String
        var sites: [String]
    }

    /// Opens the next round for this site only (`POST /v1/rounds`, the
    /// coordinator): every tube of the last round is sealed by then, so the
    /// server has no reason to refuse (`tubes_open` would say otherwise).
    func openRound(named name: String) async throws -> Round {
        let answer = try await client.send(
            .POST, "/v1/rounds", token: token, body: ReplayClient.json(OpenRound(name: name, sites: [site])))
        guard answer.status == 201 else {
            throw ReplayError.notReady("The server would not open round \"\(name)\" for \(site): \(answer.summary)")
        }
        do { return try answer.decode(Round.self) } catch {
            throw ReplayError.notReady("The server's answer for the new round is not what this version of swabline reads: \(error)")
        }
    }

    /// The coverage report's follow-up side: closed and open counts, and
    /// each missing person's reason. Nil when this server's coverage has no
    /// `counts.closed` (follow-ups not offered yet).
    func followUps() async throws -> FollowUpState? {
        let coverage = try read(
            try await client.send(.GET, "/v1/sites/\(site)/coverage", token: token), FollowUpCoverage.self, "the coverage of \(site)")
        guard let closed = coverage.counts.closed, let open = coverage.counts.open else { return nil }
        var reasons: [String: MissingReason] = [:]
        for person in coverage.missing {
            guard let text = person.reason else { continue }
            guard let reason = MissingReason(rawValue: text) else {
                throw ReplayError.notReady("The server's coverage gives \(person.code) a reason this version does not know: \(text)")
            }
            reasons[person.code] = reason
        }
        return FollowUpState(closed: closed, open: open, reasons: reasons)
    }

    private struct FollowUpCoverage: Decodable {
        struct Counts: Decodable {
            var closed: Int?
            var open: Int?
        }
        struct Person: Decodable {
            var code: String
            var reason: String?
        }
        var counts: Counts
        var missing: [Person]
    }
}
