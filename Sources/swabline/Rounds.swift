import ArgumentParser
import SwablineStore

struct Rounds: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rounds of testing.", subcommands: [Open.self, Current.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a new round; check-ins and outcomes of its sites count toward it from now on.",
            discussion: "Without --site or --district, every site enters the round. A site with an open tube is refused.")

        @Argument(help: "The round's name, e.g. \"2022-04-05 全员核酸\".")
        var name: String

        @Option(name: .customLong("site"), help: "A site that enters the round (repeat for several).")
        var sites: [String] = []

        @Option(help: "Every site whose address begins with this, e.g. 廊坊市广阳区.")
        var district: String?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if !sites.isEmpty, district != nil { throw ValidationError("Give --site or --district, not both.") }
        }

        func run() async throws {
            let store = try await store.openStore()
            let scope: RoundScope = if let district { .district(district) } else if sites.isEmpty { .everySite } else { .sites(sites) }
            let round = try await explainingRefusals { try await store.openRound(name: name, for: scope) }
            print("Round \(round.id) \"\(round.name)\" is open at \(round.sites.joined(separator: ", ")).")
        }
    }

    struct Current: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a site's current round, or the round opened last.")

        @Option(help: "The site whose round to show.")
        var site: String?

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let store = try await store.openStore()
            let round = try await explainingRefusals {
                if let site { try await store.currentRound(site: site) } else { try await store.latestRound() }
            }
            print("Round \(round.id) \"\(round.name)\", opened \(round.openedAt).")
        }
    }
}
