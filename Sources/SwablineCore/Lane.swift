/// The two lanes of a site's queue. The priority lane (老幼病残孕: elderly,
/// small children, disabled, pregnant) is always called first.
public enum Lane: String, Sendable, Hashable, CaseIterable, Codable {
    case priority
    case normal
}

/// Where a ticket (排队号) stands. A ticket is waiting until a station calls
/// it, and sampled once the resident's swab is in a tube.
public enum TicketStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case waiting
    case called
    case sampled
    case noShow = "no_show"
    case left
}
