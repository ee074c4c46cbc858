import GRDB
import SwablineCore

extension Store {
    /// Every resident of a site with their outcome in a round (none when not
    /// sampled in it) and their standing, in address order: the outcomes export.
    public func roundOutcomes(site: String, round: Int64? = nil, by actor: Actor) async throws -> (round: String, people: [PersonLine]) {
        try await readSiteRound(site, round: round, by: actor) { db, round in
            let people = try PersonLineRow.fetchAll(
                db.cachedStatement(sql: """
                    SELECT \(ResidentAtHome.columns), o.status, st.status AS standing, NULL AS reason, NULL AS reason_found
                    FROM resident r JOIN household h ON h.id = r.household_id
                    LEFT JOIN outcome o ON o.round_id = ? AND o.resident_id = r.id LEFT JOIN standing st ON st.resident_id = r.id
                    WHERE r.site_id = ?
                    """),
                arguments: [round.id, site]
            ).map(\.line).sorted(by: Self.addressOrder)
            return (round.name, people)
        }
    }
}
