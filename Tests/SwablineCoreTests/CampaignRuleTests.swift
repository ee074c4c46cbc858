import SwablineCore
import Testing

@Suite("Standing across rounds (rule 9) and home isolation")
struct CampaignRuleTests {
    @Test("a positive raises whenever it arrives; only a newer single-tube negative or a clearance clears")
    func standing() {
        let poolPositive = StandingState.cleared.after(.result(.positive, mode: .pooled10, sample: 5))
        #expect(poolPositive == StandingState(standing: .poolPositive, decidedBySample: 5))
        #expect(poolPositive.after(.result(.negative, mode: .pooled10, sample: 9)) == poolPositive, "a pool says nothing of one person")
        #expect(poolPositive.after(.result(.invalid, mode: .single, sample: 9)) == poolPositive)
        #expect(poolPositive.after(.result(.negative, mode: .single, sample: 4)) == poolPositive, "older than what raised it")
        let cleared = poolPositive.after(.result(.negative, mode: .single, sample: 9))
        #expect(cleared == StandingState(standing: .cleared, decidedBySample: 9))
        // A late pooled positive older than the clearing negative changes nothing; a single positive always raises.
        #expect(cleared.after(.result(.positive, mode: .pooled10, sample: 7)) == cleared)
        #expect(cleared.after(.result(.positive, mode: .single, sample: 7)).standing == .positive)
        // Raised, never lowered, by other news; a contact outranks a pool-positive.
        let contact = poolPositive.after(.householdPositive(sample: 6))
        #expect(contact.standing == .householdContact && contact.decidedBySample == 6)
        #expect(StandingState(standing: .positive, decidedBySample: 3).after(.householdPositive(sample: 8)).standing == .positive)
        #expect(contact.after(.clearance(latestSample: 6)) == StandingState(standing: .cleared, decidedBySample: 6))
        #expect(Standing.allCases.filter(\.needsSingleTube) == [.poolPositive, .householdContact, .positive])
    }

    @Test("a household contact cleared by their own single-tube negative taken after the index swab, whichever result comes first")
    func contactOrder() {
        let contactFirst = StandingState.cleared.after(.householdPositive(sample: 100)).after(.result(.negative, mode: .single, sample: 101))
        let negativeFirst = StandingState.cleared.after(.result(.negative, mode: .single, sample: 101)).after(.householdPositive(sample: 100))
        #expect(contactFirst == negativeFirst && contactFirst.standing == .cleared)
        // Swabbed before the index case: not cleared by it, in either order.
        let before1 = StandingState.cleared.after(.householdPositive(sample: 100)).after(.result(.negative, mode: .single, sample: 99))
        let before2 = StandingState.cleared.after(.result(.negative, mode: .single, sample: 99)).after(.householdPositive(sample: 100))
        #expect(before1.standing == .householdContact && before2.standing == .householdContact)
        // A retest is due while nothing was sampled since what raised it.
        #expect(before1.retestDue(latestSingleTube: 99) && before1.retestDue(latestSingleTube: 100) && !before1.retestDue(latestSingleTube: 101))
        #expect(!StandingState.cleared.retestDue(latestSingleTube: nil))
    }

    @Test("the fold of events is the state after each in turn")
    func fold() {
        let events: [StandingEvent] = [
            .result(.positive, mode: .pooled10, sample: 1), .result(.invalid, mode: .single, sample: 2),
            .result(.negative, mode: .single, sample: 3),
        ]
        #expect(StandingState.fold(events) == StandingState(standing: .cleared, decidedBySample: 3))
        #expect(StandingState.fold([]) == .cleared)
    }

    @Test("an isolation of 7 days: tests due on days 1, 3, 5 and 7; a missed one is overdue until the next test day's sample")
    func isolation() throws {
        let plan = try #require(IsolationPlan(since: "2022-04-29", days: 7))
        #expect(plan.until == "2022-05-05")
        #expect(plan.testDays == ["2022-04-29", "2022-05-01", "2022-05-03", "2022-05-05"])
        #expect(IsolationPlan(since: "2022-04-29", days: 6)?.testDays == ["2022-04-29", "2022-05-01", "2022-05-03", "2022-05-04"])
        #expect(plan.tests(on: "2022-04-29", sampledOn: []) == ("2022-04-29", nil))
        #expect(plan.tests(on: "2022-04-30", sampledOn: ["2022-04-29"]) == (nil, nil))
        #expect(plan.tests(on: "2022-05-02", sampledOn: ["2022-04-29"]) == (nil, "2022-05-01"))
        #expect(plan.tests(on: "2022-05-02", sampledOn: ["2022-04-29", "2022-05-02"]) == (nil, nil), "a day late still meets it")
        #expect(plan.isActive(on: "2022-05-05") && !plan.isActive(on: "2022-05-06"))
        // A positive during it extends it; after it, a new one starts.
        let later = try #require(IsolationPlan(since: "2022-05-03", days: 7))
        #expect(plan.extended(by: later) == IsolationPlan(since: "2022-04-29", until: "2022-05-09"))
        let after = try #require(IsolationPlan(since: "2022-05-20", days: 7))
        #expect(plan.extended(by: after) == after)
        #expect(IsolationPlan(since: "2022-02-30", days: 7) == nil && IsolationPlan(since: "2022-04-29", days: 0) == nil)
    }
}
