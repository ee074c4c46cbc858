import ArgumentParser
import Foundation

/// `simulate --against` and what a replay needs: where, with which
/// credentials (an option, else its environment variable), how fast and
/// for how long at most.
struct ReplayOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Replay the day through the API of a Swabline server on this machine and compare its reports with the simulation.",
            valueName: "http://127.0.0.1:PORT"))
    var against: String?

    @Option(help: "A staff token of the site (default: $SWABLINE_STAFF_TOKEN).")
    var staffToken: String?

    @Option(help: "A courier token (default: $SWABLINE_COURIER_TOKEN).")
    var courierToken: String?

    @Option(help: "A coordinator token, to read the reports (default: $SWABLINE_COORDINATOR_TOKEN).")
    var coordinatorToken: String?

    @Option(help: "The site's lab's webhook secret, whsec_… (default: $SWABLINE_LAB_SECRET).")
    var labSecret: String?

    @Option(help: "Simulated seconds per real second (3600: an hour a second); default: as fast as the server answers.")
    var speed: Double?

    @Option(help: "Give up after this many seconds, replay and comparison together.")
    var timeout: Double = 300

    static let environment = [
        ("--staff-token", "SWABLINE_STAFF_TOKEN", "swabline tokens create --role staff --site <site>"),
        ("--courier-token", "SWABLINE_COURIER_TOKEN", "swabline tokens create --role courier"),
        ("--coordinator-token", "SWABLINE_COORDINATOR_TOKEN", "swabline tokens create --role coordinator"),
        ("--lab-secret", "SWABLINE_LAB_SECRET", "swabline labs add <the site's lab>"),
    ]

    func validate() throws {
        guard let against else {
            if speed != nil || staffToken != nil || courierToken != nil || coordinatorToken != nil || labSecret != nil {
                throw ValidationError("--speed and the credentials go with --against http://127.0.0.1:PORT.")
            }
            return
        }
        _ = try ReplayTarget(against)
        if let speed, !(speed > 0 && speed.isFinite) { throw ValidationError("--speed must be above 0; got \(speed).") }
        if !(timeout >= 1 && timeout <= 86_400) { throw ValidationError("--timeout must be between 1 and 86400 seconds; got \(timeout).") }
    }

    /// The four credentials, each from its option or else its variable
    /// (read when the replay starts, so parsing never looks at the environment).
    func credentials(_ environment: [String: String]) throws -> ReplayCredentials {
        let given = [staffToken, courierToken, coordinatorToken, labSecret]
        var values: [String] = []
        var lacking: [String] = []
        for (option, (flag, variable, make)) in zip(given, Self.environment) {
            let value = (option ?? environment[variable])?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if value.isEmpty { lacking.append("  \(flag) or \(variable)   (\(make))") }
            values.append(value)
        }
        guard lacking.isEmpty else {
            throw ValidationError("--against needs credentials it was not given:\n" + lacking.joined(separator: "\n"))
        }
        return ReplayCredentials(staff: values[0], courier: values[1], coordinator: values[2], labSecret: values[3])
    }
}
