import Foundation
import SwablineCore
@testable import SwablineStore
import Testing

@Suite("Tokens expire and can be revoked")
struct TokenTests {
    @Test("a token works until it expires or is revoked; only its hash is kept")
    func lifecycle() async throws {
        let clock = MovableClock(Date(timeIntervalSince1970: 1_649_116_800))  // 2022-04-05 00:00 UTC
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swabline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try Store(path: directory.appendingPathComponent("t.sqlite").path, clock: { clock.now })
        _ = try await store.importSites(SiteDirectory.load(Fixture.sitesPath).sites)

        let (shortID, short) = try await store.createToken(role: .courier, site: nil, label: "van 3", validFor: 3600)
        let (weekID, week) = try await store.createToken(role: .staff, site: Fixture.site, label: "gate")
        #expect(try await store.actor(forToken: short) == .courier(token: shortID, sites: []))
        #expect(try await store.actor(forToken: week) == .staff(token: weekID, site: Fixture.site))

        clock.now += 3601
        #expect(try await store.actor(forToken: short) == nil)
        #expect(try await store.actor(forToken: week) != nil)
        clock.now += Store.defaultTokenLifetime
        #expect(try await store.actor(forToken: week) == nil)

        let (id, token) = try await store.createToken(role: .coordinator, site: nil, label: nil)
        let revoked = try await store.revokeToken(id: id)
        #expect(revoked.revokedAt != nil)
        #expect(try await store.actor(forToken: token) == nil)
        #expect(try await store.revokeToken(id: id) == revoked)  // again: nothing changes
        await #expect(throws: StoreError.notFound(kind: .token, code: "#999")) { try await store.revokeToken(id: 999) }
        await #expect(throws: StoreError.self) { try await store.createToken(role: .courier, site: nil, label: nil, validFor: 0) }

        let stored = try await store.fingerprint()["token"]!.joined()
        for secret in [short, week, token] { #expect(!stored.contains(secret)) }
        #expect(try await store.tokens().map(\.id) == [id, weekID, shortID])
    }
}
