/// Why a lab refused to test a tube it received. Every reason ends the
/// same way for the tube's members: they are sampled again, as after a
/// lost tube or an `invalid` result. The reason is kept so the site can
/// fix what caused it (a leaking cap, a missing label, a courier too slow).
public enum TubeRejection: String, Sendable, Hashable, CaseIterable, Codable {
    /// The tube leaked in transport.
    case leaked
    /// No readable barcode: the lab cannot say whose swabs it holds.
    case unlabelled
    /// Received too long after the first swab for a reliable result.
    case tooOld = "too_old"
    /// Cracked or broken on arrival.
    case broken
    /// Too little material, or the wrong specimen (not a throat swab).
    case unsuitable

    /// The reasons as a sentence lists them, for error messages.
    public static var listed: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
