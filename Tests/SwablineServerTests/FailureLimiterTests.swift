import Foundation
@testable import SwablineServer
import Testing

@Suite("Failure limiter: a token bucket per client, bounded")
struct FailureLimiterTests {
    let start = Date(timeIntervalSince1970: 1_649_116_800)

    @Test("a burst, then refused with the wait until one more is allowed; refills at the rate")
    func bucket() {
        let limiter = FailureLimiter(RateLimit(burst: 3, perMinute: 6), capacity: 100)  // one every 10 s
        for _ in 0..<3 { #expect(limiter.recordFailure("10.0.0.1", now: start) == nil) }
        let wait = limiter.recordFailure("10.0.0.1", now: start)
        #expect(wait.map { abs($0 - 10) < 0.001 } == true, "\(String(describing: wait))")
        #expect(limiter.recordFailure("10.0.0.2", now: start) == nil, "another client has its own bucket")
        // A refused attempt does not push the wait out.
        #expect(limiter.recordFailure("10.0.0.1", now: start + 4).map { abs($0 - 6) < 0.001 } == true)
        #expect(limiter.recordFailure("10.0.0.1", now: start + 10) == nil)
        #expect(limiter.recordFailure("10.0.0.1", now: start + 10) != nil)
        // Long idle: full again, never more than the burst.
        for _ in 0..<3 { #expect(limiter.recordFailure("10.0.0.1", now: start + 3600) == nil) }
        #expect(limiter.recordFailure("10.0.0.1", now: start + 3600) != nil)
    }

    @Test("memory stays bounded: refilled buckets go first, then the least recently failed")
    func bounded() {
        let limiter = FailureLimiter(RateLimit(burst: 2, perMinute: 60), capacity: 100)
        for i in 0..<100 { #expect(limiter.recordFailure("a\(i)", now: start) == nil) }
        #expect(limiter.count == 100)
        // Seconds later every bucket has refilled: all are dropped for the newcomer.
        #expect(limiter.recordFailure("b", now: start + 5) == nil)
        #expect(limiter.count == 1)
        // A flood of fresh addresses: the table never passes its capacity…
        for i in 0..<1000 { _ = limiter.recordFailure("c\(i)", now: start + 5 + Double(i) / 1000) }
        #expect(limiter.count <= 100)
        // …and the most recent ones are still limited.
        #expect(limiter.recordFailure("c999", now: start + 6) == nil)
        #expect(limiter.recordFailure("c999", now: start + 6) != nil)
    }

    @Test("IPv6 clients are keyed by their /64, IPv4 through a dual-stack socket by the IPv4 address")
    func addresses() {
        let a: [UInt8] = [0x24, 0x08, 0x80, 0x00, 0, 0, 0, 0x11, 0, 0, 0, 0, 0, 0, 0, 1]
        var b = a
        b[15] = 0x99
        b[9] = 0x42
        #expect(ClientAddress.key(ipv6: a) == "2408:8000:0:11::/64")
        #expect(ClientAddress.key(ipv6: a) == ClientAddress.key(ipv6: b))
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 1, 7]
        #expect(ClientAddress.key(ipv6: mapped) == "192.168.1.7")
    }
}
