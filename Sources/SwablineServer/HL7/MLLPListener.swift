import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import SwablineCore
import SwablineStore

/// The MLLP port (`swabline serve --mllp-port`): labs' LIS connect, send
/// ORU^R01 messages framed 0x0B … 0x1C 0x0D, and get each message's ACK
/// on the same connection once its results are durably committed. A
/// Service, so SIGTERM stops taking connections and lets the ones in
/// flight finish their message.
public struct MLLPListener: Service {
    /// Connections held at once: a district has tens of labs, each with a few senders.
    public static let maxConnections = 64
    /// A connection silent this long is closed, so dead peers do not hold a slot.
    public static let idleTimeout: TimeAmount = .seconds(300)

    let host: String
    let port: Int
    let allowed: AddressAllowList
    let intake: HL7Intake
    let logger: Logger
    /// Told the port once bound (the tests bind port 0).
    let bound: @Sendable (Int) -> Void
    private let open = OpenConnections()

    public init(
        host: String, port: Int, allowed: AddressAllowList, store: any LabInbox, logger: Logger,
        bound: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.allowed = allowed
        self.intake = HL7Intake(store: store, clock: Date.init)
        self.logger = logger
        self.bound = bound
    }

    public func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: Self.idleTimeout), CloseWhenIdle(),
                    ])
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let boundPort = server.channel.localAddress?.port ?? port
        logger.info("MLLP listening", metadata: ["host": "\(host)", "port": "\(boundPort)"])
        bound(boundPort)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        // A lab's connection stays open for hours; at shutdown it is closed, and a message
                        // not yet acknowledged is sent again by the lab (MSH-10 keeps it applied once).
                        group.addTask { await cancelWhenGracefulShutdown { await self.serve(connection) } }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    /// One lab's connection: frames in, one ACK out per message, in order.
    func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let peer = connection.channel.remoteAddress
        let admitted = open.enter(limit: Self.maxConnections)
        defer { if admitted { open.leave() } }
        guard admitted, allowed.allows(peer) else {
            logger.warning("MLLP connection refused", metadata: ["peer": "\(peer?.ipAddress ?? "?")", "reason": "\(admitted ? "not allowed" : "too many")"])
            try? await connection.channel.close()
            return
        }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var framer = MLLPFramer()
                for try await chunk in inbound {
                    for message in try framer.feed(chunk.readableBytesView) {
                        let ack = try await intake.acknowledge(message, from: .mllp)
                        try await outbound.write(ByteBuffer(bytes: MLLPFramer.frame(Array(ack))))
                    }
                }
            }
        } catch {
            // A broken frame, a silent peer, or a store that could not commit: close without an ACK, and the lab sends again.
            logger.info("MLLP connection closed", metadata: ["peer": "\(peer?.ipAddress ?? "?")", "reason": "\(error)"])
        }
    }
}

/// Closes a connection whose peer has been silent for the idle timeout.
final class CloseWhenIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// How many MLLP connections are open.
final class OpenConnections: Sendable {
    private let count = Mutex(0)

    /// Takes a place, or says there is none.
    func enter(limit: Int) -> Bool {
        count.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() { count.withLock { $0 -= 1 } }
}
