import GRDB
import SwablineCore

/// Rule 7: each actor sees and touches only what is theirs.
extension Store {
    /// Staff of `site`, or refused: other roles are not site staff, and
    /// staff of another site are told which site their token is for.
    static func requireStaff(_ actor: Actor, site: String) throws {
        switch actor {
        case let .staff(_, own) where own == site: return
        case let .staff(_, own): throw StoreError.forbidden("Your token is for site \(own), not \(site).")
        default: throw StoreError.forbidden("This needs a staff token of site \(site).")
        }
    }

    /// Staff of `site` or a coordinator: those who may read a site's lists.
    static func requireReader(_ actor: Actor, site: String) throws {
        guard actor.canRead(site: site) else {
            if case let .staff(_, own) = actor { throw StoreError.forbidden("Your token is for site \(own), not \(site).") }
            throw StoreError.forbidden("This needs a staff token of site \(site) or a coordinator token.")
        }
    }

    static func requireCourier(_ actor: Actor) throws -> (token: Int64, sites: [String]) {
        guard case let .courier(token, sites) = actor else { throw StoreError.forbidden("This needs a courier token.") }
        return (token, sites)
    }

    /// Reads what staff of `site` and coordinators may see of one of its
    /// rounds (its current one by default): checks the reader, that the
    /// site exists and entered that round, then runs `body` with the round,
    /// all in one read.
    func readSiteRound<T: Sendable>(
        _ site: String, round: Int64? = nil, by actor: Actor, _ body: @Sendable @escaping (SQLSession, RoundInfo) throws -> T
    ) async throws -> T {
        try Self.requireReader(actor, site: site)
        return try await read { db in
            _ = try self.site(db, site)
            return try body(db, try Self.siteRound(db, site: site, round: round))
        }
    }

    static func requireCoordinator(_ actor: Actor) throws {
        guard case .coordinator = actor else { throw StoreError.forbidden("This needs a coordinator token.") }
    }

    /// Checks a code a scanner typed.
    static func requireCode(_ value: String, field: String) throws {
        if let why = Codes.problem(value) { throw StoreError.invalid(field: field, why: why) }
    }
}
