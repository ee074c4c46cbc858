import ArgumentParser
import SwablineStore

struct Sites: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with site definitions.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a sites folder: every bad row is named by file, line, field and why.")

        @Argument(help: "The sites folder.")
        var path: String = "sites"

        func run() async throws {
            let report = SiteDirectory.load(path)
            for problem in report.problems { print(problem) }
            for site in report.sites {
                let households = Set(site.roster.map(\.household)).count
                print("\(site.definition.id) (\(site.definition.name)): \(households) households, \(site.roster.count) residents, \(site.definition.stations.count) stations")
            }
            guard report.problems.isEmpty else {
                print("\(report.problems.count) problem(s) found.")
                throw ExitCode.failure
            }
            print("All \(report.sites.count) site(s) are valid.")
        }
    }
}
