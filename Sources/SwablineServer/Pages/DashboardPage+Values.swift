import SwablineCore
import SwablineStore

/// What the dashboards' templates show, as typed values.
extension DashboardPage {
    /// The coordinator's overview of every site.
    struct OverviewValues: PageValues {
        struct Site: PageValues {
            var id: String
            var name: String
            /// The site's own current round (each site is in its own, rule 10).
            var round: String
            var counts: Counts
            var retests: Int
            var receiptMedian: String
            var latePercent: String
        }
        var sites: [Site]
        var chart: String
        var turnaround: TurnaroundCharts.Values
        var notice: PageNotice?
    }

    /// One site's dashboard.
    struct SiteValues: PageValues {
        struct Building: PageValues {
            var building: String
            var counts: Counts
            var hasMissing: Bool
            var missingHref: String
        }
        var site: SiteName
        var round: String
        /// The round picker: every round the site entered, newest first.
        var rounds: [RoundOption]
        /// The site's current round: reasons may be recorded.
        var current: Bool
        var total: Counts
        var buildings: [Building]
        var chart: String
        var turnaround: TurnaroundCharts.Values
        var missing: [Person]
        var missingCount: Int
        var missingPages: MissingPage.Navigation?
        var reasons: [ReasonOption]
        var retests: [Person]
        var retestCount: Int
        var hasRetests: Bool
        var referrals: [Referral]
        var referralCount: Int
        /// `?round=…` for links to the same round's lists, or empty.
        var roundQuery: String
        var notice: PageNotice?
    }

    struct RoundOption: PageValues {
        var id: Int64
        var name: String
        var selected: Bool
    }

    struct ReasonOption: PageValues {
        var value: String
        var label: String
    }

    /// A resident the gate referred.
    struct Referral: PageValues {
        var ticket: String
        var code: String
        var name: String
        var household: String
        var temperature: String
        var symptoms: String
        var sampled: Bool

        init(_ referral: SwablineStore.Referral, _ page: PageEnvironment) {
            (ticket, code, name, household) = (referral.ticket, referral.code, referral.name, referral.household)
            temperature = referral.temperatureC.map { "\($0)" } ?? "–"
            symptoms = referral.symptoms.map { page.language("symptom_\($0.rawValue)") }.joined(separator: "、")
            sampled = referral.sampled
        }
    }

    /// One building's printable not-yet-sampled list.
    struct BuildingValues: PageValues {
        var site: SiteName
        var round: String
        var building: String
        var missing: [Person]
        var missingCount: Int
        var hasMissing: Bool
    }

    /// A row of coverage figures (a site, a building, the total).
    struct Counts: PageValues {
        var expected: Int
        var checkedIn: Int
        var sampled: Int
        var resulted: Int
        var sampledPercent: Int
        var closed: Int
        var open: Int

        init(_ counts: CoverageCounts) {
            expected = counts.expected
            checkedIn = counts.checkedIn
            sampled = counts.sampled
            resulted = counts.resulted
            sampledPercent = counts.expected == 0 ? 0 : counts.sampled * 100 / counts.expected
            closed = counts.closed
            open = counts.open
        }
    }

    /// A person on the not-yet-sampled or retest list.
    struct Person: PageValues {
        var code: String
        var name: String
        var phone: String
        var household: String
        var outcome: String?
        var standing: String?
        var reason: String?
        /// Found by ID number at another site, not recorded by staff.
        var reasonFound: Bool

        init(_ line: PersonLine, _ page: PageEnvironment) {
            (code, name, phone, household) = (line.code, line.name, line.phone, line.household)
            outcome = line.outcome.map { page.language("outcome_\($0.rawValue)") }
            standing = line.standing.map { page.language("standing_\($0.rawValue)") }
            reason = line.reason.map { page.language("reason_\($0.rawValue)") }
            reasonFound = line.reasonFound == true
        }
    }
}
