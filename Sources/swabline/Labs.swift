import ArgumentParser
import Foundation
import SwablineServer
import SwablineStore

struct Labs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Labs and their webhook secrets (Standard Webhooks).", subcommands: [Add.self, Rotate.self, Sign.self, MLLPKeyCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a lab its webhook secret and print it (whsec_…).")

        @Argument(help: "The lab id, as the sites name it (e.g. lab-dian).")
        var lab: String

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let database = store.databaseForDisplay
            let store = try await store.openStore()
            let secret: String
            do {
                secret = try await store.addLab(lab)
            } catch StoreError.conflict(.labHasSecret) {
                throw ValidationError(Self.alreadyHasSecret(lab, database: database))
            } catch let error as StoreError {
                throw ValidationError(error.message)
            }
            print(secret)
        }

        /// `labs add` gives a lab its first secret only and prints it once;
        /// a second `add` says what to do instead.
        static func alreadyHasSecret(_ lab: String, database: String) -> String {
            """
            Lab \(lab) already has a webhook secret in \(database), printed by the `labs add` that gave it. \
            Reuse that secret (the README keeps it in $LAB_SECRET: `simulate --against` takes it as \
            --lab-secret "$LAB_SECRET" or SWABLINE_LAB_SECRET), or print a new one with `swabline labs rotate \(lab)` \
            (the old one stays valid for 24 hours; --overlap-hours 0 retires it at once). \
            A replay needs a fresh database anyway: give `serve` and every command a new file with --db, and `labs add` works there.
            """
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new secret for a lab; the old one stays valid for the overlap.", aliases: ["rotate-secret"])

        @Argument(help: "The lab id.")
        var lab: String

        @Option(help: "Hours the old secret stays valid, so the lab can switch without losing a delivery (0 retires it at once).")
        var overlapHours: Double = 24

        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard overlapHours >= 0, overlapHours.isFinite else {
                throw ValidationError("--overlap-hours must be 0 or more (0 retires the old secret at once).")
            }
        }

        func run() async throws {
            let store = try await store.openStore()
            print(try await explainingRefusals { try await store.rotateLabSecret(lab, overlap: overlapHours * 3600) })
        }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a webhook body as a lab would, printing curl header flags (for trying the API by hand).")

        @Option(help: "The lab's secret (whsec_…).")
        var secret: String

        @Option(help: "The file holding the JSON body.")
        var file: String

        @Option(help: "The webhook-id (a new one by default).")
        var id: String = "msg_" + UUID().uuidString.lowercased()

        func run() throws {
            guard let body = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file).") }
            let timestamp = Int(Date().timeIntervalSince1970)
            guard let signature = StandardWebhooks.sign(id: id, timestamp: timestamp, body: body, secret: secret) else {
                throw ValidationError("--secret must be a whsec_ secret as `swabline labs add` prints it.")
            }
            print("-H webhook-id:\(id) -H webhook-timestamp:\(timestamp) -H webhook-signature:\(signature)")
        }
    }

    struct MLLPKeyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mllp-key",
            abstract: "Print the key a lab puts in MSH-8 of its HL7 messages over MLLP (derived from its webhook secret).",
            discussion: """
                The key changes when the lab's secret is rotated; while the old secret's overlap lasts, both keys work. \
                The newest is printed first.
                """)

        @Argument(help: "The lab id, as the sites name it (e.g. lab-dian).")
        var lab: String

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let secrets = try await store.openStore().webhookSecrets(lab: lab)
            guard !secrets.isEmpty else {
                throw ValidationError("Lab \(lab) has no current webhook secret: give it one with `swabline labs add \(lab)`.")
            }
            for secret in secrets { print(MLLPKey.derive(fromSecret: secret)) }
        }
    }
}
