/// Where the tiers of a month's enrolment came from.
///
/// Why two: notice is due 14 days before a session, but the tiers exist only once the month
/// before is closed. So the enrolment is placed provisionally from month-to-date tiers, then
/// confirmed by the close, and only the agents whose tier changed move.
public enum EnrolmentBasis: Int, Hashable, Sendable {
    /// Month-to-date tiers of the month before, read from the scoring intake.
    case provisional = 1
    /// The tiers of the closed month before.
    case confirmed = 2
}

/// One agent of the roster as the enrolment needs them (the intake's newest roster entry).
public struct RosterAgent: Hashable, Sendable {
    public enum Status: Hashable, Sendable {
        case onboarding
        case inService
        case left
    }

    public var id: AgentID
    public var team: TeamID
    public var teamLeader: AgentID?
    public var department: String
    public var site: String
    /// The queue the agent serves; nil if the roster names none.
    public var queue: QueueID?
    public var status: Status

    public init(
        id: AgentID, team: TeamID, teamLeader: AgentID?, department: String, site: String, queue: QueueID?, status: Status
    ) {
        self.id = id
        self.team = team
        self.teamLeader = teamLeader
        self.department = department
        self.site = site
        self.queue = queue
        self.status = status
    }
}

/// A tier of the month before, with where the agent stood when it was computed.
public struct TierOfAgent: Hashable, Sendable {
    public var agent: AgentID
    public var tier: AgentTier
    public var team: TeamID
    public var teamLeader: AgentID?
    public var department: String
    public var site: String

    public init(agent: AgentID, tier: AgentTier, team: TeamID, teamLeader: AgentID?, department: String, site: String) {
        self.agent = agent
        self.tier = tier
        self.team = team
        self.teamLeader = teamLeader
        self.department = department
        self.site = site
    }
}

/// A month's enrolment: who takes part, and what one placement run did.
public enum MonthEnrolment {
    /// The agents of the month: everyone on the roster in service or in onboarding, with
    /// their tier; agents tiered but missing from the roster (its events not yet here) with
    /// the team the tiers name.
    ///
    /// Rules: an in-service agent without a tier (hired into service after the tiers were
    /// computed) counts as insufficient data, which binds like the standard tier: the
    /// courses are what a new agent needs most. Leavers take no part. Who leads a team is
    /// whoever the roster names as someone's team leader.
    public static func agents(roster: [RosterAgent], tiers: [TierOfAgent]) -> [Agent] {
        var tierOf: [AgentID: TierOfAgent] = [:]
        for tier in tiers { tierOf[tier.agent] = tier }
        let leaders = Set(roster.compactMap { $0.status == .left ? nil : $0.teamLeader })
        var agents: [AgentID: Agent] = [:]
        for entry in roster where entry.status != .left {
            let standing: AgentStanding = switch entry.status {
            case .onboarding: .onboarding
            case .inService, .left: .inService(tierOf[entry.id]?.tier ?? .insufficientData)
            }
            agents[entry.id] = Agent(
                id: entry.id, team: entry.team, teamLeader: entry.teamLeader, queues: entry.queue.map { [$0] } ?? [],
                standing: standing, department: entry.department, site: entry.site, leadsTeam: leaders.contains(entry.id))
        }
        let onRoster = Set(roster.map(\.id))
        for tier in tiers where !onRoster.contains(tier.agent) {
            agents[tier.agent] = Agent(
                id: tier.agent, team: tier.team, teamLeader: tier.teamLeader, queues: [], standing: .inService(tier.tier),
                department: tier.department, site: tier.site, leadsTeam: leaders.contains(tier.agent))
        }
        return agents.values.sorted { $0.id < $1.id }
    }

    /// The figures of one run, for the summary a training manager reads.
    public struct Summary: Hashable, Sendable {
        /// Demands: agents times the courses that bind them.
        public var bound = 0
        public var placedBound = 0
        public var placedVoluntary = 0
        /// Volunteers without a seat in the session they chose.
        public var waiting = 0
        /// Bound demands without a seat.
        public var unplaced = 0
        public var kept = 0
        public var newlyPlaced = 0
        public var dropped = 0
        /// Agents whose standing differs from the previous run (a new agent counts; a
        /// leaver does not, their seats are dropped).
        public var standingChanges = 0

        public init() {}
    }

    public static func summary(of result: Placement.Result, agents: [Agent], previousStandings: [AgentID: AgentStanding]) -> Summary {
        var summary = Summary()
        for placed in result.placements {
            if placed.required { summary.placedBound += 1 } else { summary.placedVoluntary += 1 }
            if placed.kept { summary.kept += 1 } else { summary.newlyPlaced += 1 }
        }
        for unplaced in result.unplaced {
            if unplaced.required { summary.unplaced += 1 } else { summary.waiting += 1 }
        }
        summary.bound = summary.placedBound + summary.unplaced
        summary.dropped = result.dropped.count
        if !previousStandings.isEmpty {
            summary.standingChanges = agents.filter { previousStandings[$0.id] != $0.standing }.count
        }
        return summary
    }
}
