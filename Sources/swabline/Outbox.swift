import ArgumentParser
import Foundation
import SwablineStore

/// `swabline outbox`: how far behind the outcome callbacks are, and the dead-letter list.
struct Outbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The outbox of outcome callbacks: status, dead letters, replay.", subcommands: [Status.self, Dead.self, Replay.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How many callbacks wait, how many are dead-lettered, and the oldest waiting.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let status = try await store.openStore().outboxStatus()
            print("pending\t\(status.pending)")
            print("dead\t\(status.dead)")
            print("oldest pending\t\(status.oldestPendingAt ?? "-")")
        }
    }

    struct Dead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List callbacks that ran out of attempts, with the reason.")

        @Option(help: "Only this subscriber's.")
        var subscriber: Int64?

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let dead = try await explainingRefusals { try await store.openStore().deadCallbacks(subscriber: subscriber) }
            print("#\tsubscriber\tevent\tkey\tattempts\tdead at\treason")
            for letter in dead {
                print([
                    "\(letter.id)", "\(letter.subscriber)", letter.event.rawValue, letter.orderingKey, "\(letter.attempts)",
                    letter.deadAt ?? "-", letter.lastError ?? "-",
                ].joined(separator: "\t"))
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send dead-lettered callbacks again, with fresh attempts and their original webhook-id.",
            discussion: "Give message numbers (see `outbox dead`), or --subscriber N, or --all.")

        @Argument(help: "Message numbers to replay.")
        var ids: [Int64] = []

        @Option(help: "Replay every dead callback of this subscriber.")
        var subscriber: Int64?

        @Flag(help: "Replay every dead callback.")
        var all = false

        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard !ids.isEmpty || subscriber != nil || all else {
                throw ValidationError("Say what to replay: message numbers, --subscriber N, or --all.")
            }
            if all, !ids.isEmpty || subscriber != nil { throw ValidationError("--all replays everything; give it alone.") }
        }

        func run() async throws {
            let count = try await explainingRefusals {
                try await store.openStore().replayCallbacks(ids: ids.isEmpty ? nil : ids, subscriber: subscriber)
            }
            print("\(count) callback(s) put back in the outbox")
        }
    }
}
