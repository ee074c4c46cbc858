import GRDB
import SwablineCore

/// The fields a walk-in gives at the gate (unknown resident code).
public struct WalkIn: Sendable, Equatable {
    public var name: String
    public var idNumber: String
    public var phone: String
    public var building: String
    public var unit: String
    public var room: String
    public var singleTube: Bool

    public init(name: String, idNumber: String, phone: String, building: String, unit: String, room: String, singleTube: Bool = false) {
        self.name = name
        self.idNumber = idNumber
        self.phone = phone
        self.building = building
        self.unit = unit
        self.room = room
        self.singleTube = singleTube
    }
}

extension Store {
    /// Signs a resident in at the gate (签到) and gives them a ticket.
    ///
    /// A resident already checked in this round gets their own ticket back
    /// (rule 3). An unknown code is refused unless walk-in fields come with
    /// it; then the resident is registered, joining their household by
    /// address. `priority` puts the resident in the priority lane by staff
    /// choice even when the roster does not.
    public func checkIn(
        site: String, code: String, walkIn: WalkIn?, priority: Bool, by actor: Actor
    ) async throws -> CheckInResult {
        try Self.requireStaff(actor, site: site)
        try Self.requireCode(code, field: "resident_code")
        return try await write { db, now in
            _ = try self.site(db, site)
            let round = try Self.currentRound(db)
            var registered = false
            var resident = try Self.residentRow(db, code: code)
            if resident == nil {
                guard let walkIn else {
                    throw StoreError.notFound(kind: "resident", code: code)
                }
                let fields = [
                    "resident_code": code, "name": walkIn.name, "id_number": walkIn.idNumber, "phone": walkIn.phone,
                    "building": walkIn.building, "unit": walkIn.unit, "room": walkIn.room,
                    "household": "walk-in",  // placed by address below, once the fields are checked
                    "priority": priority ? "1" : "0", "single_tube": walkIn.singleTube ? "1" : "0",
                ]
                switch RosterCheck.entry(fields, file: "walk-in", line: 0) {
                case var .success(entry):
                    // Rule 3: a person already registered (lost their card, a second code) is not registered twice.
                    if let known = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT code, site_id FROM resident WHERE id_number = ? LIMIT 1"), arguments: [entry.idNumber])
                    {
                        let elsewhere = (known["site_id"] as String) != site
                        throw StoreError.conflict(code: "id_number_registered", message: elsewhere
                            ? "A resident with this ID number is registered at another site and is tested there."
                            : "A resident with this ID number is already registered here, as \(known["code"] as String): scan that code.")
                    }
                    entry.household = try Self.walkInHousehold(db, site: site, building: entry.building, unit: entry.unit, room: entry.room)
                    try Self.upsertResident(db, site: site, entry: entry, walkIn: true, now: now)
                case let .failure(problems):
                    throw StoreError.invalid(field: problems.problems[0].field, why: problems.problems[0].why)
                }
                resident = try Self.residentRow(db, code: code)
                registered = true
            }
            guard let resident else { throw StoreError.notFound(kind: "resident", code: code) }
            // Another site's resident is not this staff member's to see (rule 7).
            guard resident["site_id"] == site else { throw StoreError.notFound(kind: "resident", code: code) }
            let residentID: Int64 = resident["id"]
            if let ticket = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM ticket WHERE round_id = ? AND resident_id = ?"), arguments: [round.id, residentID])
            {
                // Back after an invalid sample whose result is in: queue again for the resample.
                let resample = try Bool.fetchOne(
                    db.cachedStatement(sql: """
                        SELECT 1 FROM outcome o WHERE o.round_id = ? AND o.resident_id = ? AND o.status = 'invalid'
                          AND o.decided_by_sample = (SELECT max(id) FROM sample s WHERE s.round_id = o.round_id AND s.resident_id = o.resident_id)
                        """),
                    arguments: [round.id, residentID]) ?? false
                if resample {
                    try db.cachedStatement(
                        sql: "UPDATE ticket SET status = 'waiting', station_id = NULL WHERE id = ? AND status = 'sampled'").execute(
                        arguments: [ticket])
                    if db.changesCount > 0 {
                        try Self.audit(db, .requeued, by: actor, resident: residentID, detail: "to resample an invalid result", now: now)
                    }
                }
                return CheckInResult(
                    ticket: try Self.ticketView(db, id: ticket), resident: Self.residentView(resident), repeated: true,
                    registered: false)
            }
            if let tube = try String.fetchOne(
                db.cachedStatement(sql: "SELECT tube_code FROM sample WHERE round_id = ? AND resident_id = ? AND retest = 0"),
                arguments: [round.id, residentID])
            {
                throw StoreError.rule(.alreadySampled(resident: code, tube: tube))
            }
            if registered { try Self.audit(db, .registered, by: actor, resident: residentID, detail: "walk-in", now: now) }
            let ticket = try Self.ticketView(db, id: Self.issueTicket(
                db, round: round.id, site: site, resident: residentID, priority: priority || resident["priority"], by: actor, now: now))
            return CheckInResult(ticket: ticket, resident: Self.residentView(resident), repeated: false, registered: registered)
        }
    }

    /// The household a walk-in joins: the one living at exactly this
    /// building, unit and room, as typed; else a new one, whose key is
    /// made so it can name no other address (`RosterEntry.householdKey`)
    /// and, should a roster already use that key for another address,
    /// gets a suffix. Two addresses never share a household (rule 2 would
    /// call strangers together, and a retest team would knock on the wrong door).
    static func walkInHousehold(_ db: Database, site: String, building: String, unit: String, room: String) throws -> String {
        if let key = try String.fetchOne(
            db.cachedStatement(sql: "SELECT key FROM household WHERE site_id = ? AND building = ? AND unit = ? AND room = ? ORDER BY id LIMIT 1"),
            arguments: [site, building, unit, room])
        {
            return key
        }
        let base = RosterEntry.householdKey(building: building, unit: unit, room: room)
        var key = base
        var suffix = 1
        while try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM household WHERE site_id = ? AND key = ?"), arguments: [site, key]) != nil {
            suffix += 1
            key = "\(base)~\(suffix)"
        }
        return key
    }

    /// Gives a resident the next ticket of the site's queue this round and
    /// audits the check-in: the gate's path, and the station's "check in
    /// and sample" for someone who skipped the gate. Returns the ticket's id.
    static func issueTicket(
        _ db: Database, round: Int64, site: String, resident: Int64, priority: Bool, by actor: Actor, now: String, where place: String? = nil
    ) throws -> Int64 {
        let lane: Lane = priority ? .priority : .normal
        let number = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT coalesce(max(number), 0) + 1 FROM ticket WHERE round_id = ? AND site_id = ?"),
            arguments: [round, site])!
        try db.cachedStatement(
            sql: """
                INSERT INTO ticket (round_id, site_id, resident_id, number, lane, status, checked_in_at)
                VALUES (?, ?, ?, ?, ?, 'waiting', ?)
                """).execute(
            arguments: [round, site, resident, number, lane.rawValue, now])
        let id = db.lastInsertedRowID
        try Self.audit(
            db, .checkedIn, by: actor, resident: resident, detail: "ticket \(ticketLabel(number: number, lane: lane))" + (place.map { ", \($0)" } ?? ""),
            now: now)
        return id
    }

    /// Calls the next group to a station for its open tube. The core
    /// decides who (whole households, priority first, bounded overtaking);
    /// the store marks their tickets called.
    public func callNext(site: String, station: String, by actor: Actor) async throws -> CallResult {
        try Self.requireStaff(actor, site: site)
        return try await write { db, now in
            _ = try self.site(db, site)
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM station WHERE site_id = ? AND id = ?"), arguments: [site, station]) != nil
            else { throw StoreError.notFound(kind: "station", code: station) }
            guard let tubeCode = try String.fetchOne(
                db.cachedStatement(sql: "SELECT code FROM tube WHERE site_id = ? AND station_id = ? AND state = 'open'"), arguments: [site, station])
            else {
                throw StoreError.conflict(code: "no_open_tube", message: "Station \(station) has no open tube: scan a new tube first.")
            }
            let tube = try Self.tubeView(db, code: tubeCode)
            let round = try Self.currentRound(db)
            // A resent call (or one made before the last group was swabbed) gets that group again.
            let pending = try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT id FROM ticket WHERE round_id = ? AND site_id = ? AND station_id = ? AND status = 'called' ORDER BY id"),
                arguments: [round.id, site, station])
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT t.id, t.lane, t.overtaken, r.household_id,
                      (r.single_tube OR coalesce(o.status, '') = 'pool_positive') AS single_tube
                    FROM ticket t JOIN resident r ON r.id = t.resident_id
                    LEFT JOIN outcome o ON o.round_id = t.round_id AND o.resident_id = t.resident_id
                    WHERE t.round_id = ? AND t.site_id = ? AND t.status = 'waiting'
                    ORDER BY t.id
                    """),
                arguments: [round.id, site])
            let queue = rows.map {
                WaitingTicket(
                    ticket: $0["id"], household: $0["household_id"], lane: Lane(rawValue: $0["lane"])!,
                    singleTube: $0["single_tube"], overtaken: $0["overtaken"])
            }
            let held = pending.isEmpty && tube.mode.isPooled
                ? try Self.householdsHeldElsewhere(db, round: round.id, site: site, station: station, tube: tubeCode) : []
            let decision = try pending.isEmpty
                ? StoreError.checking {
                    try QueueCaller.nextGroup(
                        queue: queue, mode: tube.mode, filled: tube.filled, policy: .standard(for: tube.mode), heldElsewhere: held)
                }
                : CallDecision(
                    called: pending, overtaken: [:], singleTubeWaiting: queue.filter(\.singleTube).count, stillWaiting: queue.count)
            for (ticket, overtaken) in decision.overtaken {
                try db.cachedStatement(sql: "UPDATE ticket SET overtaken = ? WHERE id = ?").execute( arguments: [overtaken, ticket])
            }
            var called: [CalledPerson] = []
            for ticket in decision.called {
                try db.cachedStatement(
                    sql: "UPDATE ticket SET status = 'called', station_id = ?, called_at = coalesce(called_at, ?) WHERE id = ?").execute(
                    arguments: [station, now, ticket])
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: """
                        SELECT t.number, t.lane, r.code, r.name, h.key FROM ticket t
                        JOIN resident r ON r.id = t.resident_id JOIN household h ON h.id = r.household_id WHERE t.id = ?
                        """),
                    arguments: [ticket])!
                let lane = Lane(rawValue: row["lane"])!
                called.append(
                    CalledPerson(
                        ticket: Self.ticketLabel(number: row["number"], lane: lane), residentCode: row["code"],
                        name: row["name"], household: row["key"], lane: lane))
            }
            return CallResult(
                station: station, tube: tube, called: called, singleTubeWaiting: decision.singleTubeWaiting,
                stillWaiting: decision.stillWaiting)
        }
    }

    /// Households another station holds (rule 2): members in another open
    /// pooled tube that has room, or called to another station and not yet
    /// swabbed. The caller leaves them to that station; scanning them here
    /// would be refused `household_in_other_tube`.
    static func householdsHeldElsewhere(_ db: Database, round: Int64, site: String, station: String, tube: String) throws -> Set<Int64> {
        Set(try Int64.fetchAll(
            db.cachedStatement(sql: """
                SELECT r.household_id FROM station st
                JOIN tube t ON t.site_id = st.site_id AND t.station_id = st.id AND t.state = 'open'
                JOIN sample s ON s.tube_code = t.code JOIN resident r ON r.id = s.resident_id
                WHERE st.site_id = :site AND st.id <> :station AND t.code <> :tube AND t.round_id = :round AND t.mode <> 'single'
                  AND s.retest = 0
                  AND (SELECT count(*) FROM sample s2 WHERE s2.tube_code = t.code) <
                      CASE t.mode WHEN 'pooled5' THEN 5 WHEN 'pooled10' THEN 10 WHEN 'pooled20' THEN 20 ELSE 1 END
                UNION
                SELECT r.household_id FROM ticket k JOIN resident r ON r.id = k.resident_id
                WHERE k.round_id = :round AND k.site_id = :site AND k.status = 'called' AND k.station_id <> :station
                  AND NOT r.single_tube
                """),
            arguments: ["round": round, "site": site, "tube": tube, "station": station]))
    }
}
