import SwablineCore
import SwablineSimulation

/// The coordinator's view of the site's current round on the server:
/// whether it is fresh enough to replay a day into, and afterwards its
/// coverage, outcomes and retest list as a `RoundState`.
struct ServerRound {
    let client: ReplayClient
    let site: String
    let token: String

    struct Round: Decodable, Sendable {
        var id: Int64
        var name: String
    }

    /// The round a replay writes into; refused unless it is fresh: nobody
    /// checked in or sampled at the site, and the site's residents on the
    /// server are exactly the roster's (walk-ins registered earlier, by hand
    /// or by a replay, would be expected and missing, which the simulated day
    /// cannot know). Each refusal says what to do: a new round, or a server
    /// on a fresh database file.
    func freshRound(rosterCount: Int) async throws -> Round {
        let round = try read(try await client.send(.GET, "/v1/rounds/current?site=\(site)", token: token), Round.self, "the current round")
        let coverage = try await self.coverage()
        let counts = coverage.counts
        let residents = "server has \(counts.expected) residents at \(site) where the roster here has \(rosterCount)"
        if counts.checkedIn > 0 || counts.sampled > 0 {
            guard counts.expected == rosterCount else {
                // A new round would still hold the walk-ins: only a fresh database will do.
                throw ReplayError.notReady(
                    "Round \"\(round.name)\" already has \(counts.checkedIn) check-ins and \(counts.sampled) people sampled, "
                        + "and the \(residents) (walk-ins stay residents of the site): a replay needs a fresh round on a fresh database, "
                        + "and `swabline rounds open` is not enough here. " + Self.startFresh)
            }
            throw ReplayError.notReady(
                "Round \"\(round.name)\" already has \(counts.checkedIn) check-ins and \(counts.sampled) people sampled "
                    + "at \(site): a replay needs a fresh round. Seal any open tubes, then `swabline rounds open <name>` "
                    + "(or POST /v1/rounds), and run this again.")
        }
        if counts.expected > rosterCount {
            throw ReplayError.notReady(
                "The \(residents): the extra ones are walk-ins registered on that database (the README's curl round registers one, "
                    + "every replay its own); they stay residents of the site, and the simulated day cannot know them. "
                    + Self.startFresh)
        }
        if counts.expected < rosterCount {
            throw ReplayError.notReady(
                "The \(residents): serve the sites folder this roster comes from (`swabline serve --sites <folder>`) "
                    + "on a fresh database file (`--db <new file>`), and run this again.")
        }
        return round
    }

    /// Coverage, the retest list and every person's outcome, read as the
    /// coordinator reads them. `codes` are the people whose outcome to ask
    /// for (everyone in the simulated day); eight requests run at a time.
    /// - Parameter standings: also read each person's standing (a
    ///   campaign); the state's `standings` stay nil otherwise.
    func state(codes: [String], standings: Bool = false) async throws -> RoundState {
        let coverage = try await self.coverage()
        let retests = try read(
            try await client.send(.GET, "/v1/sites/\(site)/retests", token: token), RetestList.self, "the retest list")
        var outcomes: [String: Outcome] = [:], notCleared: [String: Standing] = [:]
        try await withThrowingTaskGroup(of: (String, OutcomeAnswer).self) { group in
            var next = codes.makeIterator()
            func add() {
                guard let code = next.next() else { return }
                group.addTask {
                    let answer = try await client.send(.GET, "/v1/residents/\(code)/outcome", token: token)
                    return (code, try read(answer, OutcomeAnswer.self, "the outcome of \(code)"))
                }
            }
            for _ in 0..<8 { add() }
            while let (code, answer) = try await group.next() {
                outcomes[code] = answer.outcome
                if let standing = answer.standing, standing != .cleared { notCleared[code] = standing }
                add()
            }
        }
        return RoundState(
            counts: coverage.counts, missing: Set(coverage.missing.map(\.code)), outcomes: outcomes,
            retests: Set(retests.buildings.flatMap { $0.households.flatMap { $0.residents.map(\.code) } }),
            standings: standings ? notCleared : nil)
    }

    /// What to do when only a fresh database will do.
    static let startFresh =
        "Stop the server and start one on a fresh database file: `swabline serve --db <new file>` (for example "
        + "--db /tmp/replay.sqlite; a new file opens \"Round 1\" by itself); make the tokens and the lab secret with the "
        + "same --db (or SWABLINE_DB), and run this again."

    func coverage() async throws -> Coverage {
        try read(try await client.send(.GET, "/v1/sites/\(site)/coverage", token: token), Coverage.self, "the coverage of \(site)")
    }

    /// Decodes a 200, or says in words why the server would not answer.
    func read<T: Decodable>(_ answer: APIAnswer, _ type: T.Type, _ what: String) throws -> T {
        switch (answer.status, answer.problemCode) {
        case (200, _):
            do { return try answer.decode(type) } catch {
                throw ReplayError.notReady("The server's answer for \(what) is not what this version of swabline reads: \(error)")
            }
        case (401, _):
            throw ReplayError.notReady(
                "The server refused the coordinator token (\(answer.summary)). Create one with `swabline tokens create --role coordinator`."
            )
        case (403, _):
            throw ReplayError.notReady(
                "The coordinator token may not read \(what) (\(answer.summary)): give a token made with `--role coordinator`.")
        case (404, "site_not_found"?):
            throw ReplayError.notReady("The server has no site \(site): serve the sites folder this site comes from.")
        case (409, "no_round"?):
            throw ReplayError.notReady("The server has no round open: `swabline rounds open <name>`.")
        default:
            throw ReplayError.notReady("The server would not give \(what): \(answer.summary)")
        }
    }

    struct Coverage: Decodable {
        struct Person: Decodable { var code: String }
        var counts: CoverageCounts
        var missing: [Person]
    }

    private struct RetestList: Decodable {
        struct Person: Decodable { var code: String }
        struct Household: Decodable { var residents: [Person] }
        struct Building: Decodable { var households: [Household] }
        var buildings: [Building]
    }

    private struct OutcomeAnswer: Decodable {
        var outcome: Outcome?
        var standing: Standing?
    }
}
