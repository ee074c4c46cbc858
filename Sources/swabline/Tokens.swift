import ArgumentParser
import SwablineCore
import SwablineStore

struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bearer tokens for staff, couriers and coordinators.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it. Only its hash is stored: copy it now.")

        @Option(help: "staff, courier or coordinator.")
        var role: String

        @Option(help: "The site id (required for staff; limits a courier to that site's boxes).")
        var site: String?

        @Option(help: "A note to recognise the token by, e.g. the desk or the person.")
        var label: String?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard let role = Role(rawValue: role), role != .lab else {
                throw ValidationError("--role must be staff, courier or coordinator (labs sign webhooks: see `swabline labs add`).")
            }
            if role == .staff, site == nil { throw ValidationError("A staff token needs --site <site id>.") }
        }

        func run() async throws {
            let store = try await store.openStore()
            do {
                let (_, token) = try await store.createToken(role: Role(rawValue: role)!, site: site, label: label)
                print(token)
            } catch let error as StoreError {
                throw ValidationError(error.message)
            }
        }
    }
}
