/// One agent's figure before and after a training, as the effect estimator sees it.
///
/// Why one figure per agent and not the evaluations themselves: the unit of the comparison
/// is the agent (evaluations of one agent are not independent of each other), so the caller
/// reduces each agent's window to one number first — the QA average over the window before
/// and after the training, a criterion average, or a KPI.
public struct EffectObservation: Sendable, Hashable {
    /// Whether the agent attended the training or is a comparable agent who had not
    /// (placed in a later session, on the waiting list, or excused).
    public enum Group: Sendable, Hashable {
        case attendee
        case control
    }

    public var agentID: String
    public var group: Group
    /// Department and tier, two of the three keys that make a control comparable; the
    /// third, the prior score band, is computed from `before` under the policy.
    public var department: String
    public var tier: String
    public var before: Double
    public var after: Double

    public init(agentID: String, group: Group, department: String, tier: String, before: Double, after: Double) {
        self.agentID = agentID
        self.group = group
        self.department = department
        self.tier = tier
        self.before = before
        self.after = after
    }
}

/// The center's rules for an effect estimate: how small a comparison may be before it is
/// no longer a number, how wide a prior score band is, and the interval's confidence.
///
/// Why a minimum group size: with a handful of agents on either side the interval is so
/// wide, and so dependent on Welch's normality assumption, that a number would be read as
/// a finding when it is noise; "insufficient data" is the honest answer.
public struct EffectPolicy: Sendable, Hashable {
    /// Attendees and controls needed in the strata that are compared (default 10 each).
    public let minimumAttendees: Int
    public let minimumControls: Int
    /// Width of a prior score band: the band of an agent is ⌊before / width⌋ (default 5
    /// points). For a KPI in other units (seconds of handle time) set a width in those units.
    public let scoreBandWidth: Double
    /// Confidence of the interval (default 0.95).
    public let confidenceLevel: Double

    public enum Problem: Error, Hashable, Sendable {
        /// Below 2 there is no variance to estimate within a group.
        case minimumGroupSizeBelowTwo(Int)
        case scoreBandWidthNotPositive(Double)
        case confidenceLevelOutOfRange(Double)
    }

    public static let standard = EffectPolicy(checked: (10, 10, 5, 0.95))

    public init(minimumAttendees: Int = 10, minimumControls: Int = 10, scoreBandWidth: Double = 5, confidenceLevel: Double = 0.95) throws(Problem) {
        guard minimumAttendees >= 2 else { throw .minimumGroupSizeBelowTwo(minimumAttendees) }
        guard minimumControls >= 2 else { throw .minimumGroupSizeBelowTwo(minimumControls) }
        guard scoreBandWidth > 0, scoreBandWidth.isFinite else { throw .scoreBandWidthNotPositive(scoreBandWidth) }
        guard confidenceLevel > 0, confidenceLevel < 1 else { throw .confidenceLevelOutOfRange(confidenceLevel) }
        self.init(checked: (minimumAttendees, minimumControls, scoreBandWidth, confidenceLevel))
    }

    private init(checked values: (Int, Int, Double, Double)) {
        (minimumAttendees, minimumControls, scoreBandWidth, confidenceLevel) = values
    }
}

/// How the interval of an effect is found.
///
/// Why two: Welch's t interval is O(n) and is the default for bulk work (every course,
/// session, trainer and team of a month); the bootstrap makes no normality assumption and
/// is asked for on demand, for one estimate someone is looking at, at O(resamples × n).
public enum EffectMethod: Sendable, Hashable {
    /// Welch's t with Welch–Satterthwaite degrees of freedom.
    case welch
    /// A percentile interval from `resamples` resamples of the agents within their groups
    /// (attendees from attendees, controls from controls, each keeping its stratum), drawn
    /// by a SplitMix64 generator seeded with `seed`: the same seed gives the same interval.
    case bootstrap(resamples: Int, seed: UInt64)

    public static let defaultResamples = 2_000

    /// A bootstrap with the default 2,000 resamples.
    public static func bootstrap(seed: UInt64) -> EffectMethod {
        .bootstrap(resamples: defaultResamples, seed: seed)
    }
}

/// An interval around an effect, at a confidence level.
public struct EffectInterval: Sendable, Hashable {
    public let low: Double
    public let high: Double
    public let level: Double

    public init(low: Double, high: Double, level: Double) {
        self.low = low
        self.high = high
        self.level = level
    }

    public var width: Double { high - low }

    public func contains(_ value: Double) -> Bool { low <= value && value <= high }
}

/// What a training changed, net of what happened anyway to comparable agents who had not
/// attended: the difference-in-differences, with its interval and both group sizes.
///
/// Why difference-in-differences and not before/after: agents are sent to training because
/// they scored low, and low scorers score higher next month anyway (regression to the mean);
/// seasons and new scripts move everyone. A plain before/after credits the training with
/// both. Comparable controls (same department, tier and prior score band, not yet trained)
/// share both, so subtracting their change leaves what the training did. The plain figure
/// is kept beside it so a report can show the difference.
public struct EffectEstimate: Sendable, Hashable {
    /// The effect, in the metric's units, signed so that positive is an improvement
    /// (a drop in handle time is positive).
    public let difference: Double
    public let interval: EffectInterval
    public let method: EffectMethod
    /// Agents compared: those in strata that have both attendees and controls.
    public let attendees: Int
    public let controls: Int
    /// Strata (department × tier × prior score band) compared.
    public let strata: Int
    /// Agents left out because their stratum had nobody on the other side.
    public let unmatchedAttendees: Int
    public let unmatchedControls: Int
    /// Mean improvement of the compared attendees, with no control subtracted: what a
    /// before/after chart would claim. Same sign convention as `difference`.
    public let plainBeforeAfter: Double
    /// Welch–Satterthwaite degrees of freedom and the standard error (Welch only).
    public let degreesOfFreedom: Double?
    public let standardError: Double?

    /// Made by `EffectEstimator`; public so that stored estimates and report fixtures can
    /// be rebuilt.
    public init(
        difference: Double, interval: EffectInterval, method: EffectMethod, attendees: Int, controls: Int, strata: Int,
        unmatchedAttendees: Int, unmatchedControls: Int, plainBeforeAfter: Double, degreesOfFreedom: Double?, standardError: Double?
    ) {
        self.difference = difference
        self.interval = interval
        self.method = method
        self.attendees = attendees
        self.controls = controls
        self.strata = strata
        self.unmatchedAttendees = unmatchedAttendees
        self.unmatchedControls = unmatchedControls
        self.plainBeforeAfter = plainBeforeAfter
        self.degreesOfFreedom = degreesOfFreedom
        self.standardError = standardError
    }
}

/// The answer to "did the training work?": an estimate, or too few agents to say.
public enum EffectResult: Sendable, Hashable {
    case measured(EffectEstimate)
    /// Fewer attendees or controls than the policy's minimum in the compared strata; the
    /// counts are those of the compared strata.
    case insufficientData(attendees: Int, controls: Int)

    public var estimate: EffectEstimate? {
        if case .measured(let estimate) = self { return estimate }
        return nil
    }
}

/// Estimates the effect of a training on a metric by difference-in-differences against
/// comparable agents, per stratum of department, tier and prior score band.
///
/// Why strata weighted by attendees: the question is what the training did for the agents
/// who attended it (the effect on the treated), so each stratum's difference counts as
/// many times as it has attendees; a stratum with one attendee and fifty controls does
/// not outweigh one with thirty attendees. Strata without both groups cannot be compared
/// and are left out (and counted, so a report can say so).
///
/// Cost: one pass over the observations to group them, one over the strata; the bootstrap
/// adds O(resamples × n). Pure: no clock, no I/O, no global random state.
public enum EffectEstimator {
    /// Which way a metric improves, so that an effect is always an improvement.
    public enum Direction: Sendable, Hashable {
        case higherIsBetter
        case lowerIsBetter
    }

    public enum Problem: Error, Hashable, Sendable {
        case figureNotFinite(agentID: String)
        /// A figure too large to place in a score band.
        case figureOutOfRange(agentID: String)
        /// The unit is the agent: an agent counted twice would shrink the interval falsely.
        case duplicateAgent(String)
        case resamplesOutOfRange(Int)
    }

    /// Resamples a bootstrap may ask for: fewer make the percentiles jumpy, more only cost.
    public static let resampleRange = 100...1_000_000

    public static func estimate(
        _ observations: some Collection<EffectObservation>, direction: Direction, method: EffectMethod = .welch,
        policy: EffectPolicy = .standard
    ) throws(Problem) -> EffectResult {
        if case .bootstrap(let resamples, _) = method, !resampleRange.contains(resamples) {
            throw .resamplesOutOfRange(resamples)
        }
        let grouped = try group(observations, direction: direction, bandWidth: policy.scoreBandWidth, keepValues: method != .welch)

        var attendees = 0
        var controls = 0
        var strata = 0
        var unmatchedAttendees = 0
        var unmatchedControls = 0
        for cell in grouped.cells {
            if cell.attendees.count > 0, cell.controls.count > 0 {
                attendees += cell.attendees.count
                controls += cell.controls.count
                strata += 1
            } else {
                unmatchedAttendees += cell.attendees.count
                unmatchedControls += cell.controls.count
            }
        }
        guard attendees >= policy.minimumAttendees, controls >= policy.minimumControls else {
            return .insufficientData(attendees: attendees, controls: controls)
        }
        let used = grouped.cells.filter { $0.attendees.count > 0 && $0.controls.count > 0 }
        let totalAttendees = Double(attendees)
        var difference = 0.0
        var plain = 0.0
        var controlMean = 0.0
        for cell in used {
            let weight = Double(cell.attendees.count) / totalAttendees
            difference += weight * (cell.attendees.mean - cell.controls.mean)
            plain += weight * cell.attendees.mean
            controlMean += Double(cell.controls.count) * cell.controls.mean / Double(controls)
        }

        let interval: EffectInterval
        var degreesOfFreedom: Double?
        var standardError: Double?
        switch method {
        case .welch:
            let welch = welchInterval(
                used, difference: difference, attendeeMean: plain, controlMean: controlMean, attendees: attendees, controls: controls,
                level: policy.confidenceLevel)
            interval = welch.interval
            degreesOfFreedom = welch.degreesOfFreedom
            standardError = welch.standardError
        case .bootstrap(let resamples, let seed):
            interval = bootstrapInterval(grouped, resamples: resamples, seed: seed, level: policy.confidenceLevel)
        }
        return .measured(
            EffectEstimate(
                difference: difference, interval: interval, method: method, attendees: attendees, controls: controls, strata: strata,
                unmatchedAttendees: unmatchedAttendees, unmatchedControls: unmatchedControls, plainBeforeAfter: plain,
                degreesOfFreedom: degreesOfFreedom, standardError: standardError))
    }

    // MARK: Grouping

    private struct StratumKey: Hashable {
        let department: String
        let tier: String
        let band: Int
    }

    /// Count, mean and sum of squared deviations of one group in one stratum (Welford).
    struct Moments {
        var count = 0
        var mean = 0.0
        var squares = 0.0

        mutating func add(_ x: Double) {
            count += 1
            let delta = x - mean
            mean += delta / Double(count)
            squares += delta * (x - mean)
        }
    }

    struct Cell {
        var attendees = Moments()
        var controls = Moments()
    }

    /// One agent's improvement and stratum, kept for the bootstrap.
    struct Placed {
        let cell: Int
        let group: EffectObservation.Group
        let improvement: Double
    }

    struct Grouped {
        var cells: [Cell]
        /// Every agent, in input order (kept only for the bootstrap).
        var placed: [Placed]
    }

    private static func group(
        _ observations: some Collection<EffectObservation>, direction: Direction, bandWidth: Double, keepValues: Bool
    ) throws(Problem) -> Grouped {
        var index: [StratumKey: Int] = [:]
        var cells: [Cell] = []
        var seen = Set<String>(minimumCapacity: observations.count)
        var placed: [Placed] = []
        if keepValues { placed.reserveCapacity(observations.count) }
        for observation in observations {
            guard observation.before.isFinite, observation.after.isFinite else {
                throw .figureNotFinite(agentID: observation.agentID)
            }
            let improvement = direction == .higherIsBetter ? observation.after - observation.before : observation.before - observation.after
            guard improvement.isFinite, let band = Int(exactly: (observation.before / bandWidth).rounded(.down)) else {
                throw .figureOutOfRange(agentID: observation.agentID)
            }
            guard seen.insert(observation.agentID).inserted else { throw .duplicateAgent(observation.agentID) }
            let key = StratumKey(department: observation.department, tier: observation.tier, band: band)
            let cell: Int
            if let existing = index[key] {
                cell = existing
            } else {
                cell = cells.count
                index[key] = cell
                cells.append(Cell())
            }
            switch observation.group {
            case .attendee: cells[cell].attendees.add(improvement)
            case .control: cells[cell].controls.add(improvement)
            }
            if keepValues { placed.append(Placed(cell: cell, group: observation.group, improvement: improvement)) }
        }
        return Grouped(cells: cells, placed: placed)
    }

    // MARK: Welch

    /// Welch's interval for the stratified difference.
    ///
    /// The variance of each group is pooled within strata (deviations from the stratum's
    /// own mean, n − strata degrees of freedom), so differences between strata do not
    /// inflate it. With attendee weights, Var = s²ₐ/Nₐ + s²꜀·Σ wₛ²/n꜀ₛ; with one stratum this
    /// is Welch's interval exactly. Where a group has no stratum with two members (no
    /// within-stratum variance), its variance around its overall mean is used instead, with
    /// n − 1 degrees of freedom: larger, so the interval errs wide rather than narrow.
    private static func welchInterval(
        _ used: [Cell], difference: Double, attendeeMean: Double, controlMean: Double, attendees: Int, controls: Int, level: Double
    ) -> (interval: EffectInterval, degreesOfFreedom: Double, standardError: Double) {
        let strata = used.count
        let totalAttendees = Double(attendees)
        var withinAttendees = 0.0
        var withinControls = 0.0
        var betweenAttendees = 0.0
        var betweenControls = 0.0
        var controlFactor = 0.0
        for cell in used {
            withinAttendees += cell.attendees.squares
            withinControls += cell.controls.squares
            betweenAttendees += Double(cell.attendees.count) * square(cell.attendees.mean - attendeeMean)
            betweenControls += Double(cell.controls.count) * square(cell.controls.mean - controlMean)
            let weight = Double(cell.attendees.count) / totalAttendees
            controlFactor += weight * weight / Double(cell.controls.count)
        }
        func pooled(within: Double, between: Double, count: Int) -> (variance: Double, degrees: Double) {
            if count - strata >= 1 { return (within / Double(count - strata), Double(count - strata)) }
            return ((within + between) / Double(count - 1), Double(count - 1))
        }
        let attendeeVariance = pooled(within: withinAttendees, between: betweenAttendees, count: attendees)
        let controlVariance = pooled(within: withinControls, between: betweenControls, count: controls)
        let attendeePart = attendeeVariance.variance / totalAttendees
        let controlPart = controlVariance.variance * controlFactor
        let variance = attendeePart + controlPart
        let standardError = variance.squareRoot()
        let degrees: Double
        if variance > 0 {
            degrees = variance * variance
                / (attendeePart * attendeePart / attendeeVariance.degrees + controlPart * controlPart / controlVariance.degrees)
        } else {
            degrees = attendeeVariance.degrees + controlVariance.degrees
        }
        let t = StudentT.quantile((1 + level) / 2, degreesOfFreedom: degrees) ?? .infinity
        let halfWidth = standardError == 0 ? 0 : t * standardError
        return (EffectInterval(low: difference - halfWidth, high: difference + halfWidth, level: level), degrees, standardError)
    }

    private static func square(_ x: Double) -> Double { x * x }

    // MARK: Bootstrap

    /// A percentile interval from resampling the agents within their groups: each resample
    /// draws as many attendees as were compared, with replacement, from the compared
    /// attendees, and as many controls from the compared controls; each drawn agent keeps
    /// its stratum, and the estimate is recomputed as above (strata the resample leaves
    /// without one of the groups drop out of that resample).
    ///
    /// Why not resample within each stratum: with fine strata (a few agents per department,
    /// tier and 5-point band) a stratum of n reproduces only (n − 1)/n of its variance, and
    /// one of a single agent none at all; the interval came out about a fifth too narrow.
    /// Drawing from the whole group lets the strata's sizes vary too, as they would in
    /// another month, and keeps the interval as wide as the data warrant.
    private static func bootstrapInterval(
        _ grouped: Grouped, resamples: Int, seed: UInt64, level: Double
    ) -> EffectInterval {
        // Number the compared strata 0..<strata and list each group's agents with theirs.
        var strata = [Int](repeating: -1, count: grouped.cells.count)
        var stratumCount = 0
        for (index, cell) in grouped.cells.enumerated() where cell.attendees.count > 0 && cell.controls.count > 0 {
            strata[index] = stratumCount
            stratumCount += 1
        }
        var attendeeValues: [Double] = []
        var attendeeStrata: [Int] = []
        var controlValues: [Double] = []
        var controlStrata: [Int] = []
        for item in grouped.placed where strata[item.cell] >= 0 {
            switch item.group {
            case .attendee:
                attendeeValues.append(item.improvement)
                attendeeStrata.append(strata[item.cell])
            case .control:
                controlValues.append(item.improvement)
                controlStrata.append(strata[item.cell])
            }
        }
        var generator = SplitMix64(seed: seed)
        var estimates: [Double] = []
        estimates.reserveCapacity(resamples)
        var attendeeSums = [Double](repeating: 0, count: stratumCount)
        var attendeeCounts = [Int](repeating: 0, count: stratumCount)
        var controlSums = [Double](repeating: 0, count: stratumCount)
        var controlCounts = [Int](repeating: 0, count: stratumCount)
        for _ in 0..<resamples {
            for stratum in 0..<stratumCount {
                attendeeSums[stratum] = 0
                attendeeCounts[stratum] = 0
                controlSums[stratum] = 0
                controlCounts[stratum] = 0
            }
            for _ in 0..<attendeeValues.count {
                let drawn = generator.index(below: attendeeValues.count)
                attendeeSums[attendeeStrata[drawn]] += attendeeValues[drawn]
                attendeeCounts[attendeeStrata[drawn]] += 1
            }
            for _ in 0..<controlValues.count {
                let drawn = generator.index(below: controlValues.count)
                controlSums[controlStrata[drawn]] += controlValues[drawn]
                controlCounts[controlStrata[drawn]] += 1
            }
            var weighted = 0.0
            var weight = 0
            for stratum in 0..<stratumCount where attendeeCounts[stratum] > 0 && controlCounts[stratum] > 0 {
                let attendees = Double(attendeeCounts[stratum])
                weighted += attendees * (attendeeSums[stratum] / attendees - controlSums[stratum] / Double(controlCounts[stratum]))
                weight += attendeeCounts[stratum]
            }
            // A resample in which no stratum keeps both groups has no estimate; with the
            // policy's minimum group sizes this is all but impossible, and it is skipped.
            if weight > 0 { estimates.append(weighted / Double(weight)) }
        }
        estimates.sort()
        let tail = (1 - level) / 2
        return EffectInterval(low: percentile(estimates, tail), high: percentile(estimates, 1 - tail), level: level)
    }

    /// The `p` quantile of sorted, non-empty `values`, interpolating between order
    /// statistics (Hyndman & Fan type 7, the default of R and NumPy).
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard let first = sorted.first, let last = sorted.last else { return .nan }
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        guard lower >= 0 else { return first }
        guard lower + 1 < sorted.count else { return last }
        let fraction = position - Double(lower)
        return sorted[lower] + fraction * (sorted[lower + 1] - sorted[lower])
    }
}
