import ArgumentParser
import Foundation
import Logging
import SwablineServer
import SwablineStore

/// Where the data lives; shared by every command that opens the store.
/// Each flag has an environment variable of the same meaning.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: "The SQLite database file, or a PostgreSQL address postgres://USER@HOST[:PORT][,HOST[:PORT]…]/DATABASE (env SWABLINE_DB).")
    var databasePath: String = ProcessInfo.processInfo.environment["SWABLINE_DB"] ?? "swabline.sqlite"

    @Option(name: .customLong("sites"), help: "The folder of site definitions and rosters (env SWABLINE_SITES).")
    var sitesPath: String = ProcessInfo.processInfo.environment["SWABLINE_SITES"] ?? "sites"

    /// The database as a message may show it: a PostgreSQL address loses its password.
    var databaseForDisplay: String {
        (try? PostgresDatabase.Address(url: databasePath))?.redacted ?? databasePath
    }

    /// Whether the store is on PostgreSQL rather than in an SQLite file.
    var isPostgres: Bool { (try? PostgresDatabase.Address(url: databasePath)) != nil }

    var serverConfiguration: ServerConfiguration {
        ServerConfiguration(databasePath: databasePath, sitesPath: sitesPath)
    }

    /// Opens the store as the server would, so a command works before the
    /// first `serve` too.
    func openStore() async throws -> Store {
        var logger = Logger(label: "swabline")
        logger.logLevel = .warning
        do {
            return try await prepareStore(serverConfiguration, logger: logger)
        } catch let error as SiteFolderError {
            throw ValidationError(error.description)
        }
    }
}

/// Runs a command's store work; a refusal by the store (a rule, a bad
/// value, something not found) becomes the CLI's clear message and exit
/// code 64 instead of a stack of error types.
func explainingRefusals<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as StoreError {
        throw ValidationError(error.message)
    }
}
