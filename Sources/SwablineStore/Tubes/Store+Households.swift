import GRDB
import SwablineCore

/// What rule 2 needs to know of a resident's household when they are
/// scanned into a tube.
struct HouseholdFacts {
    /// Members checked in and not yet sampled this round (pooled ones only: not single-tube, cleared), besides this resident.
    var waitingOthers: Int
    /// Members already in this tube.
    var inThisTube: Int
    /// Another open pooled tube with room that holds some of them.
    var elsewhere: String?
    /// Places in this tube owed to members still to come of the households already in it.
    var owed: Int
}

extension Store {
    /// The resident's household as rule 2 sees it from `tube`.
    static func householdFacts(_ db: SQLSession, tube: TubeRecord, resident: ResidentRecord) throws -> HouseholdFacts {
        let round = tube.roundID, household = resident.householdID
        let waitingOthers = try Int.fetchOne(
            db.cachedStatement(sql: """
                SELECT count(*) FROM ticket t JOIN resident r ON r.id = t.resident_id
                WHERE t.round_id = ? AND r.household_id = ? AND t.status IN (?, ?) AND r.id <> ?
                  AND r.single_tube = 0 AND t.referred = 0 AND NOT \(notCleared("r"))
                  AND NOT EXISTS (SELECT 1 FROM sample s WHERE s.round_id = t.round_id AND s.resident_id = r.id)
                """),
            arguments: [round, household, TicketStatus.waiting, TicketStatus.called, resident.id, Standing.cleared])!
        let inThisTube = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT count(*) FROM sample s JOIN resident r ON r.id = s.resident_id WHERE s.tube_code = ? AND r.household_id = ?"),
            arguments: [tube.code, household])!
        let elsewhere = try String.fetchOne(
            db.cachedStatement(sql: """
                SELECT t.code FROM tube t
                WHERE t.state = ? AND t.code <> ? AND t.round_id = ? AND t.mode <> ?
                  AND EXISTS (SELECT 1 FROM sample s JOIN resident r ON r.id = s.resident_id
                              WHERE s.tube_code = t.code AND r.household_id = ? AND s.retest = 0)
                  AND (SELECT count(*) FROM sample s WHERE s.tube_code = t.code) < t.capacity
                ORDER BY t.code LIMIT 1
                """),
            arguments: [TubeState.open, tube.code, round, TubeMode.single, household])
        let owed = try Int.fetchOne(
            db.cachedStatement(sql: """
                SELECT count(*) FROM ticket t JOIN resident r ON r.id = t.resident_id
                WHERE t.round_id = ? AND t.status IN (?, ?) AND r.single_tube = 0 AND t.referred = 0 AND NOT \(notCleared("r")) AND r.household_id <> ?
                  AND r.household_id IN (SELECT r2.household_id FROM sample s JOIN resident r2 ON r2.id = s.resident_id
                                         WHERE s.tube_code = ? AND s.retest = 0)
                  AND NOT EXISTS (SELECT 1 FROM sample s WHERE s.round_id = t.round_id AND s.resident_id = r.id)
                """),
            arguments: [round, TicketStatus.waiting, TicketStatus.called, Standing.cleared, household, tube.code])!
        return HouseholdFacts(waitingOthers: waitingOthers, inThisTube: inThisTube, elsewhere: elsewhere, owed: owed)
    }
}
