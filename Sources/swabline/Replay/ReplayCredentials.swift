/// The four credentials a replay acts with, one per role in the day.
struct ReplayCredentials: Sendable {
    /// Staff of the site: gate, desks, packing.
    var staff: String
    var courier: String
    /// Reads coverage, outcomes and the retest list afterwards.
    var coordinator: String
    /// The site's lab's `whsec_` secret, to sign receipts and results.
    var labSecret: String
}
