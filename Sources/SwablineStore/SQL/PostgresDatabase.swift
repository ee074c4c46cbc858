import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The store's database on a PostgreSQL primary, found among several hosts.
///
/// Every node of a cluster lists the same hosts (`postgres://user@a:5432,b:5432/swabline`);
/// a connection is opened to the first that is out of recovery and writable,
/// so after a failover the nodes find the promoted standby by themselves.
/// The store's code runs synchronously on a thread of a private pool, one
/// connection per thread at a time, as it runs on GRDB's writer and readers.
public final class PostgresDatabase: Sendable {
    /// Where to connect: hosts in the order they are tried, and who to be.
    public struct Address: Sendable, Equatable {
        public var hosts: [(host: String, port: Int)]
        public var username: String
        public var password: String?
        public var database: String
        /// The schema the store's tables live in (`?schema=NAME`), when not
        /// the database's default `public`: several stores in one database.
        public var schema: String?

        public static func == (lhs: Address, rhs: Address) -> Bool {
            lhs.hosts.map { "\($0.host):\($0.port)" } == rhs.hosts.map { "\($0.host):\($0.port)" } && lhs.username == rhs.username
                && lhs.password == rhs.password && lhs.database == rhs.database
                && lhs.schema == rhs.schema
        }

        /// Reads `postgres://user[:password]@host[:port][,host[:port]…]/database[?schema=NAME]`
        /// (also `postgresql://`), the form libpq takes for several hosts.
        public init(url: String) throws {
            guard let scheme = url.range(of: "://"), ["postgres", "postgresql"].contains(url[..<scheme.lowerBound].lowercased()) else {
                throw AddressError("a PostgreSQL address starts with postgres://")
            }
            var rest = url[scheme.upperBound...]
            if let query = rest.firstIndex(of: "?") {
                for pair in rest[rest.index(after: query)...].split(separator: "&") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, parts[0] == "schema", Self.isPlainName(parts[1]) else {
                        throw AddressError("the only option is ?schema=NAME (letters, digits, _), got '\(pair)'")
                    }
                    schema = parts[1]
                }
                rest = rest[..<query]
            }
            guard let at = rest.lastIndex(of: "@") else { throw AddressError("name the user: postgres://USER@HOST/DATABASE") }
            let user = rest[..<at]
            let afterUser = rest[rest.index(after: at)...]
            guard let slash = afterUser.firstIndex(of: "/"), !afterUser[afterUser.index(after: slash)...].isEmpty else {
                throw AddressError("name the database: postgres://USER@HOST/DATABASE")
            }
            let userParts = user.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                .map { String($0).removingPercentEncoding ?? String($0) }
            guard let name = userParts.first, !name.isEmpty else { throw AddressError("name the user: postgres://USER@HOST/DATABASE") }
            username = name
            password = userParts.count > 1 ? userParts[1] : nil
            database = String(afterUser[afterUser.index(after: slash)...]).removingPercentEncoding ?? ""
            hosts = try afterUser[..<slash].split(separator: ",").map { entry in
                let parts = entry.split(separator: ":")
                guard let host = parts.first, !host.isEmpty, parts.count <= 2 else { throw AddressError("a host is HOST or HOST:PORT, got '\(entry)'") }
                guard parts.count == 1 || Int(parts[1]).map({ (1...65_535).contains($0) }) == true else {
                    throw AddressError("'\(parts[1])' is not a port")
                }
                return (String(host), parts.count == 2 ? Int(parts[1])! : 5432)
            }
            guard !hosts.isEmpty, !username.isEmpty else { throw AddressError("name at least one host and the user") }
        }

        /// The address without its password, for logs and messages.
        public var redacted: String {
            "postgres://\(username)@\(hosts.map { "\($0.host):\($0.port)" }.joined(separator: ","))/\(database)"
                + (schema.map { "?schema=\($0)" } ?? "")
        }

        /// Whether `name` can be written into SQL as an identifier as it is.
        static func isPlainName(_ name: String) -> Bool {
            !name.isEmpty && name.count <= 63 && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
                && !name.first!.isNumber
        }
    }

    public struct AddressError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public let address: Address
    private let logger: Logger
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(1)

    /// The threads the store's synchronous SQL runs on, shared by every
    /// PostgreSQL store of the process. Their number bounds the connections
    /// a node opens: the writer's one, and the concurrent reads.
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    /// The writer's own thread: its batches never wait behind reads (the
    /// boards poll every second), as GRDB gives SQLite's writer its own queue.
    private let writerThread: NIOThreadPool

    /// How long one statement may take before the connection is given up:
    /// a primary whose machine died leaves no one to close its sockets, and
    /// the writer must not wait for TCP to notice (about 15 minutes).
    static let statementDeadline: TimeAmount = .seconds(60)

    public init(address: Address, logger: Logger = Logger(label: "swabline.postgres")) {
        self.address = address
        self.logger = logger
        writerThread = NIOThreadPool(numberOfThreads: 1)
        writerThread.start()
    }

    deinit {
        for connection in idle.withLock({ $0 }) { Self.close(connection) }
        writerThread.shutdownGracefully { _ in }
    }

    /// Creates an empty schema to hold a store (`?schema=NAME`): a test's
    /// private store, or one of several in a database.
    public func createSchema(named name: String) async throws {
        guard Address.isPlainName(name) else { throw AddressError("'\(name)' is not a plain schema name") }
        try await withSession { try $0.execute(sql: "CREATE SCHEMA \(name)") }
    }

    /// Runs `body` on a connection to the primary, on a pool thread; an
    /// open transaction is the caller's to end.
    ///
    /// A connection goes back to the pool only when its session ended
    /// cleanly (no transaction left open); one that lost its server, or
    /// whose ROLLBACK failed, is closed, and with a lost server every idle
    /// connection goes too, so the next one is opened to whichever host is
    /// the primary now.
    func withSession<T: Sendable>(writer: Bool = false, _ body: @escaping @Sendable (SQLSession) throws -> T) async throws -> T {
        try await (writer ? writerThread : Self.threads).runIfActive {
            let connection = try self.checkOut()
            let session = PostgresSession(connection: connection, logger: self.logger, deadline: Self.statementDeadline)
            do {
                let value = try body(SQLSession(.postgres(session)))
                self.release(connection, session)
                return value
            } catch {
                self.release(connection, session)
                throw error
            }
        }
    }

    private func release(_ connection: PostgresConnection, _ session: PostgresSession) {
        if session.serverLost {
            Self.close(connection)
            for idle in idle.withLock({ idle in defer { idle.removeAll() }; return idle }) { Self.close(idle) }
        } else if session.inTransaction || connection.isClosed {
            Self.close(connection)
        } else {
            checkIn(connection)
        }
    }

    /// Runs `body` in one transaction and commits it. A serialization
    /// failure or deadlock (another node's transaction touched the same
    /// rows) runs the whole body again, up to `attempts` times: the body
    /// only reads and writes this transaction, so running it again is safe.
    func transaction<T: Sendable>(
        _ begin: String, writer: Bool = false, attempts: Int = 20, _ body: @escaping @Sendable (SQLSession) throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withSession(writer: writer) { session in
                    try session.execute(sql: begin)
                    do {
                        let value = try body(session)
                        try session.execute(sql: "COMMIT")
                        return value
                    } catch {
                        try? session.execute(sql: "ROLLBACK")
                        throw error
                    }
                }
            } catch SQLError.mustRetry(let why) where attempt < attempts {
                attempt += 1
                logger.debug("transaction retried", metadata: ["attempt": "\(attempt)", "why": "\(why)"])
                // A short random pause lets the transaction it collided with finish first.
                try await Task.sleep(for: .microseconds(Int.random(in: 100...(500 * attempt))))
            }
        }
    }

    /// Closes a connection in the background; the closure holds it until
    /// it is closed (postgres-nio asserts that none is freed while open).
    private static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private func checkOut() throws -> PostgresConnection {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        return try connectToPrimary()
    }

    private func checkIn(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        idle.withLock { $0.append(connection) }
    }

    /// Opens a connection to the first listed host that is a primary.
    private func connectToPrimary() throws -> PostgresConnection {
        var problems: [String] = []
        for (host, port) in address.hosts {
            var configuration = PostgresConnection.Configuration(
                host: host, port: port, username: address.username, password: address.password, database: address.database, tls: .disable)
            configuration.options.connectTimeout = .seconds(3)
            // Rule 5 whatever the server's default: a COMMIT returns once the WAL is flushed
            // (and, with a synchronous standby named on the primary, on the standby too).
            // A session left inside a transaction by a node whose machine vanished holds its
            // locks (the writers' turn among them) only this long; a live node's transactions
            // never wait on it between statements.
            configuration.options.additionalStartupParameters = [
                ("synchronous_commit", "on"), ("idle_in_transaction_session_timeout", "30s"),
            ]
            if let schema = address.schema { configuration.options.additionalStartupParameters.append(("search_path", schema)) }
            var opened: PostgresConnection?
            do {
                let connection = try PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                    id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue, logger: logger
                ).wait()
                opened = connection
                if address.hosts.count == 1 { return connection }
                let session = PostgresSession(connection: connection, logger: logger, deadline: .seconds(3))
                // A standby being promoted leaves recovery a moment before it takes writes:
                // only a server that does both is the primary (libpq's target_session_attrs=read-write).
                let writable = "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'"
                if try session.rows(writable, []).first?.decode(Bool.self, atIndex: 0) == true { return connection }
                problems.append("\(host):\(port) is a standby")
                Self.close(connection)
            } catch {
                if let opened { Self.close(opened) }
                problems.append("\(host):\(port): \(error)")
            }
        }
        throw SQLError.connectionLost("no primary among \(address.redacted): " + problems.joined(separator: "; "))
    }
}
