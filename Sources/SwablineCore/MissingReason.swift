/// Why a resident expected at a site was not sampled in a round (应检尽检:
/// every missing person is closed with a reason, or is still an open task
/// for the door-to-door team: 「敲门入户、走街串铺、线上电话」).
public enum MissingReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// Knocked, nobody answered.
    case notAtHome = "not_at_home"
    /// Away from the compound (travel, work elsewhere).
    case away
    /// Sampled at another site in the same round: credited by ID number when
    /// that site is on this Swabline, or told at the door.
    case testedElsewhere = "tested_elsewhere"
    /// Cannot come down (bedridden, isolated at home): goes on the home-visit list.
    case homebound
    case refused
    case movedOut = "moved_out"
    /// No answer at the door, on the phone or online.
    case unreachable
}
