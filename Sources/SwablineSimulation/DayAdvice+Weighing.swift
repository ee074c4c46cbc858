extension DayAdvice {
    /// The options of one site's day weighed one subject at a time, each
    /// simulated day at the recommended pool size unless the option changes it.
    struct Weighing {
        var site: SimulatedSite
        var parameters: SimulationParameters
        var seed: UInt64
        var pool: PoolSizeAdvice

        init(site: SimulatedSite, parameters: SimulationParameters, seed: UInt64) {
            self.site = site
            self.parameters = parameters
            self.seed = seed
            pool = PoolSizeAdvice(prevalence: parameters.prevalence, zone: site.definition.zone)
        }

        /// The day at the recommended mode, with `change` applied.
        func run(_ change: (inout SimulationParameters) -> Void) -> SimulationReport {
            var p = parameters
            p.poolMode = pool.recommended
            change(&p)
            // Only modes the zone allows are ever asked for.
            do { return try DaySimulation.run(site, parameters: p, seed: seed) } catch { preconditionFailure("\(error)") }
        }

        /// Dorfman's figure and the simulated one for each mode the zone
        /// allows, then the best pool size over 1–100 for comparison.
        func poolSizeLines() -> [Line] {
            let zone = site.definition.zone
            let percent = parameters.prevalence * 100
            var lines: [Line] = []
            for option in pool.options {
                let mode = option.mode.rawValue, chosen = option.mode == pool.recommended
                lines.append(
                    Line(
                        subject: .poolSize, basis: .dorfman, option: mode, figure: option.testsPerPerson, chosen: chosen,
                        text: "\(mode): \(fixedPoint(option.testsPerPerson, 3)) tests per person expected"
                            + " at \(fixedPoint(percent, 2)) % prevalence (Dorfman, infections independent)"))
                let day = run { $0.poolMode = option.mode }
                lines.append(
                    Line(
                        subject: .poolSize, basis: .simulation, option: mode, figure: day.testsPerPerson, chosen: chosen,
                        text: "\(mode): \(fixedPoint(day.testsPerPerson, 3)) tests per person in the simulated day (households share tubes,"
                            + " \(fixedPoint(day.tubes.fillRatio * 100, 0)) % of pooled places filled, \(day.results.retests) retests)"))
            }
            let best = pool.optimum
            lines.append(
                Line(
                    subject: .poolSize, basis: .dorfman, option: "\(best.poolSize)", figure: best.testsPerPerson, chosen: false,
                    text: "Over pools of 1–100 the best is \(best.poolSize)-in-1 at \(fixedPoint(best.testsPerPerson, 3)) tests per person;"
                        + " a \(zone.rawValue) zone allows \(zone.allowedModes.map(\.rawValue).joined(separator: ", "))"))
            return lines
        }

        /// Stations: a lower bound, then simulated days upward from it until
        /// one meets the target.
        func stations(for target: Target) -> (chosen: Int?, bound: Int, lines: [Line]) {
            let people = Double(site.residents.count) * (1 - parameters.missingShare + parameters.walkInShare)
            let work = people * parameters.serviceTime.mean + people / Double(pool.recommended.capacity) * parameters.tubeChange.mean
            let bound = max(1, Int((work / max(1, target.finishBy - site.opens)).rounded(.up)))
            var lines = [
                Line(
                    subject: .stations, basis: .bound, option: "\(bound)", figure: Double(bound), chosen: false,
                    text: "At least \(bound) station\(bound == 1 ? "" : "s"): \(DayTime.duration(work)) of swabbing and tube changes"
                        + " between opening and \(DayTime.clock(target.finishBy))")
            ]
            var count = bound
            while count <= target.maxStations {
                let day = run { $0.stations = count }
                let finished = day.allSampledAt ?? site.opens
                let waitP95 = day.wait?.p95 ?? 0
                let meets = finished <= target.finishBy && waitP95 <= target.maxWaitP95
                lines.append(
                    Line(
                        subject: .stations, basis: .simulation, option: "\(count)", figure: finished, chosen: meets,
                        text: "\(count) station\(count == 1 ? "" : "s"): everyone sampled by \(DayTime.clock(finished)),"
                            + " 95 % waited under \(DayTime.duration(waitP95)), at most \(day.peakWaiting) waiting at once"))
                if meets { return (count, bound, lines) }
                count += 1
            }
            return (nil, bound, lines)
        }

        /// Couriers: the longest interval that keeps every sample under the
        /// limit, with the chosen stations (or the parameters' own when none met the target).
        func courierInterval(for target: Target, stations: Int?) -> (chosen: Double?, lines: [Line]) {
            var interval: Double?
            var lines: [Line] = []
            for candidate in target.courierIntervals.sorted() {
                let day = run {
                    $0.stations = stations ?? parameters.stations
                    $0.courierInterval = candidate
                }
                let oldest = day.sampleAge.spread?.max ?? 0
                if day.sampleAge.overLimit == 0 { interval = candidate }
                lines.append(
                    Line(
                        subject: .courier, basis: .simulation, option: "\(Int(candidate))", figure: oldest, chosen: false,
                        text: "A courier every \(DayTime.duration(candidate)): oldest sample \(DayTime.duration(oldest)) at receipt,"
                            + " \(day.sampleAge.overLimit) over \(DayTime.duration(parameters.sampleAgeLimit)),"
                            + " \(day.pickups.count) runs,"
                            + " \(day.tubes.partlyFilledBecause[SealReason.courier.rawValue] ?? 0) tubes sealed early for them"))
            }
            for i in lines.indices where Double(lines[i].option) == interval { lines[i].chosen = true }
            return (interval, lines)
        }
    }
}
