/// A span of time on the planning horizon, half-open: [start, end).
///
/// Representation, chosen once for the whole scheduling domain: whole minutes since the
/// start of the planning horizon (e.g. the first day of the month, 00:00 in the center's
/// own time zone). The handlers convert instants from the workforce-management export and
/// the plan into these minutes; the domain never sees time zones or calendars, and
/// interval arithmetic stays exact integer arithmetic.
public struct MinuteRange: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Whether the two spans share at least one minute (touching ends do not overlap).
    public func overlaps(_ other: MinuteRange) -> Bool { start < other.end && other.start < end }

    /// Whether `other` lies wholly inside this span.
    public func contains(_ other: MinuteRange) -> Bool { start <= other.start && other.end <= end }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }

    /// The 30-minute intervals this span touches, even partly: someone in training for
    /// part of an interval is off the floor for that interval.
    public var intervals: Range<Int> {
        let first = start >= 0 ? start / Interval.minutes : 0
        let last = end > 0 ? (end + Interval.minutes - 1) / Interval.minutes : 0
        return first..<max(first, last)
    }

    public var description: String { "[\(start), \(end))" }
}

/// A 30-minute slot of the planning horizon, the unit of forecasts and of coverage.
/// Slot `index` covers minutes [30·index, 30·index + 30).
public struct Interval: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length of every interval: the granularity of workforce-management forecasts.
    public static let minutes = 30

    public var index: Int

    public init(_ index: Int) { self.index = index }

    public var range: MinuteRange { MinuteRange(start: index * Self.minutes, end: (index + 1) * Self.minutes) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.index < rhs.index }
    public var description: String { "interval \(index)" }
}

/// "x % of contacts answered within t seconds", e.g. 80 % in 20 s.
public struct ServiceLevelTarget: Hashable, Sendable {
    /// The share to answer in time, strictly between 0 and 1.
    public var fraction: Double
    /// The time within which they must be answered, in seconds.
    public var answerWithinSeconds: Double

    public init(fraction: Double, answerWithinSeconds: Double) {
        self.fraction = fraction
        self.answerWithinSeconds = answerWithinSeconds
    }

    /// The industry's default: 80 % in 20 s.
    public static let eightyTwenty = ServiceLevelTarget(fraction: 0.8, answerWithinSeconds: 20)
}

/// The workforce-management forecast for one queue and one 30-minute interval.
public struct QueueForecast: Hashable, Sendable {
    public var queue: QueueID
    public var interval: Interval
    /// Contacts expected in the interval.
    public var expectedContacts: Double
    /// Average handle time (talk, hold, wrap-up), seconds.
    public var averageHandleTimeSeconds: Double
    public var target: ServiceLevelTarget
    /// The share of scheduled time lost to breaks, meetings, absence, in [0, 1).
    /// Scheduled training is not part of it: placement takes trainees off explicitly.
    public var shrinkage: Double

    public init(
        queue: QueueID, interval: Interval, expectedContacts: Double, averageHandleTimeSeconds: Double,
        target: ServiceLevelTarget = .eightyTwenty, shrinkage: Double
    ) {
        self.queue = queue
        self.interval = interval
        self.expectedContacts = expectedContacts
        self.averageHandleTimeSeconds = averageHandleTimeSeconds
        self.target = target
        self.shrinkage = shrinkage
    }

    /// Throws the first thing that makes the forecast unusable.
    public func validate() throws(ErlangCError) {
        guard expectedContacts.isFinite, expectedContacts >= 0 else { throw .negativeContacts(expectedContacts) }
        guard averageHandleTimeSeconds.isFinite, averageHandleTimeSeconds > 0 else {
            throw .nonPositiveAverageHandleTime(averageHandleTimeSeconds)
        }
        guard target.fraction > 0, target.fraction < 1 else { throw .targetOutsideOpenUnitInterval(target.fraction) }
        guard target.answerWithinSeconds.isFinite, target.answerWithinSeconds >= 0 else {
            throw .negativeAnswerTime(target.answerWithinSeconds)
        }
        guard shrinkage >= 0, shrinkage < 1 else { throw .shrinkageOutsideUnitInterval(shrinkage) }
    }
}

/// One shift of one agent, as the workforce-management export lists it (agent, start, end),
/// in minutes of the planning horizon.
public struct Shift: Hashable, Sendable {
    public var agent: AgentID
    public var range: MinuteRange

    public init(agent: AgentID, start: Int, end: Int) {
        self.agent = agent
        self.range = MinuteRange(start: start, end: end)
    }
}

/// What one queue or team would keep in one interval if some agents left for training.
public struct IntervalOutlook: Hashable, Sendable {
    public enum Scope: Hashable, Sendable {
        /// A forecast queue: the agents on shift and on the floor against the Erlang C need.
        case queue(QueueID, onFloor: Int, required: Int, serviceLevel: Double)
        /// A team without a forecast: its agents in training against the share allowed.
        case team(TeamID, onShift: Int, inTraining: Int, allowedInTraining: Int)
    }

    public var interval: Interval
    public var scope: Scope
    /// Whether this queue or team stays covered.
    public var keepsCoverage: Bool
}

/// The floor, interval by interval: who is on shift, who is in training, and what each
/// queue needs, so that training never takes the service level below target.
///
/// Rules, and the simplifications they make:
/// - An agent counts toward an interval only if one of their shifts covers the whole
///   interval; training that touches any part of an interval takes them off the floor
///   for all of it. Both err on the side of the floor.
/// - An agent who serves several queues counts once, in full, toward every forecast queue
///   they serve (no split of their time between queues). Taking them to training removes
///   one agent from each of those queues. This overstates multi-skilled capacity a little;
///   the alternative (a split by skill routing) needs data the export does not give.
/// - Agents who serve at least one forecast queue are governed by those queues' Erlang C
///   requirements; queues they serve without a forecast are ignored. An interval of a
///   forecast queue without its own forecast line needs nobody (the queue is closed).
/// - Agents who serve no forecast queue are governed by their team's share: in each
///   interval at most ⌊share × on shift⌋ of the team's such agents may be in training
///   (default share 20 %). Rounding down means a team with fewer than 5 on shift cannot
///   send anyone at that time, which is the point of protecting the floor.
/// - Onboarding agents take no calls: they are neither coverage nor a loss of it.
/// - Training outside an agent's shift costs the floor nothing.
///
/// Why dense arrays and counters: placement asks "can this agent go?" tens of thousands of
/// times; each answer must touch only the few intervals of one session, and each placement
/// must update counts in place rather than recompute the month.
public struct FloorCoverage: Sendable {
    /// Shifts and forecasts may not reach further than this (400 days of 30-minute intervals).
    public static let maximumIntervals = 400 * 48

    public let maximumTeamShareOffFloor: Double
    /// Intervals 0..<intervalCount carry shifts or forecasts; later ones have nobody on shift.
    public let intervalCount: Int

    let agentIndex: [AgentID: Int]
    /// Per agent: the merged, sorted spans they are on shift.
    let shifts: [[MinuteRange]]
    /// Per agent: the forecast queues (indices) they count toward; empty if none.
    let agentQueues: [[Int]]
    /// Per agent: the team index under the share rule, or −1 (forecast-governed or onboarding).
    let agentShareTeam: [Int]
    /// Per agent: false for onboarding agents.
    let countsOnFloor: [Bool]

    let queueIDs: [QueueID]
    /// Per queue × interval (queue · intervalCount + interval).
    let forecasts: [QueueForecast?]
    let required: [Int]
    /// On floor minus required; training takes it down, and it must never go below 0.
    private(set) var slack: [Int]

    let teamIDs: [TeamID]
    /// Per team × interval: share-governed agents on shift, how many may be in training, how many are.
    let teamOnShift: [Int]
    let teamAllowed: [Int]
    private(set) var teamInTraining: [Int]

    /// Builds the floor from the roster's agents, the workforce-management shifts and the
    /// forecasts. Shifts of people who are not in `agents` (the export lists everyone) are
    /// ignored; overlapping shifts of one agent are merged.
    public init(
        agents: [Agent], shifts: [Shift], forecasts: [QueueForecast], maximumTeamShareOffFloor: Double = 0.2
    ) throws(SchedulingError) {
        guard maximumTeamShareOffFloor >= 0, maximumTeamShareOffFloor <= 1 else {
            throw .shareOutsideUnitInterval(maximumTeamShareOffFloor)
        }
        self.maximumTeamShareOffFloor = maximumTeamShareOffFloor
        let agents = agents.sorted { $0.id < $1.id }
        var agentIndex: [AgentID: Int] = [:]
        agentIndex.reserveCapacity(agents.count)
        for (i, agent) in agents.enumerated() {
            if agentIndex.updateValue(i, forKey: agent.id) != nil { throw .duplicateAgent(agent.id) }
        }
        self.agentIndex = agentIndex

        // Shifts per agent, merged.
        var spans = [[MinuteRange]](repeating: [], count: agents.count)
        var lastMinute = 0
        for shift in shifts {
            guard shift.range.start >= 0, shift.range.end > shift.range.start else { throw .invalidShift(shift.agent, shift.range) }
            guard let i = agentIndex[shift.agent] else { continue }
            spans[i].append(shift.range)
            lastMinute = max(lastMinute, shift.range.end)
        }
        for i in spans.indices where spans[i].count > 1 {
            spans[i] = Self.merged(spans[i])
        }
        self.shifts = spans

        // Forecast queues.
        var queueSet = Set<QueueID>()
        var lastForecastInterval = -1
        for forecast in forecasts {
            queueSet.insert(forecast.queue)
            guard forecast.interval.index >= 0 else { throw .forecastBeforeHorizon(forecast.queue, forecast.interval) }
            lastForecastInterval = max(lastForecastInterval, forecast.interval.index)
        }
        let intervalCount = max((lastMinute + Interval.minutes - 1) / Interval.minutes, lastForecastInterval + 1)
        guard intervalCount <= Self.maximumIntervals else { throw .horizonTooLong(intervals: intervalCount) }
        self.intervalCount = intervalCount
        let queueIDs = queueSet.sorted()
        var queueIndex: [QueueID: Int] = [:]
        for (q, id) in queueIDs.enumerated() { queueIndex[id] = q }
        self.queueIDs = queueIDs

        var forecastGrid = [QueueForecast?](repeating: nil, count: queueIDs.count * intervalCount)
        var required = [Int](repeating: 0, count: queueIDs.count * intervalCount)
        for forecast in forecasts {
            guard let q = queueIndex[forecast.queue] else { continue }
            let cell = q * intervalCount + forecast.interval.index
            if forecastGrid[cell] != nil { throw .duplicateForecast(forecast.queue, forecast.interval) }
            forecastGrid[cell] = forecast
            do {
                required[cell] = try ErlangC.requiredAgents(forecast: forecast)
            } catch {
                throw .invalidForecast(forecast.queue, forecast.interval, error)
            }
        }
        self.forecasts = forecastGrid
        self.required = required

        // Who is governed by what.
        var agentQueues = [[Int]](repeating: [], count: agents.count)
        var agentShareTeam = [Int](repeating: -1, count: agents.count)
        var countsOnFloor = [Bool](repeating: true, count: agents.count)
        let shareTeams = Set(agents.filter { agent in
            !agent.isOnboarding && !agent.queues.contains { queueIndex[$0] != nil }
        }.map(\.team)).sorted()
        var teamIndex: [TeamID: Int] = [:]
        for (t, id) in shareTeams.enumerated() { teamIndex[id] = t }
        self.teamIDs = shareTeams
        for (i, agent) in agents.enumerated() {
            if agent.isOnboarding {
                countsOnFloor[i] = false
                continue
            }
            agentQueues[i] = Set(agent.queues.compactMap { queueIndex[$0] }).sorted()
            if agentQueues[i].isEmpty { agentShareTeam[i] = teamIndex[agent.team] ?? -1 }
        }
        self.agentQueues = agentQueues
        self.agentShareTeam = agentShareTeam
        self.countsOnFloor = countsOnFloor

        // Count who is on shift in each interval.
        var onFloor = [Int](repeating: 0, count: queueIDs.count * intervalCount)
        var teamOnShift = [Int](repeating: 0, count: shareTeams.count * intervalCount)
        for i in agents.indices where countsOnFloor[i] {
            for span in spans[i] {
                let first = (span.start + Interval.minutes - 1) / Interval.minutes
                let last = span.end / Interval.minutes  // exclusive: only whole intervals
                guard first < last else { continue }
                for q in agentQueues[i] {
                    let base = q * intervalCount
                    for k in first..<last { onFloor[base + k] += 1 }
                }
                let t = agentShareTeam[i]
                if t >= 0 {
                    let base = t * intervalCount
                    for k in first..<last { teamOnShift[base + k] += 1 }
                }
            }
        }
        self.slack = zip(onFloor, required).map { $0 - $1 }
        self.teamOnShift = teamOnShift
        self.teamAllowed = teamOnShift.map { Int((Double($0) * maximumTeamShareOffFloor + 1e-9).rounded(.down)) }
        self.teamInTraining = [Int](repeating: 0, count: teamOnShift.count)
    }

    private static func merged(_ spans: [MinuteRange]) -> [MinuteRange] {
        let sorted = spans.sorted()
        var result: [MinuteRange] = []
        result.reserveCapacity(sorted.count)
        for span in sorted {
            if let last = result.last, span.start <= last.end {
                result[result.count - 1].end = max(last.end, span.end)
            } else {
                result.append(span)
            }
        }
        return result
    }

    // MARK: Questions about one agent

    /// Whether the agent's shifts cover the whole span (adjacent shifts join up).
    public func isOnShift(_ agent: AgentID, throughout range: MinuteRange) -> Bool {
        guard let i = agentIndex[agent] else { return false }
        return isOnShift(agent: i, throughout: range)
    }

    func isOnShift(agent i: Int, throughout range: MinuteRange) -> Bool {
        let spans = shifts[i]
        // The last span starting at or before range.start: spans are merged, so only it can hold the range.
        var low = 0
        var high = spans.count
        while low < high {
            let mid = (low + high) / 2
            if spans[mid].start <= range.start { low = mid + 1 } else { high = mid }
        }
        return low > 0 && spans[low - 1].end >= range.end
    }

    /// Whether the agent counts on the floor in interval `k`.
    func isOnFloor(agent i: Int, interval k: Int) -> Bool {
        countsOnFloor[i] && isOnShift(agent: i, throughout: Interval(k).range)
    }

    /// The intervals of `range` that exist on this horizon.
    func horizonIntervals(_ range: MinuteRange) -> Range<Int> {
        let all = range.intervals
        return min(all.lowerBound, intervalCount)..<min(all.upperBound, intervalCount)
    }

    /// Whether taking this one agent off the floor during `range` keeps every queue and team covered.
    public func canTake(_ agent: AgentID, during range: MinuteRange) -> Bool {
        guard let i = agentIndex[agent] else { return true }
        return canTake(agent: i, during: range)
    }

    func canTake(agent i: Int, during range: MinuteRange) -> Bool {
        guard countsOnFloor[i] else { return true }
        let queues = agentQueues[i]
        let team = agentShareTeam[i]
        for k in horizonIntervals(range) where isOnShift(agent: i, throughout: Interval(k).range) {
            for q in queues where slack[q * intervalCount + k] < 1 { return false }
            if team >= 0 {
                let cell = team * intervalCount + k
                if teamInTraining[cell] + 1 > teamAllowed[cell] { return false }
            }
        }
        return true
    }

    /// Records the agent as off the floor during `range` (the caller has checked `canTake`).
    public mutating func take(_ agent: AgentID, during range: MinuteRange) {
        guard let i = agentIndex[agent] else { return }
        adjust(agent: i, during: range, by: 1)
    }

    /// Returns the agent to the floor during `range` (undoes `take`).
    public mutating func release(_ agent: AgentID, during range: MinuteRange) {
        guard let i = agentIndex[agent] else { return }
        adjust(agent: i, during: range, by: -1)
    }

    mutating func adjust(agent i: Int, during range: MinuteRange, by delta: Int) {
        guard countsOnFloor[i] else { return }
        let team = agentShareTeam[i]
        for k in horizonIntervals(range) where isOnShift(agent: i, throughout: Interval(k).range) {
            for q in agentQueues[i] { slack[q * intervalCount + k] -= delta }
            if team >= 0 { teamInTraining[team * intervalCount + k] += delta }
        }
    }

    // MARK: Questions about a group

    /// Whether taking all of `agents` off the floor during `range`, on top of everyone
    /// already in training, keeps every affected queue-interval and team-interval covered.
    public func keepsCoverage(taking agents: [AgentID], during range: MinuteRange) -> Bool {
        outlook(taking: agents, during: range).allSatisfy(\.keepsCoverage)
    }

    /// The what-if: for each queue-interval and team-interval that `agents` would leave
    /// during `range`, what remains on the floor and the service level it would keep.
    /// Sorted by interval, then queues before teams, then id.
    public func outlook(taking agents: [AgentID], during range: MinuteRange) -> [IntervalOutlook] {
        var leaving: [Int: Int] = [:]  // queue cell → agents leaving
        var teamLeaving: [Int: Int] = [:]  // team cell → agents leaving
        for i in Set(agents.compactMap { agentIndex[$0] }) where countsOnFloor[i] {
            for k in horizonIntervals(range) where isOnShift(agent: i, throughout: Interval(k).range) {
                for q in agentQueues[i] { leaving[q * intervalCount + k, default: 0] += 1 }
                if agentShareTeam[i] >= 0 { teamLeaving[agentShareTeam[i] * intervalCount + k, default: 0] += 1 }
            }
        }
        var result: [IntervalOutlook] = []
        for (cell, count) in leaving {
            let onFloor = slack[cell] + required[cell] - count
            var level = 1.0
            if let forecast = forecasts[cell] {
                level = (try? ErlangC.serviceLevel(scheduled: onFloor, forecast: forecast)) ?? 0
            }
            result.append(IntervalOutlook(
                interval: Interval(cell % intervalCount),
                scope: .queue(queueIDs[cell / intervalCount], onFloor: onFloor, required: required[cell], serviceLevel: level),
                keepsCoverage: onFloor >= required[cell]))
        }
        for (cell, count) in teamLeaving {
            let inTraining = teamInTraining[cell] + count
            result.append(IntervalOutlook(
                interval: Interval(cell % intervalCount),
                scope: .team(teamIDs[cell / intervalCount], onShift: teamOnShift[cell], inTraining: inTraining,
                             allowedInTraining: teamAllowed[cell]),
                keepsCoverage: inTraining <= teamAllowed[cell]))
        }
        return result.sorted { lhs, rhs in
            if lhs.interval != rhs.interval { return lhs.interval < rhs.interval }
            switch (lhs.scope, rhs.scope) {
            case let (.queue(a, _, _, _), .queue(b, _, _, _)): return a < b
            case let (.team(a, _, _, _), .team(b, _, _, _)): return a < b
            case (.queue, .team): return true
            case (.team, .queue): return false
            }
        }
    }

    /// Agents on shift and on the floor for a forecast queue in an interval (nil: no such queue).
    public func onFloor(queue: QueueID, interval: Interval) -> Int? {
        guard let q = queueIDs.firstIndex(of: queue), (0..<intervalCount).contains(interval.index) else { return nil }
        let cell = q * intervalCount + interval.index
        return slack[cell] + required[cell]
    }

    /// Agents a forecast queue needs on shift in an interval (nil: no such queue).
    public func required(queue: QueueID, interval: Interval) -> Int? {
        guard let q = queueIDs.firstIndex(of: queue), (0..<intervalCount).contains(interval.index) else { return nil }
        return required[q * intervalCount + interval.index]
    }
}
