import ArgumentParser
import Foundation
import SwablineStore

/// `swabline subscribers`: downstream systems that receive signed outcome callbacks.
struct Subscribers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Downstream systems that receive signed outcome callbacks (Standard Webhooks).",
        subcommands: [Add.self, List.self, Remove.self, RotateSecret.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe a URL to events and print its signing secret (whsec_…): copy it now.",
            discussion: """
                Events: \(CallbackEvent.allCases.map(\.rawValue).joined(separator: ", ")).
                Example:
                  swabline subscribers add https://health-code.example/swabline --events resident.outcome
                Only changes made after this are sent. Each delivery is signed with the secret \
                (webhook-id, webhook-timestamp, webhook-signature headers) and retried with backoff \
                until the receiver answers 2xx; one resident's callbacks arrive in order.
                """)

        @Argument(help: "Where to POST the callbacks (http:// or https://).")
        var url: String

        @Option(help: "Comma-separated events to send.", transform: Subscribers.events)
        var events: [CallbackEvent]

        @Option(help: "A note to recognise the subscriber by.")
        var label: String?

        @Option(help: "A lab's own subscriber: of box.handed_over (the box's manifest) it hears only about this lab's boxes.")
        var lab: String?

        @Option(help: "json (Swabline's envelope) or fhir (each resident.outcome as a FHIR R4 Observation).")
        var format: CallbackFormat = .json

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let store = try await store.openStore()
            let (id, secret) = try await explainingRefusals { try await store.addSubscriber(url: url, events: events, label: label, lab: lab, format: format) }
            print(secret)
            FileHandle.standardError.write(Data("subscriber #\(id): \(events.map(\.rawValue).joined(separator: ", ")) → \(url)\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List subscribers, with how many callbacks wait for each and how many were dead-lettered.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            print("#\tstate\tevents\tpending\tdead\tlabel\turl")
            for subscriber in try await store.openStore().subscribers() {
                let state = subscriber.removedAt != nil ? "removed" : subscriber.pausedUntil.map { "paused until \($0)" } ?? "active"
                print([
                    "\(subscriber.id)", state, subscriber.events.map(\.rawValue).joined(separator: ","), "\(subscriber.pending)",
                    "\(subscriber.dead)", subscriber.label ?? "-", subscriber.url,
                ].joined(separator: "\t"))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop sending to a subscriber. Its waiting callbacks are kept, not sent.")

        @Argument(help: "The subscriber's number (see `subscribers list`).")
        var id: Int64

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let subscriber = try await explainingRefusals { try await store.openStore().removeSubscriber(id: id) }
            print("subscriber #\(subscriber.id) removed at \(subscriber.removedAt ?? "?"); \(subscriber.pending) callbacks were waiting")
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new secret for a subscriber; callbacks carry signatures with both until the overlap ends.")

        @Argument(help: "The subscriber's number.")
        var id: Int64

        @Option(help: "Hours the old secret keeps signing too.")
        var overlapHours: Double = 24

        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard overlapHours >= 0, overlapHours.isFinite else { throw ValidationError("--overlap-hours must be 0 or more.") }
        }

        func run() async throws {
            let store = try await store.openStore()
            print(try await explainingRefusals { try await store.rotateSubscriberSecret(id: id, overlap: overlapHours * 3600) })
        }
    }

    /// `resident.outcome,tube.sealed` → events, or a message naming the ones that exist.
    static func events(_ text: String) throws -> [CallbackEvent] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let known = CallbackEvent.allCases.map(\.rawValue).joined(separator: ", ")
        guard !names.isEmpty else { throw ValidationError("--events needs at least one of: \(known).") }
        return try names.map { name in
            guard let event = CallbackEvent(rawValue: name) else { throw ValidationError("Unknown event \"\(name)\"; the events are: \(known).") }
            return event
        }
    }
}

extension CallbackFormat: ExpressibleByArgument {}
