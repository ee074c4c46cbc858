import GRDB
import SwablineCore

extension Store {
    /// Starts packing a transport box at a site; it will travel to the
    /// site's lab.
    public func createBox(site: String, code: String, by actor: Actor) async throws -> BoxView {
        try Self.requireStaff(actor, site: site)
        try Self.requireCode(code, field: "box")
        return try await write { db, now in
            let siteRow = try self.site(db, site)
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM box WHERE code = ?"), arguments: [code]) == nil else {
                throw StoreError.conflict(code: "box_exists", message: "Box \(code) already exists.")
            }
            try db.cachedStatement(
                sql: "INSERT INTO box (code, site_id, lab_id, state, created_at) VALUES (?, ?, ?, 'packing', ?)").execute(
                arguments: [code, site, siteRow["lab_id"], now])
            return try Self.boxView(db, code: code)
        }
    }

    /// A box the actor may touch, with its state. Staff see their site's
    /// boxes; a courier the sealed boxes they may pick up and the boxes they
    /// carry; a lab the boxes shipped to it. Anything else is not found.
    static func scopedBox(_ db: Database, code: String, actor: Actor) throws -> (row: Row, state: BoxState) {
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM box WHERE code = ?"), arguments: [code])
        let visible: Bool
        switch (actor, row) {
        case (_, nil): visible = false
        case let (.staff(_, site), row?): visible = row["site_id"] == site
        case let (.courier(token, sites), row?):
            // A courier sees the boxes they carry and any box not yet carried at the sites they
            // serve, so picking up one still packing is refused as a skipped step, not "not found".
            visible = (row["courier_token"] as Int64?) == token
                || ((row["courier_token"] as Int64?) == nil && (sites.isEmpty || sites.contains(row["site_id"])))
        case let (.lab(id), row?): visible = row["lab_id"] == id
        case (.coordinator, _): throw StoreError.forbidden("Coordinators watch boxes; they do not move them.")
        }
        guard visible, let row else { throw StoreError.notFound(kind: "box", code: code) }
        return (row, BoxState(rawValue: row["state"])!)
    }

    /// Moves a box one step along its chain, and every tube in it with it.
    /// The same step again changes nothing and returns false.
    @discardableResult
    static func advanceBox(
        _ db: Database, code: String, from state: BoxState, to event: CustodyEvent, actor: Actor, toActor: String?,
        now: String, tubeCount: Int, temperature: Double? = nil
    ) throws -> Bool {
        if state.isReached(by: event) { return false }
        let next: BoxState
        next = try StoreError.checking { try state.applying(event) }
        try db.cachedStatement(sql: "UPDATE box SET state = ? WHERE code = ?").execute( arguments: [next.rawValue, code])
        try recordCustody(db, subject: "box", code: code, event: event, actor: actor, to: toActor, now: now,
            tubeCount: tubeCount, temperature: temperature)
        guard let tubeEvent = next.tubeEvent else { return true }
        for tube in try Row.fetchAll(db.cachedStatement(sql: "SELECT code, state FROM tube WHERE box_code = ?"), arguments: [code]) {
            let tubeNext: TubeState
            tubeNext = try StoreError.checking { try TubeState(rawValue: tube["state"])!.applying(tubeEvent) }
            try db.cachedStatement(sql: "UPDATE tube SET state = ? WHERE code = ?").execute( arguments: [tubeNext.rawValue, tube["code"]])
            try recordCustody(db, subject: "tube", code: tube["code"], event: tubeEvent, actor: actor, to: toActor, now: now)
        }
        return true
    }

    /// Puts a sealed tube into a packing box. Scanning a tube that is
    /// already in this box changes nothing.
    public func addTubeToBox(box: String, tube: String, by actor: Actor) async throws -> BoxView {
        try Self.requireCode(box, field: "box")
        try Self.requireCode(tube, field: "tube")
        return try await write { db, now in
            let (_, boxState) = try Self.scopedBox(db, code: box, actor: actor)
            guard case .staff = actor else { throw StoreError.forbidden("Only site staff pack boxes.") }
            let tubeRow = try Self.scopedTube(db, code: tube, actor: actor)
            if (tubeRow["box_code"] as String?) == box { return try Self.boxView(db, code: box) }
            guard boxState == .packing else {
                throw StoreError.conflict(code: "box_not_packing", message: "Box \(box) is \(boxState.rawValue): tubes go into a box that is still packing.")
            }
            let next: TubeState
            next = try StoreError.checking { try TubeState(rawValue: tubeRow["state"])!.applying(.boxed) }
            try db.cachedStatement(sql: "UPDATE tube SET state = ?, box_code = ? WHERE code = ?").execute( arguments: [next.rawValue, box, tube])
            try Self.recordCustody(db, subject: "tube", code: tube, event: .boxed, actor: actor, to: "box:\(box)", now: now)
            return try Self.boxView(db, code: box)
        }
    }

    /// Seals a box and reports how many tubes it holds.
    public func sealBox(_ box: String, by actor: Actor) async throws -> BoxView {
        try Self.requireCode(box, field: "box")
        return try await write { db, now in
            let (_, state) = try Self.scopedBox(db, code: box, actor: actor)
            guard case .staff = actor else { throw StoreError.forbidden("Only site staff seal boxes.") }
            let count = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM tube WHERE box_code = ?"), arguments: [box])!
            guard count > 0 else { throw StoreError.rule(.emptyBox(box: box)) }
            try Self.advanceBox(db, code: box, from: state, to: .sealed, actor: actor, toActor: nil, now: now, tubeCount: count)
            return try Self.boxView(db, code: box)
        }
    }

    /// The cold-chain range for swabs in transport, °C.
    public static let coldChain: ClosedRange<Double> = 2...8

    /// A courier takes a sealed box. The count they see must match what was
    /// sealed; the cold-box temperature is recorded and flagged when outside
    /// the cold chain.
    public func pickUpBox(_ box: String, tubeCount: Int, temperature: Double, by actor: Actor) async throws -> BoxView {
        try Self.requireCode(box, field: "box")
        let courier = try Self.requireCourier(actor)
        guard (-40...60).contains(temperature), temperature.isFinite else {
            throw StoreError.invalid(field: "temperature_c", why: "must be a reading between -40 and 60 °C")
        }
        return try await write { db, now in
            let (_, state) = try Self.scopedBox(db, code: box, actor: actor)
            let count = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM tube WHERE box_code = ?"), arguments: [box])!
            // A resent pickup is answered as the first, but only if it counts the same tubes.
            if state != .packing, count != tubeCount {
                throw StoreError.rule(.tubeCountMismatch(expected: count, reported: tubeCount))
            }
            let advanced = try Self.advanceBox(db, code: box, from: state, to: .pickedUp, actor: actor,
                toActor: actor.label, now: now, tubeCount: tubeCount, temperature: temperature)
            if advanced {
                try db.cachedStatement(
                    sql: "UPDATE box SET courier_token = ?, temperature_c = ? WHERE code = ?").execute( arguments: [courier.token, temperature, box])
            }
            var warnings: [String] = []
            if !Self.coldChain.contains(temperature) {
                warnings.append("Cold box at \(temperature) °C is outside \(Self.coldChain.lowerBound)–\(Self.coldChain.upperBound) °C.")
            }
            return try Self.boxView(db, code: box, warnings: warnings)
        }
    }

    /// The courier who carries a box hands it over at the lab.
    public func handOverBox(_ box: String, by actor: Actor) async throws -> BoxView {
        try Self.requireCode(box, field: "box")
        let courier = try Self.requireCourier(actor)
        return try await write { db, now in
            let (row, state) = try Self.scopedBox(db, code: box, actor: actor)
            guard (row["courier_token"] as Int64?) == courier.token else { throw StoreError.notFound(kind: "box", code: box) }
            let count = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM tube WHERE box_code = ?"), arguments: [box])!
            try Self.advanceBox(db, code: box, from: state, to: .handedOver, actor: actor, toActor: "lab:\(row["lab_id"] as String)",
                now: now, tubeCount: count)
            return try Self.boxView(db, code: box)
        }
    }
}
