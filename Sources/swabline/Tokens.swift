import ArgumentParser
import Foundation
import SwablineCore
import SwablineStore

struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bearer tokens for staff, couriers, coordinators and the people of a lab without an LIS.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it. Only its hash is stored: copy it now.")

        @Option(help: "staff, courier, coordinator or lab.")
        var role: String

        @Option(help: "The site id (required for staff; limits a courier to that site's boxes).")
        var site: String?

        @Option(help: "The lab id (required for a lab token: the lab page and box manifests, for a lab without its own system).")
        var lab: String?

        @Option(help: "A note to recognise the token by, e.g. the desk or the person.")
        var label: String?

        @Option(help: "Hours until the token stops working (a lost phone's token dies on its own).")
        var validForHours: Double = Store.defaultTokenLifetime / 3600

        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be staff, courier, coordinator or lab.")
            }
            if role == .staff, site == nil { throw ValidationError("A staff token needs --site <site id>.") }
            if role == .lab, lab == nil {
                throw ValidationError("A lab token needs --lab <lab id> (a lab's own system signs webhooks instead: see `swabline labs add`).")
            }
            if role != .lab, lab != nil { throw ValidationError("--lab is only for a lab token (--role lab).") }
            guard validForHours > 0, validForHours.isFinite else { throw ValidationError("--valid-for-hours must be more than 0.") }
        }

        func run() async throws {
            let store = try await store.openStore()
            let (id, token) = try await explainingRefusals {
                try await store.createToken(role: Role(rawValue: role)!, site: site, label: label, validFor: validForHours * 3600, lab: lab)
            }
            print(token)
            let info = try await store.token(id: id)!
            FileHandle.standardError.write(Data("token #\(id), valid until \(info.expiresAt ?? "revoked")\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List tokens (number, role, site, label, dates). The tokens themselves are not stored and cannot be shown.")

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let tokens = try await store.openStore().tokens()
            let now = Timestamp.string(Date())
            print("#\tstate\trole\tsite\tlabel\tcreated\texpires")
            for token in tokens {
                let state = token.revokedAt != nil ? "revoked" : (token.expiresAt.map { $0 <= now } ?? false) ? "expired" : "active"
                print([
                    "\(token.id)", state, token.role, token.site ?? token.lab ?? "-", token.label ?? "-", token.createdAt, token.expiresAt ?? "never",
                ].joined(separator: "\t"))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token by its number (see `tokens list`): its next request is refused with 401.")

        @Argument(help: "The token's number.")
        var id: Int64

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let token = try await explainingRefusals { try await store.openStore().revokeToken(id: id) }
            print("token #\(token.id) (\(token.role)\(token.site.map { " at \($0)" } ?? "")) revoked at \(token.revokedAt ?? "?")")
        }
    }
}
