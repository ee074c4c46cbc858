import GRDB
import SwablineCore

/// What a box carries, tube by tube: what a lab checks at its bench before
/// it tests anything (`GET /v1/boxes/{box}/manifest`, and the
/// `box.handed_over` callback). It names tubes only, never people (rule 8).
public struct ManifestView: Sendable, Codable, Equatable {
    public struct Tube: Sendable, Codable, Equatable {
        public var tube: String
        public var mode: TubeMode
        /// How many people's swabs it holds.
        public var members: Int
        public var firstSampledAt: String?
        public var lastSampledAt: String?
        public var state: TubeState
    }

    public var box: String
    public var site: String
    public var lab: String
    public var state: BoxState
    public var handedOverAt: String?
    public var tubes: [Tube]
}

extension Store {
    /// The manifest of a box. Staff of its site and coordinators read it at
    /// any step; the box's lab once the courier has handed it over (before
    /// that, the box is not the lab's to check), as `box_not_handed_over`.
    public func boxManifest(_ box: String, by actor: Actor) async throws -> ManifestView {
        try Self.requireCode(box, field: "box")
        return try await read { db in
            if case .coordinator = actor {
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM box WHERE code = ?"), arguments: [box]) != nil else {
                    throw StoreError.notFound(kind: .box, code: box)
                }
            } else {
                let record = try Self.scopedBox(db, code: box, actor: actor)
                if case .courier = actor { throw StoreError.forbidden("Couriers carry boxes; the manifest is for the site and the lab.") }
                if case .lab = actor, !record.state.isReached(by: .handedOver) {
                    throw StoreError.conflict(.boxNotHandedOver(box: box, state: record.state))
                }
            }
            return try Self.manifest(db, box: box)
        }
    }

    /// The manifest as it stands, inside a read or the writer's transaction.
    static func manifest(_ db: SQLSession, box: String) throws -> ManifestView {
        let record = try BoxRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM box WHERE code = ?"), arguments: [box])!
        let handedOverAt = try String.fetchOne(
            db.cachedStatement(sql: """
                SELECT at FROM custody_event WHERE subject = 'box' AND code = ? AND event = 'handed_over' ORDER BY id LIMIT 1
                """), arguments: [box])
        let tubes = try SQLRow.fetchAll(
            db.cachedStatement(sql: """
                SELECT t.code, t.mode, t.state, count(s.id) AS members, min(s.sampled_at) AS first, max(s.sampled_at) AS last
                FROM tube t LEFT JOIN sample s ON s.tube_code = t.code WHERE t.box_code = ? GROUP BY t.code ORDER BY t.code
                """), arguments: [box]
        ).map { row in
            ManifestView.Tube(
                tube: row["code"], mode: row["mode"], members: row["members"], firstSampledAt: row["first"],
                lastSampledAt: row["last"], state: row["state"])
        }
        return ManifestView(
            box: box, site: record.siteID, lab: record.labID, state: record.state, handedOverAt: handedOverAt, tubes: tubes)
    }
}

extension Store {
    /// A lab's bench: boxes handed over to it and not yet received, and
    /// received boxes with tubes still waiting for a result, each with its
    /// manifest. For the lab page, with a lab token.
    public func labBench(by actor: Actor) async throws -> [ManifestView] {
        guard case let .lab(lab) = actor else { throw StoreError.forbidden("The lab bench is a lab's: this needs a lab token.") }
        return try await read { db in
            let boxes = try String.fetchAll(
                db.cachedStatement(sql: """
                    SELECT b.code FROM box b WHERE b.lab_id = ? AND (b.state = 'handed_over' OR (b.state = 'received'
                      AND EXISTS (SELECT 1 FROM tube t WHERE t.box_code = b.code AND t.state = 'received')))
                    ORDER BY b.code
                    """), arguments: [lab])
            return try boxes.map { try Self.manifest(db, box: $0) }
        }
    }
}
