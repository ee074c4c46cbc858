import GRDB

extension Store {
    /// What a delivery of tube results reads before it writes anything:
    /// every tube it names, as `labTube` reads one, and every member of
    /// those tubes, as `decideOutcomes` reads one tube's, in one statement
    /// per 512 tubes each instead of two per tube (issue #18: a statement's
    /// setting up, binding and stepping cost more than its few index
    /// lookups).
    ///
    /// The reads are older than the delivery's own writes, so nothing this
    /// delivery changed is taken from them: a tube named a second time is
    /// read again, and so are the members of a tube whose residents had
    /// an outcome or standing written earlier in the delivery (a resident
    /// in a pool and in a single tube of one delivery, or a household
    /// contact of a positive). It lives inside one write closure, as
    /// `Subscribers` does, so it never outlives the transaction it read in.
    final class DeliveryReads {
        private var tubes: [String: LabTubeRow] = [:]
        private var members: [String: [TubeMemberRow]] = [:]
        /// Tubes already looked up, and so perhaps written, by this delivery.
        private var named: Set<String> = []
        /// Residents whose outcome or standing this delivery has written.
        private var written: Set<Int64> = []

        init(_ db: SQLSession, tubes codes: [String], lab: String) throws {
            var found: [String: TubeRecord] = [:]
            for (list, chunk) in MultiRow.inLists(Array(Set(codes)).sorted()) {
                for tube in try TubeRecord.fetchAll(
                    db.cachedStatement(sql: "SELECT t.* \(Store.labTubesFrom) AND t.code IN \(list)"), arguments: SQLArguments([lab] + chunk))
                {
                    found[tube.code] = tube
                    members[tube.code] = []
                }
            }
            // A tube's first swab is its members' earliest, read with them rather than by a second look at each
            // sample. The rows come tube by tube, so each tube is gathered whole before it is filed.
            var firstSwab: [String: String] = [:]
            var tube = "", gathered: [TubeMemberRow] = [], earliest = ""
            func file() {
                guard !gathered.isEmpty else { return }
                members[tube] = gathered
                firstSwab[tube] = earliest
            }
            for (list, chunk) in MultiRow.inLists(found.keys.sorted()) {
                try db.cachedStatement(sql: Store.tubeMembersSQL + " WHERE s.tube_code IN \(list) ORDER BY s.tube_code, s.id").forEachRow(
                    arguments: SQLArguments(chunk)
                ) { row in
                    let code: String = row["tube_code"]
                    let sampledAt: String = row["sampled_at"]
                    if code != tube {
                        file()
                        (tube, gathered, earliest) = (code, [], sampledAt)
                    }
                    gathered.append(try TubeMemberRow(row: row))
                    earliest = min(earliest, sampledAt)
                    return true
                }
            }
            file()
            tubes = found.mapValues { LabTubeRow(tube: $0, firstSampledAt: firstSwab[$0.code]) }
        }

        /// The lab's tube by `code`, or nil when it has none by that code.
        func tube(_ db: SQLSession, _ code: String, lab: String) throws -> LabTubeRow? {
            guard named.insert(code).inserted else { return try Store.labTube(db, code, lab: lab) }
            return tubes[code]
        }

        /// The members of `tube` as read before the delivery wrote, or nil
        /// when they must be read again.
        func members(of tube: String) -> [TubeMemberRow]? {
            guard let read = members[tube], !read.contains(where: { written.contains($0.residentID) }) else { return nil }
            return read
        }

        /// Records residents whose outcome or standing has just been written.
        func wrote(_ residents: some Sequence<Int64>) { written.formUnion(residents) }
    }
}
