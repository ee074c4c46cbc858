import GRDB
import SwablineCore

/// One resident referred at the gate: fever or symptoms (扫码、登记、测温).
public struct Referral: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    /// Masked.
    public var phone: String
    public var household: String
    public var ticket: String
    public var temperatureC: Double?
    public var symptoms: [Triage.Symptom]
    public var checkedInAt: String
    /// Sampled in this round (into a single tube).
    public var sampled: Bool
}

public struct ReferralReport: Sendable, Codable, Equatable {
    public var site: String
    public var round: String
    public var referrals: [Referral]
}

extension Store {
    /// Keeps what the gate measured on the ticket. A fever or a symptom
    /// refers the resident: their ticket goes to the single-tube lane for
    /// this round (the caller and rule 1 treat them as flagged single-tube),
    /// and the referral is audited. A later reading never un-refers them.
    static func recordTriage(_ db: SQLSession, _ triage: Triage, ticket: Int64, resident: Int64, by actor: Actor, now: String) throws {
        try db.cachedStatement(sql: """
            UPDATE ticket SET temperature_c = coalesce(?, temperature_c), symptoms = coalesce(?, symptoms), referred = CASE WHEN ? = 1 THEN 1 ELSE referred END
            WHERE id = ?
            """).execute(arguments: [
                triage.temperatureC, triage.symptoms.isEmpty ? nil : triage.symptoms.map(\.rawValue).joined(separator: ","),
                triage.refers, ticket,
            ])
        if triage.refers {
            try audit(db, .referred, by: actor, resident: resident, detail: "to the single-tube lane: \(triage.summary)", now: now)
        }
    }

    /// Whether the resident's ticket in `round` was referred at the gate.
    static func referred(_ db: SQLSession, round: Int64, resident: Int64) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT referred FROM ticket WHERE round_id = ? AND resident_id = ?"), arguments: [round, resident]) ?? false
    }

    /// Who the gate referred in a round (the site's current one by default), in check-in order.
    public func referrals(site: String, round: Int64? = nil, by actor: Actor) async throws -> ReferralReport {
        try await readSiteRound(site, round: round, by: actor) { db, round in
            let rows = try SQLRow.fetchAll(
                db.cachedStatement(sql: """
                    SELECT r.code, r.name, r.phone, h.key AS household, t.number, t.lane, t.temperature_c, t.symptoms, t.checked_in_at,
                      EXISTS (SELECT 1 FROM sample s WHERE s.round_id = t.round_id AND s.resident_id = r.id) AS sampled
                    FROM ticket t JOIN resident r ON r.id = t.resident_id JOIN household h ON h.id = r.household_id
                    WHERE t.round_id = ? AND t.site_id = ? AND t.referred = 1 ORDER BY t.id
                    """), arguments: [round.id, site])
            return ReferralReport(
                site: site, round: round.name,
                referrals: rows.map { row in
                    Referral(
                        code: row["code"], name: row["name"], phone: PersonalData.maskPhone(row["phone"]), household: row["household"],
                        ticket: Self.ticketLabel(number: row["number"], lane: row["lane"]), temperatureC: row["temperature_c"],
                        symptoms: ((row["symptoms"] as String?) ?? "").split(separator: ",").compactMap { Triage.Symptom(rawValue: String($0)) },
                        checkedInAt: row["checked_in_at"], sampled: row["sampled"])
                })
        }
    }
}
