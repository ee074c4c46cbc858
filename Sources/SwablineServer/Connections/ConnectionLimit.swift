import Hummingbird
import HummingbirdCore
import Logging

/// How many connections the server holds open at once. Past the limit it
/// stops accepting (new clients wait in the listen backlog until one
/// closes) instead of running out of file descriptors, which would stop
/// it opening the database and answering anyone; an idle connection is
/// closed after `ServerConfiguration.idleTimeout`, so the wait is bounded.
/// Reaching the limit and leaving it are logged, once each time.
struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let logger: Logger
    private var open = 0

    init(maximum: Int, logger: Logger) {
        self.maximum = maximum
        self.logger = logger
    }

    mutating func connectionOpened() {
        open += 1
        if open == maximum {
            logger.warning(
                "connection limit reached: new connections wait until one closes",
                metadata: ["connections": "\(open)", "max_connections": "\(maximum)"])
        }
    }

    mutating func connectionClosed() {
        if open == maximum {
            logger.notice("accepting connections again", metadata: ["max_connections": "\(maximum)"])
        }
        open -= 1
    }

    func isAcceptingNewConnections() -> Bool { open < maximum }
}
