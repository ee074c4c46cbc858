import ArgumentParser

@main
struct Swabline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swabline",
        abstract: "Mass PCR testing in residential compounds: queue, tubes, boxes, lab results, outcomes.",
        subcommands: [
            Serve.self, Sites.self, Tokens.self, Labs.self, Subscribers.self, Outbox.self, Rounds.self, Simulate.self, Backup.self,
            Restore.self, Bench.self,
        ],
        defaultSubcommand: Serve.self)
}
