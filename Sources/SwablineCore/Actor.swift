/// Who is asking (rule 7). Every write records its actor in the chain of
/// custody, and every read and write is limited to what the actor may see.
public enum Actor: Sendable, Hashable {
    /// Site staff: everything at their one site.
    case staff(token: Int64, site: String)
    /// A courier: picks up sealed boxes (at `sites`, or anywhere when empty)
    /// and hands over only the boxes they picked up.
    case courier(token: Int64, sites: [String])
    /// The district's coordinator: watches every site; writes no samples.
    case coordinator(token: Int64)
    /// A lab, known by the secret that signed its webhook.
    case lab(id: String)

    public var role: Role {
        switch self {
        case .staff: .staff
        case .courier: .courier
        case .coordinator: .coordinator
        case .lab: .lab
        }
    }

    /// How the actor appears in hand-off records: role and token number,
    /// never a person's name.
    public var label: String {
        switch self {
        case let .staff(token, site): "staff#\(token)@\(site)"
        case let .courier(token, _): "courier#\(token)"
        case let .coordinator(token): "coordinator#\(token)"
        case let .lab(id): "lab:\(id)"
        }
    }

    /// Whether the actor may read a site's queue, coverage and residents.
    public func canRead(site: String) -> Bool {
        switch self {
        case let .staff(_, own): own == site
        case .coordinator: true
        case .courier, .lab: false
        }
    }
}

/// The roles a token can carry.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    case staff
    case courier
    case coordinator
    case lab
}
