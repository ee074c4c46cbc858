/// What a lab found in one tube.
public enum TubeResult: String, Sendable, Hashable, CaseIterable, Codable {
    case negative
    case positive
    /// The sample could not be read (too little material, a broken tube):
    /// everyone in it must be sampled again.
    case invalid
}
