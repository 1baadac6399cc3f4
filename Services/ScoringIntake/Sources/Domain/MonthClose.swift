import CalendarDates
/// An agent's standing on a day, read from roster history.
extension RosterEntry {
    /// The status on `date`: a version that says "left" on a later day was in service before it.
    public func status(on date: LocalDate) -> AgentStatus? {
        guard hireDate <= date else { return nil }  // not hired yet
        if status == .left, let leftOn, leftOn > date { return .inService }
        return status
    }
}

extension RosterDecision {
    /// The version that describes the agent on `date`. Before the first stored version, the
    /// first version stands for the agent from the hire date on (rosters are often imported
    /// after the fact); nil before the hire date.
    public static func standing(on date: LocalDate, in history: [RosterEntry]) -> RosterEntry? {
        if let version = version(on: date, in: history) { return version }
        guard let first = history.first, first.hireDate <= date else { return nil }
        return first
    }
}

/// One agent's month: who they were at its end and how they scored in it.
public struct AgentMonth: Sendable, Hashable {
    public var entry: RosterEntry
    public var statistics: ScoreStatistics

    public init(entry: RosterEntry, statistics: ScoreStatistics) {
        self.entry = entry
        self.statistics = statistics
    }
}

/// Next month's tier of one agent, with the numbers that justify it.
public struct TierAssignment: Sendable, Hashable {
    public var agentID: String
    public var name: String
    public var teamID: String
    public var teamLeaderID: String
    public var department: String
    public var site: String
    public var tier: Tier
    /// Rounded as the policy compares it.
    public var average: Double
    public var count: Int
    public var standardError: Double
    public var borderline: Bool
    /// Coaching tier only: when the team leader's problem summary is due.
    public var problemSummaryDue: LocalDate?
    /// The tier in the previous revision of the same month, if there was one.
    public var previousTier: Tier?

    public init(
        agentID: String, name: String, teamID: String, teamLeaderID: String, department: String, site: String,
        tier: Tier, average: Double, count: Int, standardError: Double, borderline: Bool,
        problemSummaryDue: LocalDate?, previousTier: Tier?
    ) {
        self.agentID = agentID
        self.name = name
        self.teamID = teamID
        self.teamLeaderID = teamLeaderID
        self.department = department
        self.site = site
        self.tier = tier
        self.average = average
        self.count = count
        self.standardError = standardError
        self.borderline = borderline
        self.problemSummaryDue = problemSummaryDue
        self.previousTier = previousTier
    }

    /// Whether a re-close changed this agent's tier (an agent absent from the previous revision has no change to report).
    public var changed: Bool { previousTier.map { $0 != tier } ?? false }
}

/// The month-end tiering (seed 003).
public enum MonthClose {
    /// A month can be closed once its last day is over on the center's calendar.
    public static func hasEnded(_ month: YearMonth, today: LocalDate) -> Bool {
        today > month.lastDay
    }

    /// Whether an agent is tiered for the month: in service at its end. New hires in
    /// onboarding follow the onboarding curriculum instead; leavers are gone.
    public static func isTiered(_ entry: RosterEntry, month: YearMonth) -> Bool {
        entry.status(on: month.lastDay) == .inService
    }

    /// Next month's tier for every tiered agent, sorted by agent id.
    /// - Parameter previous: the tiers of the month's previous revision, to mark changes.
    public static func assignments(
        month: YearMonth, agents: [AgentMonth], policy: TierPolicy, calendar: CenterCalendar, previous: [String: Tier]
    ) throws(CenterCalendar.Problem) -> [TierAssignment] {
        let due = try DueDates.problemSummaryDue(closedMonth: month, calendar: calendar)
        return agents
            .filter { isTiered($0.entry, month: month) }
            .sorted { $0.entry.agentID < $1.entry.agentID }
            .map { agent in
                let tier = policy.tier(for: agent.statistics)
                return TierAssignment(
                    agentID: agent.entry.agentID, name: agent.entry.name, teamID: agent.entry.teamID,
                    teamLeaderID: agent.entry.teamLeaderID, department: agent.entry.department, site: agent.entry.site,
                    tier: tier, average: policy.rounded(agent.statistics.mean), count: agent.statistics.count,
                    standardError: agent.statistics.standardError, borderline: policy.isBorderline(agent.statistics),
                    problemSummaryDue: tier == .coaching ? due : nil, previousTier: previous[agent.entry.agentID])
            }
    }
}

/// The weekly watch list (seed 003): agents whose average last week was below the coaching threshold.
public enum WatchList {
    public struct CriterionStanding: Sendable, Hashable {
        public var criterionID: String
        public var name: String
        public var average: Double
        public var count: Int

        public init(criterionID: String, name: String, average: Double, count: Int) {
            self.criterionID = criterionID
            self.name = name
            self.average = average
            self.count = count
        }
    }

    /// Whether an agent's week puts them on the list (any evaluation at all, average below the threshold).
    public static func isWatched(_ statistics: ScoreStatistics, policy: TierPolicy) -> Bool {
        statistics.count > 0 && policy.rounded(statistics.mean) < policy.coachingThreshold
    }

    /// The weakest criteria of a set of evaluations, weakest first, by average percent of maximum.
    public static func weakestCriteria(_ items: [[ItemScore]], limit: Int = 3) -> [CriterionStanding] {
        var totals: [String: (name: String, sum: Double, count: Int)] = [:]
        for evaluation in items {
            for item in evaluation {
                var entry = totals[item.criterionID] ?? (item.name, 0, 0)
                entry.sum += item.percent
                entry.count += 1
                totals[item.criterionID] = entry
            }
        }
        return totals
            .map { CriterionStanding(criterionID: $0.key, name: $0.value.name, average: $0.value.sum / Double($0.value.count), count: $0.value.count) }
            .sorted { ($0.average, $0.criterionID) < ($1.average, $1.criterionID) }
            .prefix(limit)
            .map { $0 }
    }

    /// On time, late or missing: a summary counts as on time when written by the end of the due date.
    public static func summaryState(submittedOn: LocalDate?, due: LocalDate) -> SummaryState {
        guard let submittedOn else { return .missing }
        return submittedOn <= due ? .onTime : .late
    }

    public enum SummaryState: Sendable, Hashable {
        case missing, onTime, late
    }
}
