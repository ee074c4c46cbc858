import SwablineCore
import SwablineStore

/// What the dashboards' templates show, as typed values.
extension DashboardPage {
    /// The coordinator's overview of every site.
    struct OverviewValues: PageValues {
        struct Site: PageValues {
            var id: String
            var name: String
            var counts: Counts
            var retests: Int
            var receiptMedian: String
            var latePercent: String
        }
        var round: String
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
        var total: Counts
        var buildings: [Building]
        var chart: String
        var turnaround: TurnaroundCharts.Values
        var missing: [Person]
        var missingCount: Int
        var missingPages: MissingPage.Navigation?
        var retests: [Person]
        var retestCount: Int
        var hasRetests: Bool
        var notice: PageNotice?
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

        init(_ counts: CoverageCounts) {
            expected = counts.expected
            checkedIn = counts.checkedIn
            sampled = counts.sampled
            resulted = counts.resulted
            sampledPercent = counts.expected == 0 ? 0 : counts.sampled * 100 / counts.expected
        }
    }

    /// A person on the not-yet-sampled or retest list.
    struct Person: PageValues {
        var code: String
        var name: String
        var phone: String
        var household: String
        var outcome: String?

        init(_ line: PersonLine, _ page: PageEnvironment) {
            (code, name, phone, household) = (line.code, line.name, line.phone, line.household)
            outcome = line.outcome.map { page.language("outcome_\($0.rawValue)") }
        }
    }
}
