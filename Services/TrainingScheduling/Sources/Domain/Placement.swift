/// An agent as placement sees them: who they are, whom they report to, what they serve,
/// where they work, and where they stand for enrolment.
public struct Agent: Hashable, Sendable {
    public var id: AgentID
    public var team: TeamID
    /// The agent's own team leader; nil if the roster names none.
    public var teamLeader: AgentID?
    /// The queues the agent serves; an agent may serve several.
    public var queues: [QueueID]
    public var standing: AgentStanding
    /// The roster's department and site: a course's audience may name them.
    public var department: String
    public var site: String
    /// Whether someone on the roster reports to this person: courses for managers are theirs.
    public var leadsTeam: Bool

    public init(
        id: AgentID, team: TeamID, teamLeader: AgentID?, queues: [QueueID], standing: AgentStanding,
        department: String = "", site: String = "", leadsTeam: Bool = false
    ) {
        self.id = id
        self.team = team
        self.teamLeader = teamLeader
        self.queues = queues
        self.standing = standing
        self.department = department
        self.site = site
        self.leadsTeam = leadsTeam
    }

    public var isOnboarding: Bool { standing == .onboarding }
}

/// A course of the monthly plan.
public struct Course: Hashable, Sendable {
    public var id: CourseID
    public var category: CourseCategory
    public var kind: CourseKind
    /// Who the course is for; the default is everyone.
    public var audience: CourseAudience

    public init(id: CourseID, category: CourseCategory, kind: CourseKind, audience: CourseAudience = CourseAudience()) {
        self.id = id
        self.category = category
        self.kind = kind
        self.audience = audience
    }

    public func binding(for standing: AgentStanding) -> CourseBinding {
        CourseBinding.of(category: category, kind: kind, for: standing)
    }

    /// The binding for one agent: not applicable outside the course's audience (another
    /// department or site, or a managers' course for someone who leads no team), else as the
    /// agent's standing decides.
    public func binding(for agent: Agent) -> CourseBinding {
        guard audience.includes(agent) else { return .notApplicable }
        return binding(for: agent.standing)
    }
}

extension CourseAudience {
    /// Empty lists mean everyone; a managers' course is only for those who lead a team.
    public func includes(_ agent: Agent) -> Bool {
        (departments.isEmpty || departments.contains(agent.department))
            && (sites.isEmpty || sites.contains(agent.site))
            && (standings.isEmpty || standings.contains(agent.standing))
            && (!forManagers || agent.leadsTeam)
    }
}

/// One delivery of a course.
public struct TrainingSession: Hashable, Sendable {
    public var id: SessionID
    public var course: CourseID
    public var range: MinuteRange
    /// Seats; 0 is allowed (a session whose room fell through keeps its id).
    public var capacity: Int
    /// People present in another role (trainer, assistant, a team leader who co-delivers).
    /// If one of them is an agent's own team leader, the agent avoids the session like any other.
    public var staff: [AgentID]

    public init(id: SessionID, course: CourseID, range: MinuteRange, capacity: Int, staff: [AgentID] = []) {
        self.id = id
        self.course = course
        self.range = range
        self.capacity = capacity
        self.staff = staff
    }
}

/// Placement of agents into sessions so that training never costs the floor its service
/// level: every bound agent gets one session of each course that binds them, with a seat,
/// within their shifts, without two of their sessions overlapping, and without breaking
/// any queue's or team's coverage; preferably not beside their own team leader.
///
/// Why greedy and deterministic: a training manager must be able to re-run the plan after
/// a change and see only the consequences of that change. Inputs are sorted by id, demands
/// are served mandatory first, and each takes the earliest session that works, so the same
/// input gives the same plan whatever order the caller's collections had.
public enum Placement {
    /// The center's choices for placement.
    public struct Policy: Hashable, Sendable {
        /// Whether a session may lie (partly) outside an agent's shifts. Off-shift time costs
        /// the floor nothing; it is the center's call whether to ask it of agents.
        public var allowsOffShiftTraining: Bool
        /// Without a forecast, the share of a team that may be in training at once.
        public var maximumTeamShareOffFloor: Double

        public init(allowsOffShiftTraining: Bool = false, maximumTeamShareOffFloor: Double = 0.2) {
            self.allowsOffShiftTraining = allowsOffShiftTraining
            self.maximumTeamShareOffFloor = maximumTeamShareOffFloor
        }
    }

    /// An agent in a session.
    public struct Seat: Hashable, Comparable, Sendable {
        public var agent: AgentID
        public var session: SessionID

        public init(agent: AgentID, session: SessionID) {
            self.agent = agent
            self.session = session
        }

        public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.agent, lhs.session) < (rhs.agent, rhs.session) }
    }

    /// An agent's wish to attend a course that is voluntary for them, in one session of it
    /// if they chose one (a sign-up), or in any.
    public struct Volunteer: Hashable, Sendable {
        public var agent: AgentID
        public var course: CourseID
        public var session: SessionID?

        public init(agent: AgentID, course: CourseID, session: SessionID? = nil) {
            self.agent = agent
            self.course = course
            self.session = session
        }
    }

    /// An agent and a course: one demand.
    private struct Enrolled: Hashable {
        let agent: AgentID
        let course: CourseID
    }

    /// Everything one placement run needs.
    public struct Input: Sendable {
        public var agents: [Agent]
        public var courses: [Course]
        public var sessions: [TrainingSession]
        /// The workforce-management export.
        public var shifts: [Shift]
        public var forecasts: [QueueForecast]
        /// The seats of the last run: kept wherever they are still valid.
        public var previous: [Seat]
        /// Voluntary enrolments, placed after every bound one, first come first served: in the
        /// order given (a waiting list is this order). A volunteer for a course that binds the
        /// agent anyway, or that does not apply to them, adds nothing; a second wish for the
        /// same course is ignored.
        public var volunteers: [Volunteer]
        public var policy: Policy
        /// New seats only in sessions starting at or after this minute (now: nobody is sent
        /// to a session that has begun). Kept seats are not affected. Nil: any session.
        public var notBefore: Int?
        /// Seats of sessions whose attendance is recorded (attended or excused): history,
        /// kept as they are without any check, and the course counts as done.
        public var fixed: [Seat]
        /// Seats missed without excuse: the agent is placed again in a session of the course
        /// that starts after the missed one ended.
        public var missed: [Seat]

        public init(
            agents: [Agent], courses: [Course], sessions: [TrainingSession], shifts: [Shift], forecasts: [QueueForecast],
            previous: [Seat] = [], volunteers: [Volunteer] = [], policy: Policy = Policy()
        ) {
            self.agents = agents
            self.courses = courses
            self.sessions = sessions
            self.shifts = shifts
            self.forecasts = forecasts
            self.previous = previous
            self.volunteers = volunteers
            self.policy = policy
            self.notBefore = nil
            self.fixed = []
            self.missed = []
        }
    }

    /// An agent placed in a session of a course.
    public struct Placed: Hashable, Sendable {
        public var agent: AgentID
        public var course: CourseID
        public var session: SessionID
        /// The agent's own team leader is in the same session (as participant or staff):
        /// only when no other session worked. The memo and the team leader should know.
        public var withOwnTeamLeader: Bool
        /// Carried over from the previous run.
        public var kept: Bool
        /// The course binds the agent (else they volunteered).
        public var required: Bool

        public var seat: Seat { Seat(agent: agent, session: session) }
    }

    /// Why an agent could not be placed in any session of a course. When sessions failed
    /// for different reasons, the reason is that of the session that came closest (checks
    /// run in the order shifts, other training, seat, coverage), because that is the
    /// constraint whose relaxation would place the agent.
    public enum Reason: Hashable, Sendable {
        /// The course has no session at all.
        case noSessionScheduled
        /// No session lies within the agent's shifts.
        case noSessionWithinShifts
        /// Every session within the shifts overlaps the agent's other training.
        case clashesWithOtherTraining
        /// Every remaining session is full.
        case noSeat
        /// A session had a seat, but taking the agent off the floor would break an interval.
        case coverage
        /// Every session of the course has started (or, after a missed one, none comes later).
        case noLaterSession
    }

    public struct Unplaced: Hashable, Sendable {
        public var agent: AgentID
        public var course: CourseID
        public var reason: Reason
        /// The course binds the agent; false for a volunteer still waiting for a seat.
        public var required: Bool
    }

    /// Why a previous seat was not kept. Its agent and course are placed again if possible.
    public enum DropReason: Hashable, Sendable {
        case unknownAgent
        case unknownSession
        /// The course no longer binds the agent and they did not volunteer (e.g. a new tier).
        case notEnrolled
        /// The agent already has a kept seat in another session of the same course.
        case duplicate
        case outsideShifts
        case clashesWithOtherTraining
        case noSeat
        case coverage
    }

    public struct Dropped: Hashable, Sendable {
        public var seat: Seat
        public var reason: DropReason
    }

    /// The plan: seats, who could not be placed and why, which previous seats were given
    /// up, and the floor after training for what-if questions.
    public struct Result: Sendable {
        /// Sorted by agent, then course.
        public var placements: [Placed]
        /// Sorted by agent, then course.
        public var unplaced: [Unplaced]
        /// Sorted by agent, then session.
        public var dropped: [Dropped]
        /// The floor with every placement taken.
        public var coverage: FloorCoverage
        let sessions: [SessionID: TrainingSession]

        /// The what-if: the service level each interval would keep if `candidates` (not yet
        /// in it) joined the session on top of this plan.
        public func outlook(session: SessionID, adding candidates: [AgentID]) throws(SchedulingError) -> [IntervalOutlook] {
            guard let found = sessions[session] else { throw .unknownSession(session) }
            return coverage.outlook(taking: candidates, during: found.range)
        }
    }

    /// The outcome of trying one agent in one session: the first check that failed, in the
    /// order they run (so a later case means the session came closer).
    private enum Check: Int, Comparable {
        case outsideShifts = 0
        case clashesWithOtherTraining = 1
        case noSeat = 2
        case coverage = 3
        case fits = 4

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A session while the plan fills it.
    private struct SessionState {
        let session: TrainingSession
        var occupied = 0
        /// Staff and placed agents: to see whether an agent's team leader is there.
        var present: Set<AgentID>
        /// For each team leader, how many of their agents are placed here.
        var membersOfLeader: [AgentID: Int] = [:]

        init(_ session: TrainingSession) {
            self.session = session
            self.present = Set(session.staff)
        }
    }

    /// Places every bound agent (then every volunteer) it can. Throws only for malformed
    /// input; agents that cannot be placed are in `Result.unplaced`, never an error.
    public static func place(_ input: Input) throws(SchedulingError) -> Result {
        var coverage = try FloorCoverage(
            agents: input.agents, shifts: input.shifts, forecasts: input.forecasts,
            maximumTeamShareOffFloor: input.policy.maximumTeamShareOffFloor)
        // Same order as FloorCoverage's indices: sorted by id, duplicates already refused.
        let agents = input.agents.sorted { $0.id < $1.id }

        var courses: [CourseID: Course] = [:]
        for course in input.courses {
            if courses.updateValue(course, forKey: course.id) != nil { throw .duplicateCourse(course.id) }
        }
        let sortedSessions = input.sessions.sorted { ($0.range.start, $0.id) < ($1.range.start, $1.id) }
        var sessionIndex: [SessionID: Int] = [:]
        var sessionsOfCourse: [CourseID: [Int]] = [:]
        var states: [SessionState] = []
        states.reserveCapacity(sortedSessions.count)
        for (s, session) in sortedSessions.enumerated() {
            guard session.range.start >= 0, session.range.end > session.range.start, session.capacity >= 0 else {
                throw .invalidSession(session.id)
            }
            guard courses[session.course] != nil else { throw .unknownCourse(session: session.id, course: session.course) }
            if sessionIndex.updateValue(s, forKey: session.id) != nil { throw .duplicateSession(session.id) }
            sessionsOfCourse[session.course, default: []].append(s)
            states.append(SessionState(session))
        }
        let sortedCourses = courses.values.sorted { $0.id < $1.id }

        // Demands: bound first, mandatory before elective, then by course and agent.
        struct Demand { let rank: CourseCategory; let course: CourseID; let agent: Int; var session: Int? = nil }
        var bound: [Demand] = []
        var enrolled = Set<Enrolled>()
        for (i, agent) in agents.enumerated() {
            for course in sortedCourses where course.binding(for: agent) == .binds {
                bound.append(Demand(
                    rank: CourseBinding.effectiveCategory(course.category, kind: course.kind), course: course.id, agent: i))
                enrolled.insert(Enrolled(agent: agent.id, course: course.id))
            }
        }
        bound.sort { ($0.rank, $0.course, $0.agent) < ($1.rank, $1.course, $1.agent) }
        var voluntary: [Demand] = []
        for volunteer in input.volunteers {
            guard let i = coverage.agentIndex[volunteer.agent], let course = courses[volunteer.course],
                  course.binding(for: agents[i]) == .voluntary,
                  !enrolled.contains(Enrolled(agent: volunteer.agent, course: course.id)) else { continue }
            var session: Int?
            if let chosen = volunteer.session {
                guard let s = sessionIndex[chosen], states[s].session.course == course.id else { continue }
                session = s
            }
            voluntary.append(Demand(rank: course.category, course: course.id, agent: i, session: session))
            enrolled.insert(Enrolled(agent: volunteer.agent, course: course.id))
        }

        // Per agent: the spans of their placed sessions and the courses they are placed in.
        var busy = [[MinuteRange]](repeating: [], count: agents.count)
        var placedCourse = [Set<CourseID>](repeating: [], count: agents.count)
        var placements: [Placed] = []
        placements.reserveCapacity(bound.count)

        func check(_ i: Int, _ s: Int) -> Check {
            let range = states[s].session.range
            if !input.policy.allowsOffShiftTraining && !coverage.isOnShift(agent: i, throughout: range) { return .outsideShifts }
            if busy[i].contains(where: { $0.overlaps(range) }) { return .clashesWithOtherTraining }
            if states[s].occupied >= states[s].session.capacity { return .noSeat }
            if !coverage.canTake(agent: i, during: range) { return .coverage }
            return .fits
        }

        func meetsOwnTeamLeader(_ i: Int, _ s: Int) -> Bool {
            let agent = agents[i]
            if let leader = agent.teamLeader, states[s].present.contains(leader) { return true }
            return states[s].membersOfLeader[agent.id, default: 0] > 0
        }

        func seat(_ i: Int, _ s: Int, kept: Bool) {
            let agent = agents[i]
            let session = states[s].session
            states[s].occupied += 1
            states[s].present.insert(agent.id)
            if let leader = agent.teamLeader { states[s].membersOfLeader[leader, default: 0] += 1 }
            busy[i].append(session.range)
            placedCourse[i].insert(session.course)
            coverage.adjust(agent: i, during: session.range, by: 1)
            let required = courses[session.course]?.binding(for: agent) == .binds
            placements.append(Placed(
                agent: agent.id, course: session.course, session: session.id, withOwnTeamLeader: false, kept: kept, required: required))
        }

        // 0. History: attended and excused seats stay as they are.
        let fixed = Set(input.fixed)
        for old in fixed.sorted() {
            guard let i = coverage.agentIndex[old.agent], let s = sessionIndex[old.session],
                  !placedCourse[i].contains(states[s].session.course) else { continue }
            seat(i, s, kept: true)
        }
        // A missed seat's course must be taken again, after the missed session.
        var after: [Enrolled: Int] = [:]
        for missed in input.missed {
            guard let s = sessionIndex[missed.session] else { continue }
            let key = Enrolled(agent: missed.agent, course: states[s].session.course)
            after[key] = max(after[key] ?? Int.min, states[s].session.range.end)
        }
        let missedSeats = Set(input.missed)

        // 1. Keep what is still valid, earliest sessions first.
        var dropped: [Dropped] = []
        let previous = Set(input.previous).subtracting(fixed).subtracting(missedSeats).sorted { lhs, rhs in
            let l = sessionIndex[lhs.session] ?? Int.max
            let r = sessionIndex[rhs.session] ?? Int.max
            return (l, lhs.agent) < (r, rhs.agent)
        }
        for old in previous {
            guard let i = coverage.agentIndex[old.agent] else {
                dropped.append(Dropped(seat: old, reason: .unknownAgent))
                continue
            }
            guard let s = sessionIndex[old.session] else {
                dropped.append(Dropped(seat: old, reason: .unknownSession))
                continue
            }
            let course = states[s].session.course
            guard enrolled.contains(Enrolled(agent: old.agent, course: course)) else {
                dropped.append(Dropped(seat: old, reason: .notEnrolled))
                continue
            }
            guard !placedCourse[i].contains(course) else {
                dropped.append(Dropped(seat: old, reason: .duplicate))
                continue
            }
            switch check(i, s) {
            case .fits: seat(i, s, kept: true)
            case .outsideShifts: dropped.append(Dropped(seat: old, reason: .outsideShifts))
            case .clashesWithOtherTraining: dropped.append(Dropped(seat: old, reason: .clashesWithOtherTraining))
            case .noSeat: dropped.append(Dropped(seat: old, reason: .noSeat))
            case .coverage: dropped.append(Dropped(seat: old, reason: .coverage))
            }
        }

        // 2. Place the rest: the earliest session that works, away from the agent's own team
        //    leader if any such session works.
        var unplaced: [Unplaced] = []
        for demand in bound + voluntary where !placedCourse[demand.agent].contains(demand.course) {
            let all = demand.session.map { [$0] } ?? sessionsOfCourse[demand.course] ?? []
            let earliest = max(input.notBefore ?? Int.min, after[Enrolled(agent: agents[demand.agent].id, course: demand.course)] ?? Int.min)
            let candidates = all.filter { states[$0].session.range.start >= earliest }
            var closest: Check?
            var withLeader: Int?
            var chosen: Int?
            for s in candidates {
                let outcome = check(demand.agent, s)
                guard outcome == .fits else {
                    closest = max(closest ?? outcome, outcome)
                    continue
                }
                if meetsOwnTeamLeader(demand.agent, s) {
                    if withLeader == nil { withLeader = s }
                    continue
                }
                chosen = s
                break
            }
            if let s = chosen ?? withLeader {
                seat(demand.agent, s, kept: false)
                continue
            }
            let reason: Reason = switch closest {
            case nil: all.isEmpty ? .noSessionScheduled : .noLaterSession
            case .outsideShifts?: .noSessionWithinShifts
            case .clashesWithOtherTraining?: .clashesWithOtherTraining
            case .noSeat?: .noSeat
            case .coverage?, .fits?: .coverage
            }
            let required = courses[demand.course]?.binding(for: agents[demand.agent]) == .binds
            unplaced.append(Unplaced(agent: agents[demand.agent].id, course: demand.course, reason: reason, required: required))
        }

        // 3. Say who ended up beside their own team leader (later placements may have joined them).
        for p in placements.indices {
            guard let i = coverage.agentIndex[placements[p].agent], let leader = agents[i].teamLeader,
                  let s = sessionIndex[placements[p].session] else { continue }
            placements[p].withOwnTeamLeader = states[s].present.contains(leader)
        }

        placements.sort { ($0.agent, $0.course) < ($1.agent, $1.course) }
        unplaced.sort { ($0.agent, $0.course) < ($1.agent, $1.course) }
        dropped.sort { $0.seat < $1.seat }
        var sessions: [SessionID: TrainingSession] = [:]
        for state in states { sessions[state.session.id] = state.session }
        return Result(placements: placements, unplaced: unplaced, dropped: dropped, coverage: coverage, sessions: sessions)
    }
}
