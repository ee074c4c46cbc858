import Foundation
import SwablineCore
@testable import SwablineStore
import Testing

@Suite("Lab webhook secrets rotate with an overlap")
struct LabSecretTests {
    static let start = Date(timeIntervalSince1970: 1_649_116_800)  // 2022-04-05 00:00 UTC

    func makeStore(_ clock: MovableClock) throws -> Store {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swabline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try Store(path: directory.appendingPathComponent("labs.sqlite").path, clock: { clock.now })
    }

    @Test("old and new secret both sign during the overlap; then only the new one; a second rotation never extends the first")
    func rotation() async throws {
        let clock = MovableClock(Self.start)
        let store = try makeStore(clock)
        let first = try await store.addLab("lab-dian")
        #expect(try await store.webhookSecrets(lab: "lab-dian") == [first])
        await #expect(throws: StoreError.self) { try await store.addLab("lab-dian") }  // one first secret only

        let second = try await store.rotateLabSecret("lab-dian", overlap: 3600)
        #expect(second != first)
        #expect(try await store.webhookSecrets(lab: "lab-dian") == [second, first], "newest first, both valid")

        clock.now += 600
        let third = try await store.rotateLabSecret("lab-dian", overlap: 3600)
        #expect(try await store.webhookSecrets(lab: "lab-dian") == [third, second, first])
        clock.now += 3000 + 1  // the first rotation's hour is over: the first secret is gone, not extended to 10:10
        #expect(try await store.webhookSecrets(lab: "lab-dian") == [third, second])
        clock.now += 600
        #expect(try await store.webhookSecrets(lab: "lab-dian") == [third])

        let fourth = try await store.rotateLabSecret("lab-dian", overlap: 0)
        #expect(try await store.webhookSecrets(lab: "lab-dian") == [fourth], "overlap 0 retires the old secret at once")
    }

    @Test("rotating an unknown lab or with a negative overlap is refused and changes nothing")
    func refusals() async throws {
        let store = try makeStore(MovableClock(Self.start))
        _ = try await store.addLab("lab-dian")
        let before = try await store.fingerprint()
        await #expect(throws: StoreError.notFound(kind: .lab, code: "lab-nowhere")) {
            try await store.rotateLabSecret("lab-nowhere", overlap: 3600)
        }
        await #expect(throws: StoreError.self) { try await store.rotateLabSecret("lab-dian", overlap: -1) }
        await #expect(throws: StoreError.self) { try await store.rotateLabSecret("lab-dian", overlap: .infinity) }
        #expect(try await store.fingerprint() == before)
    }
}
