import NIOCore

/// The key a client's failures are counted under: its IPv4 address, or its
/// IPv6 /64 (one household or phone is given a whole /64, and could
/// otherwise step to a fresh address for each attempt). An IPv4 client seen
/// through a dual-stack socket (`::ffff:a.b.c.d`) is keyed by its IPv4 address.
///
/// This is the socket's peer. Behind a reverse proxy every client shares the
/// proxy's address: the limits then apply to all failing clients together,
/// while valid tokens, never limited, keep working.
enum ClientAddress {
    static func key(_ address: SocketAddress?) -> String? {
        switch address {
        case let .v4(v4)?:
            return address?.ipAddress ?? withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }.map(String.init).joined(separator: ".")
        case let .v6(v6)?:
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            return key(ipv6: bytes)
        default:
            return nil
        }
    }

    /// The key of a 16-byte IPv6 address.
    static func key(ipv6 bytes: [UInt8]) -> String? {
        guard bytes.count == 16 else { return nil }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
