import GRDB
import SwablineCore

extension Store {
    /// Starts packing a transport box at a site; it will travel to the
    /// site's lab.
    public func createBox(site: String, code: String, by actor: Actor) async throws -> BoxView {
        try Self.requireStaff(actor, site: site)
        try Self.requireCode(code, field: "box")
        return try await write { db, now in
            let siteRecord = try self.site(db, site)
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM box WHERE code = ?"), arguments: [code]) == nil else {
                throw StoreError.conflict(.boxExists(box: code))
            }
            try db.cachedStatement(
                sql: "INSERT INTO box (code, site_id, lab_id, state, created_at) VALUES (?, ?, ?, ?, ?)").execute(
                arguments: [code, site, siteRecord.labID, BoxState.packing, now])
            return try Self.boxView(db, code: code)
        }
    }

    /// A box the actor may touch, with its state. Staff see their site's
    /// boxes; a courier the sealed boxes they may pick up and the boxes they
    /// carry; a lab the boxes shipped to it. Anything else is not found.
    static func scopedBox(_ db: SQLSession, code: String, actor: Actor) throws -> BoxRecord {
        let box = try BoxRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM box WHERE code = ?"), arguments: [code])
        let visible: Bool
        switch (actor, box) {
        case (_, nil): visible = false
        case let (.staff(_, site), box?): visible = box.siteID == site
        case let (.courier(token, sites), box?):
            // A courier sees the boxes they carry and any box not yet carried at the sites they
            // serve, so picking up one still packing is refused as a skipped step, not "not found".
            visible = box.courierToken == token || (box.courierToken == nil && (sites.isEmpty || sites.contains(box.siteID)))
        case let (.lab(id), box?): visible = box.labID == id
        case (.coordinator, _): throw StoreError.forbidden("Coordinators watch boxes; they do not move them.")
        }
        guard visible, let box else { throw StoreError.notFound(kind: .box, code: code) }
        return box
    }

    /// Moves a box one step along its chain, and every tube in it with it.
    /// The same step again changes nothing and returns false.
    @discardableResult
    static func advanceBox(
        _ db: SQLSession, code: String, from state: BoxState, to event: CustodyEvent, actor: Actor, toActor: String?,
        now: String, tubeCount: Int, temperature: Double? = nil
    ) throws -> Bool {
        if state.isReached(by: event) { return false }
        let next: BoxState
        next = try StoreError.checking { try state.applying(event) }
        try db.cachedStatement(sql: "UPDATE box SET state = ? WHERE code = ?").execute(arguments: [next, code])
        try recordCustody(db, subject: .box, code: code, event: event, actor: actor, to: toActor, now: now,
            tubeCount: tubeCount, temperature: temperature)
        guard let tubeEvent = next.tubeEvent else { return true }
        // A tube found missing at the lab's receipt stays lost (`receiveBox`).
        for tube in try TubeRecord.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM tube WHERE box_code = ? AND state != 'lost'"), arguments: [code])
        {
            let tubeNext: TubeState
            tubeNext = try StoreError.checking { try tube.state.applying(tubeEvent) }
            try db.cachedStatement(sql: "UPDATE tube SET state = ? WHERE code = ?").execute(arguments: [tubeNext, tube.code])
            try recordCustody(db, subject: .tube, code: tube.code, event: tubeEvent, actor: actor, to: toActor, now: now)
        }
        return true
    }

    /// Puts a sealed tube into a packing box. Scanning a tube that is
    /// already in this box changes nothing.
    public func addTubeToBox(box: String, tube: String, by actor: Actor) async throws -> BoxView {
        try Self.requireCode(box, field: "box")
        try Self.requireCode(tube, field: "tube")
        return try await write { db, now in
            let boxState = try Self.scopedBox(db, code: box, actor: actor).state
            guard case .staff = actor else { throw StoreError.forbidden("Only site staff pack boxes.") }
            let tubeRow = try Self.scopedTube(db, code: tube, actor: actor).tube
            if tubeRow.boxCode == box { return try Self.boxView(db, code: box) }
            guard boxState == .packing else {
                throw StoreError.conflict(.boxNotPacking(box: box, state: boxState))
            }
            let next: TubeState
            next = try StoreError.checking { try tubeRow.state.applying(.boxed) }
            try db.cachedStatement(sql: "UPDATE tube SET state = ?, box_code = ? WHERE code = ?").execute(arguments: [next, box, tube])
            try Self.recordCustody(db, subject: .tube, code: tube, event: .boxed, actor: actor, to: "box:\(box)", now: now)
            return try Self.boxView(db, code: box)
        }
    }

    /// Seals a box and reports how many tubes it holds.
    public func sealBox(_ box: String, by actor: Actor) async throws -> BoxView {
        try Self.requireCode(box, field: "box")
        return try await write { db, now in
            let state = try Self.scopedBox(db, code: box, actor: actor).state
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
            let state = try Self.scopedBox(db, code: box, actor: actor).state
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
            let record = try Self.scopedBox(db, code: box, actor: actor)
            guard record.courierToken == courier.token else { throw StoreError.notFound(kind: .box, code: box) }
            let count = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM tube WHERE box_code = ?"), arguments: [box])!
            let advanced = try Self.advanceBox(
                db, code: box, from: record.state, to: .handedOver, actor: actor, toActor: "lab:\(record.labID)", now: now, tubeCount: count)
            if advanced {
                // The lab's own system learns what is on its bench before it scans a tube.
                try Self.enqueueCallback(
                    db, event: .boxHandedOver, subscribers: try Self.callbackSubscribers(db, of: .boxHandedOver, lab: record.labID),
                    orderingKey: "box:\(box)", now: now
                ) { try Self.manifest(db, box: box) }
            }
            return try Self.boxView(db, code: box)
        }
    }
}
