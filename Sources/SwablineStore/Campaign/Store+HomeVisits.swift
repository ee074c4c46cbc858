import GRDB
import SwablineCore

/// Why someone is on the home-visit list.
public enum HomeVisitReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// Flagged homebound (roster column or staff).
    case homebound
    /// Reported homebound at the door this round (a missing reason).
    case reportedHomebound = "reported_homebound"
    /// Their household is in home isolation.
    case isolated
}

/// One resident to sample at their door (上门采样).
public struct HomeVisit: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    /// Masked.
    public var phone: String
    public var household: String
    public var unit: String
    public var room: String
    public var why: [HomeVisitReason]
    /// The tube to bring: single for anyone single-tube or not cleared (rule 9),
    /// otherwise 5-in-1 per household where the zone allows it.
    public var tubeMode: TubeMode
}

/// The home-visit list of a round, by building and floor, for the mobile team.
public struct HomeVisitReport: Sendable, Codable, Equatable {
    public struct Floor: Sendable, Codable, Equatable {
        public var floor: String
        public var visits: [HomeVisit]
    }
    public struct Building: Sendable, Codable, Equatable {
        public var building: String
        public var floors: [Floor]
    }
    public var site: String
    public var round: String
    public var total: Int
    public var buildings: [Building]
}

/// A resident's homebound flag as it now stands.
public struct HomeboundFlag: Sendable, Codable, Equatable {
    public var resident: String
    public var homebound: Bool
}

extension Store {
    /// Marks a resident homebound (or no longer): staff of their site or a coordinator, audited.
    public func setHomebound(resident code: String, homebound: Bool, by actor: Actor) async throws -> HomeboundFlag {
        try Self.requireCode(code, field: "resident_code")
        return try await write { db, now in
            let row = try Self.readableResident(db, code: code, by: actor)
            if row.resident.homebound != homebound {
                try db.cachedStatement(sql: "UPDATE resident SET homebound = ? WHERE id = ?").execute(arguments: [homebound, row.resident.id])
                try Self.audit(db, .homebound, by: actor, resident: row.resident.id, detail: homebound ? "homebound" : "no longer homebound", now: now)
            }
            return HomeboundFlag(resident: code, homebound: homebound)
        }
    }

    /// Who the mobile team samples at home in a round (the site's current one
    /// by default): the homebound, those reported homebound at the door, and
    /// the households isolated while the round ran; not those already sampled.
    public func homeVisits(site: String, round: Int64? = nil, by actor: Actor) async throws -> HomeVisitReport {
        try await readSiteRound(site, round: round, by: actor) { db, round in
            let record = try self.site(db, site)
            let span = try Self.roundSpan(db, site: site, round: round)
            let days = (Timestamp.localDay(span.from, timeZone: record.timeZone) ?? "0000",
                        span.until == "9999" ? "9999" : Timestamp.localDay(span.until, timeZone: record.timeZone) ?? "9999")
            let rows = try SQLRow.fetchAll(
                db.cachedStatement(sql: """
                    SELECT \(ResidentAtHome.columns), st.status AS standing,
                      (SELECT f.reason FROM follow_up f WHERE f.round_id = :round AND f.resident_id = r.id) = :homeboundReason AS reported,
                      EXISTS (SELECT 1 FROM isolation i WHERE i.household_id = r.household_id AND i.since < :toDay AND i.until >= :fromDay)
                        AS isolated
                    FROM resident r JOIN household h ON h.id = r.household_id LEFT JOIN standing st ON st.resident_id = r.id
                    WHERE r.site_id = :site AND NOT \(Self.sampledInRound)
                    """),
                arguments: [
                    "round": round.id, "site": site, "homeboundReason": MissingReason.homebound, "fromDay": days.0, "toDay": days.1,
                ])
            var visits: [(building: String, floor: String, visit: HomeVisit)] = []
            for row in rows {
                let person = try ResidentAtHome(row: row)
                var why: [HomeVisitReason] = []
                if person.resident.homebound { why.append(.homebound) }
                if row["reported"] as Bool? == true { why.append(.reportedHomebound) }
                if row["isolated"] as Bool { why.append(.isolated) }
                guard !why.isEmpty else { continue }
                let standing: Standing = row["standing"] ?? .cleared
                let single = person.resident.singleTube || standing.needsSingleTube || !record.zone.allows(.pooled5)
                visits.append((person.household.building, Self.floor(of: person.household.room), HomeVisit(
                    code: person.resident.code, name: person.resident.name, phone: PersonalData.maskPhone(person.resident.phone),
                    household: person.household.key, unit: person.household.unit, room: person.household.room, why: why,
                    tubeMode: single ? .single : .pooled5)))
            }
            let buildings = Dictionary(grouping: visits, by: \.building).sorted { CoverageTree.naturalOrder($0.key, $1.key) }.map {
                building, inBuilding in
                HomeVisitReport.Building(
                    building: building,
                    floors: Dictionary(grouping: inBuilding, by: \.floor).sorted { CoverageTree.naturalOrder($0.key, $1.key) }.map {
                        HomeVisitReport.Floor(
                            floor: $0.key,
                            visits: $0.value.map(\.visit).sorted { ($0.unit, $0.room, $0.code) < ($1.unit, $1.room, $1.code) })
                    })
            }
            return HomeVisitReport(site: site, round: round.name, total: visits.count, buildings: buildings)
        }
    }

    /// The floor a room is on: its number less the last two digits ("1502" → "15", "301" → "3").
    static func floor(of room: String) -> String {
        guard room.count >= 3, room.allSatisfy(\.isNumber), let number = Int(room) else { return room }
        return String(number / 100)
    }
}
