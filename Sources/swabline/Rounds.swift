import ArgumentParser
import SwablineStore

struct Rounds: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rounds of testing.", subcommands: [Open.self, Current.self])

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a new round; check-ins and outcomes count toward it from now on.")

        @Argument(help: "The round's name, e.g. \"2022-04-05 全员核酸\".")
        var name: String

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let store = try await store.openStore()
            let round = try await explainingRefusals { try await store.openRound(name: name) }
            print("Round \(round.id) \"\(round.name)\" is open.")
        }
    }

    struct Current: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the open round.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let round = try await store.openStore().currentRound()
            print("Round \(round.id) \"\(round.name)\", opened \(round.openedAt).")
        }
    }
}
