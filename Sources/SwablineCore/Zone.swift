/// The risk class of a compound in a campaign (封控区 / 管控区 / 防范区), which
/// bounds how many people may share one tube at its site.
///
/// The stricter the zone, the smaller the pool: a positive pool in a sealed
/// compound must lead back to as few people as possible, and fast.
public enum Zone: String, Sendable, Hashable, CaseIterable, Codable {
    /// 封控区: sealed, residents stay home; sampling in pools of at most 5, or single tubes.
    case sealed
    /// 管控区: controlled; pools of at most 10.
    case controlled
    /// 防范区: precaution; every mode, 20-in-1 included.
    case precaution

    /// The tube modes a site in this zone may open.
    public var allowedModes: [TubeMode] {
        switch self {
        case .sealed: [.pooled5, .single]
        case .controlled: [.pooled5, .pooled10, .single]
        case .precaution: [.pooled5, .pooled10, .pooled20, .single]
        }
    }

    public func allows(_ mode: TubeMode) -> Bool { allowedModes.contains(mode) }
}
