/// How many people one tube may hold (rule 1).
///
/// Pooled tubes mix swabs from several people (混采); a single tube holds one
/// person (单采). Close contacts, people with symptoms and pool-positive
/// residents awaiting a retest are only ever sampled into single tubes.
public enum TubeMode: String, Sendable, Hashable, CaseIterable, Codable {
    case pooled5
    case pooled10
    case pooled20
    case single

    /// The most people the tube may hold.
    public var capacity: Int {
        switch self {
        case .pooled5: 5
        case .pooled10: 10
        case .pooled20: 20
        case .single: 1
        }
    }

    public var isPooled: Bool { self != .single }
}
