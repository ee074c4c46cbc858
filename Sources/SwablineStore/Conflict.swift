import SwablineCore

/// A request that clashes with what is already recorded (409). Each case
/// reads like the clash, with what the sentence names; `code` is stable and
/// goes on the wire, and `message` is the sentence the API sends. Like the
/// core's `RuleViolation`, which covers the rules themselves.
public enum Conflict: Error, Sendable, Equatable {
    /// The schema's own guard (a UNIQUE index) caught what the checks before it did not.
    case clashesWithRecord
    /// A walk-in whose ID number is registered at another site.
    case idNumberRegisteredElsewhere
    /// A walk-in whose ID number is registered here, under `resident`.
    case idNumberRegistered(resident: String)
    case noOpenTube(station: String)
    case tubeExists(tube: String)
    case stationHasOpenTube(station: String, tube: String)
    case emptyTube(tube: String)
    case tubeAlreadyBoxed(tube: String, state: TubeState)
    case boxExists(box: String)
    case boxNotPacking(box: String, state: BoxState)
    /// A lab asking for the manifest of a box still on its way.
    case boxNotHandedOver(box: String, state: BoxState)
    case webhookIDReused(webhookID: String)
    case labHasSecret(lab: String)
    case noRound
    case tubesOpen(sites: [String])
    /// A follow-up for someone sampled in this round.
    case notMissing(resident: String)
    case subscriberRemoved(id: Int64)
    case backupExists(path: String)
    case databaseExists(path: String)

    /// The stable wire codes, one per kind of clash (two cases may share one).
    public enum Code: String, Sendable, CaseIterable {
        case conflict
        case idNumberRegistered = "id_number_registered"
        case noOpenTube = "no_open_tube"
        case tubeExists = "tube_exists"
        case stationHasOpenTube = "station_has_open_tube"
        case emptyTube = "empty_tube"
        case tubeAlreadyBoxed = "tube_already_boxed"
        case boxExists = "box_exists"
        case boxNotPacking = "box_not_packing"
        case boxNotHandedOver = "box_not_handed_over"
        case webhookIDReused = "webhook_id_reused"
        case labHasSecret = "lab_has_secret"
        case noRound = "no_round"
        case tubesOpen = "tubes_open"
        case notMissing = "not_missing"
        case subscriberRemoved = "subscriber_removed"
        case backupExists = "backup_exists"
        case databaseExists = "database_exists"
    }

    public var code: Code {
        switch self {
        case .clashesWithRecord: .conflict
        case .idNumberRegisteredElsewhere, .idNumberRegistered: .idNumberRegistered
        case .noOpenTube: .noOpenTube
        case .tubeExists: .tubeExists
        case .stationHasOpenTube: .stationHasOpenTube
        case .emptyTube: .emptyTube
        case .tubeAlreadyBoxed: .tubeAlreadyBoxed
        case .boxExists: .boxExists
        case .boxNotPacking: .boxNotPacking
        case .boxNotHandedOver: .boxNotHandedOver
        case .webhookIDReused: .webhookIDReused
        case .labHasSecret: .labHasSecret
        case .noRound: .noRound
        case .tubesOpen: .tubesOpen
        case .notMissing: .notMissing
        case .subscriberRemoved: .subscriberRemoved
        case .backupExists: .backupExists
        case .databaseExists: .databaseExists
        }
    }

    /// A sentence the person (or the lab's developer) can act on.
    public var message: String {
        switch self {
        case .clashesWithRecord:
            "This clashes with what is already recorded; nothing was changed."
        case .idNumberRegisteredElsewhere:
            "A resident with this ID number is registered at another site and is tested there."
        case let .idNumberRegistered(resident):
            "A resident with this ID number is already registered here, as \(resident): scan that code."
        case let .noOpenTube(station):
            "Station \(station) has no open tube: scan a new tube first."
        case let .tubeExists(tube):
            "Tube \(tube) was already used: every barcode is used once."
        case let .stationHasOpenTube(station, tube):
            "Station \(station) still has tube \(tube) open: seal it before opening another."
        case let .emptyTube(tube):
            "Tube \(tube) holds nobody yet: there is nothing to seal."
        case let .tubeAlreadyBoxed(tube, state):
            "Tube \(tube) is \(state.rawValue.replacingOccurrences(of: "_", with: " ")): it travels with its box; only an open or sealed tube is reported lost."
        case let .boxExists(box):
            "Box \(box) already exists."
        case let .boxNotPacking(box, state):
            "Box \(box) is \(state.rawValue): tubes go into a box that is still packing."
        case let .boxNotHandedOver(box, state):
            "Box \(box) is \(state.rawValue.replacingOccurrences(of: "_", with: " ")): its manifest is the lab's once the courier hands it over."
        case let .webhookIDReused(webhookID):
            """
            webhook-id \(webhookID) was already used for a different message; nothing in this one was applied. \
            Give every new message a new webhook-id.
            """
        case let .labHasSecret(lab):
            "Lab \(lab) already has a webhook secret; use `swabline labs rotate \(lab)` for a new one."
        case .noRound:
            "No round is open. Open one with POST /v1/rounds."
        case let .notMissing(resident):
            "Resident \(resident) was sampled in this round: they are not missing, and need no reason."
        case let .tubesOpen(sites):
            "Tubes are still open at the stations of \(sites.joined(separator: ", ")): seal them before opening a new round there."
        case let .subscriberRemoved(id):
            "Subscriber \(id) was removed; add it again instead."
        case let .backupExists(path):
            "\(path) already exists; choose a new file for the backup."
        case let .databaseExists(path):
            "\(path) already exists; restore into a new file."
        }
    }
}
