import Foundation

/// What a box carries to its lab: the list the lab's LIS receives as an
/// order (`OrderManifest`) before the tubes arrive, so each result can
/// name a tube the lab was told about.
public struct BoxManifest: Sendable, Hashable {
    public struct Tube: Sendable, Hashable {
        public var code: String
        public var mode: TubeMode
        /// How many people were swabbed into it (pooled tubes: 1 up to the
        /// mode's capacity). No names: the lab needs none (rule 8).
        public var members: Int
        public var firstSampledAt: Date
        public var lastSampledAt: Date

        public init(code: String, mode: TubeMode, members: Int, firstSampledAt: Date, lastSampledAt: Date) {
            self.code = code
            self.mode = mode
            self.members = members
            self.firstSampledAt = firstSampledAt
            self.lastSampledAt = lastSampledAt
        }
    }

    public var box: String
    public var site: String
    public var lab: String
    /// When the courier handed the box over at the lab; nil when the
    /// manifest is sent before that (at pickup).
    public var handedOverAt: Date?
    public var tubes: [Tube]

    public init(box: String, site: String, lab: String, handedOverAt: Date? = nil, tubes: [Tube]) {
        self.box = box
        self.site = site
        self.lab = lab
        self.handedOverAt = handedOverAt
        self.tubes = tubes
    }
}
