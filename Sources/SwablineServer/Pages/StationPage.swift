import Hummingbird
import SwablineCore
import SwablineStore

/// A sampling station's desk: open a tube, call the next group, scan each
/// person into the tube, seal it (or give it up as lost).
struct StationPage {
    let store: any ServerStore

    var endpoints: RouteCollection<AppContext> {
        let routes = RouteCollection(context: AppContext.self)
        routes.get("sites/:site/stations", use: list)
        routes.get("sites/:site/stations/:station", use: show)
        routes.post("sites/:site/stations/:station", use: act)
        return routes
    }

    @Sendable func list(_ request: Request, context: AppContext) async throws -> Response {
        try await StaffSite.open(store, request, context).render("stations", title: "stations")
    }

    @Sendable func show(_ request: Request, context: AppContext) async throws -> Response {
        let site = try await StaffSite.open(store, request, context)
        return try await render(site, station: try context.code("station"))
    }

    @Sendable func act(_ request: Request, context: AppContext) async throws -> Response {
        let site = try await StaffSite.open(store, request, context)
        let station = try context.code("station")
        let form = try await PageForm.read(request)
        let shown: Values
        do {
            switch form["action"] {
            case "open": shown = try await openNewTube(site, station: station, form)
            case "call": shown = try await call(site, station: station)
            // "check_in_sample" is the one tap offered after `not_checked_in`: ticket and sample together.
            case "sample", "check_in_sample":
                shown = try await sample(site, station: station, form["resident_code"], checkIn: form["action"] == "check_in_sample")
            case "seal": shown = try await seal(site, station: station)
            case "lost": shown = try await giveUp(site, station: station, form)
            default: throw Problem.invalidField("action", "must be open, call, sample, check_in_sample, seal or lost")
            }
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            // Someone who skipped the gate: offer to check them in and sample them in one tap.
            var offer = Values()
            if problem.code == "not_checked_in" { offer.checkInOffer = .init(code: form["resident_code"]) }
            return try await render(site, station: station, offer, problem: problem)
        }
        return try await render(site, station: station, shown)
    }

    func openNewTube(_ site: StaffSite, station: String, _ form: PageForm) async throws -> Values {
        var mode: TubeMode?
        if let text = form.optional("mode") {
            guard let value = TubeMode(rawValue: text) else { throw Problem.invalidField("mode", "is not a tube mode") }
            mode = value
        }
        let tube = try await store.openTube(site: site.id, code: form["tube"], station: station, mode: mode, by: site.actor)
        let page = site.page
        return Values(notice: PageNotice(text: "\(page.language("open_tube")): \(tube.code) (\(page.language("mode_\(tube.mode.rawValue)")))"))
    }

    func call(_ site: StaffSite, station: String) async throws -> Values {
        let result = try await store.callNext(site: site.id, station: station, by: site.actor)
        return Values(call: .init(
            none: result.called.isEmpty, stillWaiting: result.stillWaiting, singleWaiting: result.singleTubeWaiting,
            hasSingle: result.singleTubeWaiting > 0))
    }

    func sample(_ site: StaffSite, station: String, _ resident: String, checkIn: Bool) async throws -> Values {
        let tube = try await openTube(site, station: station)
        let result = try await store.addSample(tube: tube, resident: resident, checkIn: checkIn, by: site.actor)
        let page = site.page
        let what = result.repeated ? page.language("already_in_tube") : page.language("sampled_slot")
        return Values(notice: PageNotice(
            text: "\(result.residentCode): \(what) \(result.slot)" + (result.retest ? " · \(page.language("retest"))" : "")
                + (result.ticket.map { " · \(page.language("checked_in_here")) \($0.label)" } ?? ""),
            warn: result.repeated))
    }

    func seal(_ site: StaffSite, station: String) async throws -> Values {
        let tube = try await store.sealTube(try await openTube(site, station: station), by: site.actor)
        let page = site.page
        return Values(notice: PageNotice(text: "\(page.language("tube_sealed")): \(tube.code) \(tube.filled)/\(tube.capacity)"
            + (tube.partial ? " (\(page.language("partial")))" : "")))
    }

    func giveUp(_ site: StaffSite, station: String, _ form: PageForm) async throws -> Values {
        // A scanner's Enter in the reason field must not give up a full tube: the box must be ticked.
        guard form.checked("confirm") else { throw Problem.invalidField("confirm", "must be ticked: everyone in the tube is sampled again") }
        // The tube named by the page, not whichever is open now: a stale page must not give up a newer tube.
        let before = try await store.stationStatus(site: site.id, station: station, by: site.actor)
        let members = before.tube?.code == form["tube"] ? before.inTube : []
        let tube = try await store.reportTubeLost(form["tube"], reason: form["reason"], by: site.actor)
        let page = site.page
        // The tube's list is gone from the page with the tube: say who is to be sampled again.
        return Values(notice: PageNotice(
            text: "\(page.language("tube_lost")): \(tube.code)"
                + (members.isEmpty ? "" : " · \(page.language("sample_again")): " + members.map { "\($0.ticket) \($0.name)" }.joined(separator: ", ")),
            warn: true))
    }

    /// The code of the station's open tube, or the store's own refusal.
    func openTube(_ site: StaffSite, station: String) async throws -> String {
        guard let tube = try await store.stationStatus(site: site.id, station: station, by: site.actor).tube?.code else {
            throw Problem(.conflict, code: "no_open_tube", detail: "Station \(station) has no open tube: scan a new tube first.")
        }
        return tube
    }

    /// What the station page shows: the station's state, plus what the last action did.
    struct Values: PageValues {
        struct Station: PageValues {
            var id: String
            var name: String
        }
        struct Person: PageValues {
            var ticket: String
            var name: String
            var household: String
            var code: String
            init(_ person: CalledPerson) {
                (ticket, name, household, code) = (person.ticket, person.name, person.household, person.residentCode)
            }
        }
        struct Mode: PageValues {
            var value: String
            var label: String
            var selected: Bool
        }
        struct Tube: PageValues {
            var code: String
            var mode: String
            var filled: Int
            var capacity: Int
            var percent: Int
            var full: Bool
        }
        struct Call: PageValues {
            var none: Bool
            var stillWaiting: Int
            var singleWaiting: Int
            var hasSingle: Bool
        }
        struct CheckInOffer: PageValues {
            var code: String
        }

        // What the last action did.
        var notice: PageNotice?
        var call: Call?
        var checkInOffer: CheckInOffer?
        // The station as it stands.
        var station: Station?
        var inTube: [Person] = []
        var hasInTube = false
        var called: [Person] = []
        var hasCalled = false
        var waiting = 0
        var modes: [Mode] = []
        var tube: Tube?
    }

    func render(_ site: StaffSite, station: String, _ shown: Values = Values(), problem: Problem? = nil) async throws -> Response {
        let status = try await store.stationStatus(site: site.id, station: station, by: site.actor)
        let page = site.page
        var values = shown
        values.station = .init(id: station, name: site.summary.stations.first { $0.id == station }?.name ?? station)
        values.inTube = status.inTube.map(Values.Person.init)
        values.hasInTube = !status.inTube.isEmpty
        values.called = status.called.map(Values.Person.init)
        values.hasCalled = !status.called.isEmpty
        values.waiting = status.waiting
        values.modes = site.summary.zone.allowedModes.map {
            .init(value: $0.rawValue, label: page.language("mode_\($0.rawValue)"), selected: $0 == site.summary.poolMode)
        }
        values.tube = status.tube.map { tube in
            .init(
                code: tube.code, mode: page.language("mode_\(tube.mode.rawValue)"), filled: tube.filled, capacity: tube.capacity,
                percent: tube.filled * 100 / max(tube.capacity, 1), full: tube.filled >= tube.capacity)
        }
        return site.render("station", title: "station", values, problem: problem)
    }
}
