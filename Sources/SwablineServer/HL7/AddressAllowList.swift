import NIOCore

/// The addresses a lab's MLLP connection may come from: IPv4 or IPv6
/// addresses, each with an optional prefix length (`10.20.0.0/16`,
/// `::1`). MLLP carries no credentials of its own beyond MSH-8, so the
/// network it listens on is half of a lab's identity; anything else is
/// closed before a byte is read.
public struct AddressAllowList: Sendable, Equatable {
    struct Prefix: Sendable, Equatable {
        var bytes: [UInt8]
        var length: Int
    }

    var prefixes: [Prefix]

    /// Loopback only: a lab on this machine, or an SSH tunnel or VPN endpoint.
    public static let loopback = try! AddressAllowList(["127.0.0.0/8", "::1"])

    /// Reads `address[/length]` entries; a bad one is named.
    public init(_ entries: [String]) throws(AddressAllowListError) {
        prefixes = try entries.map { entry throws(AddressAllowListError) in
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let address = parts.first, let bytes = Self.bytes(of: address) else { throw .notAnAddress(entry) }
            let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let length, (0...(bytes.count * 8)).contains(length) else { throw .notAnAddress(entry) }
            return Prefix(bytes: bytes, length: length)
        }
    }

    /// Whether a peer may connect. An IPv4 peer seen on a dual-stack
    /// socket (`::ffff:a.b.c.d`) is matched as IPv4.
    public func allows(_ peer: SocketAddress?) -> Bool {
        guard let text = peer?.ipAddress, var bytes = Self.bytes(of: text) else { return false }
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff { bytes = Array(bytes[12...]) }
        return prefixes.contains { prefix in
            guard prefix.bytes.count == bytes.count else { return false }
            for bit in 0..<prefix.length where (prefix.bytes[bit / 8] ^ bytes[bit / 8]) & (0x80 >> UInt8(bit % 8)) != 0 {
                return false
            }
            return true
        }
    }

    static func bytes(of address: String) -> [UInt8]? {
        switch try? SocketAddress(ipAddress: address, port: 0) {
        case let .v4(v4)?: withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case let .v6(v6)?: withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default: nil
        }
    }
}

public enum AddressAllowListError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnAddress(String)

    public var description: String {
        switch self {
        case let .notAnAddress(entry): "'\(entry)' is not an IP address with an optional /prefix length, such as 10.20.0.0/16 or ::1"
        }
    }
}
