import CalendarDates
import Foundation
import SQLiteStorage

/// The last placement run of a month.
struct EnrolmentRun: Sendable {
    var month: String
    var basis: EnrolmentBasis
    var tiersFrom: String
    var builtAt: Int64
    var summary: MonthEnrolment.Summary
}

/// A seat as stored, with its session's current time and place.
struct StoredEnrolment: Sendable {
    var agent: AgentID
    var team: TeamID
    var course: CourseID
    var session: SessionID
    var time: MinuteRange
    var trainer: TrainerID
    var room: RoomID?
    var required: Bool
    var withOwnTeamLeader: Bool
    var placedAt: Int64
    var shortNotice = false
    var goals = ""
    var goalsAgreedBy = ""
    var attendance: AttendanceMark?
}

struct StoredUnplaced: Sendable {
    var agent: AgentID
    var team: TeamID
    var course: CourseID
    var reason: Placement.Reason
}

struct StoredWaiting: Sendable {
    var agent: AgentID
    var session: SessionID
    var course: CourseID
    var position: Int
    var signedUpAt: Int64
}

/// A session of a published plan, with its state after publication.
struct PublishedSession: Sendable {
    var session: DraftSession
    var cancelledAt: Int64?
    var cancelReason: String
}

/// The agents of a run, and where their tiers came from.
struct EnrolmentStandings: Sendable {
    var agents: [Agent]
    var basis: EnrolmentBasis
    var tiersFrom: String
}

/// Enrolment storage: each month's agents (as the last tiers placed them), seats, unplaced
/// demands, sign-ups and the run summary, and the one function that places a month again
/// from everything stored.
///
/// Why one `place` for every change: a new tier, a cancelled or moved session, a sign-up
/// and a withdrawal all ask the same question, "what is the enrolment now?", and a
/// deterministic placement that keeps every still-valid seat answers it with exactly the
/// consequences of the change.
struct EnrolmentRepository: Sendable {
    /// Part of migration 4.
    static let schema = """
        ALTER TABLE published_sessions ADD COLUMN cancelled_ms INTEGER;
        ALTER TABLE published_sessions ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
        CREATE TABLE enrolment_runs (
            month TEXT PRIMARY KEY,
            basis INTEGER NOT NULL,        -- 1 provisional, 2 confirmed
            tiers_from TEXT NOT NULL,
            built_ms INTEGER NOT NULL,
            bound INTEGER NOT NULL,
            placed_bound INTEGER NOT NULL,
            placed_voluntary INTEGER NOT NULL,
            waiting INTEGER NOT NULL,
            unplaced INTEGER NOT NULL,
            kept INTEGER NOT NULL,
            newly_placed INTEGER NOT NULL,
            dropped INTEGER NOT NULL,
            standing_changes INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE enrolment_agents (
            month TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            team_id TEXT NOT NULL,
            team_leader_id TEXT NOT NULL,  -- '' if none
            department TEXT NOT NULL,
            site TEXT NOT NULL,
            queue_id TEXT NOT NULL,        -- '' if none
            standing INTEGER NOT NULL,     -- 0 onboarding, else the tier: 1 advanced, 2 standard, 3 coaching, 4 insufficient data
            leads_team INTEGER NOT NULL,
            PRIMARY KEY (month, agent_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX enrolment_agents_by_team ON enrolment_agents (month, team_id, agent_id);
        CREATE TABLE enrolments (
            month TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            required INTEGER NOT NULL,
            with_own_team_leader INTEGER NOT NULL,
            placed_ms INTEGER NOT NULL,
            PRIMARY KEY (month, agent_id, course_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX enrolments_by_session ON enrolments (month, session_id, agent_id);
        CREATE TABLE unplaced_demands (
            month TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            reason INTEGER NOT NULL,       -- UnplacedReason of the contract
            PRIMARY KEY (month, agent_id, course_id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE sign_ups (
            month TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,     -- first come, first served
            signed_ms INTEGER NOT NULL,
            PRIMARY KEY (month, agent_id, session_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX sign_ups_in_order ON sign_ups (month, sequence);
        """

    let workforce = WorkforceRepository()
    let catalogue = SchedulingRepository()

    // MARK: Tiers and roster (the intake's replica)

    func roster(_ db: SQLiteConnection) throws -> [RosterAgent] {
        try db.query("SELECT agent_id, team_id, team_leader_id, department, site, queue, status FROM replica_agents", []) { row in
            let status: RosterAgent.Status = switch row.int(at: 6) {
            case 1: .onboarding
            case 2: .inService
            default: .left
            }
            let leader = row.text(at: 2), queue = row.text(at: 5)
            return RosterAgent(
                id: AgentID(row.text(at: 0)), team: TeamID(row.text(at: 1)), teamLeader: leader.isEmpty ? nil : AgentID(leader),
                department: row.text(at: 3), site: row.text(at: 4), queue: queue.isEmpty ? nil : QueueID(queue), status: status)
        }
    }

    /// Whether the intake's MonthClosed of `month` arrived.
    func isClosed(month: String, _ db: SQLiteConnection) throws -> Bool {
        try !db.query("SELECT 1 FROM replica_month_closes WHERE month = ?", [.text(month)], row: { $0.int(at: 0) }).isEmpty
    }

    /// The standings from the closed month before `month`, if its MonthClosed arrived.
    func confirmedStandings(for month: PlanningMonth, _ db: SQLiteConnection) throws -> EnrolmentStandings? {
        let before = month.month.previous.description
        guard let revision = try db.query("SELECT revision FROM replica_month_closes WHERE month = ?", [.text(before)], row: { $0.int(at: 0) }).first
        else { return nil }
        let tiers = try db.query(
            "SELECT agent_id, tier, team_id, team_leader_id, department, site FROM replica_tiers WHERE month = ?", [.text(before)]
        ) { row -> TierOfAgent? in
            guard let tier = AgentTier(rawValue: row.int(at: 1)) else { return nil }
            let leader = row.text(at: 3)
            return TierOfAgent(
                agent: AgentID(row.text(at: 0)), tier: tier, team: TeamID(row.text(at: 2)), teamLeader: leader.isEmpty ? nil : AgentID(leader),
                department: row.text(at: 4), site: row.text(at: 5))
        }.compactMap { $0 }
        return EnrolmentStandings(
            agents: MonthEnrolment.agents(roster: try roster(db), tiers: tiers), basis: .confirmed,
            tiersFrom: "\(before) closed, revision \(revision)")
    }

    // MARK: Runs

    func run(month: String, _ db: SQLiteConnection) throws -> EnrolmentRun? {
        try db.query("""
            SELECT basis, tiers_from, built_ms, bound, placed_bound, placed_voluntary, waiting, unplaced, kept, newly_placed, dropped,
                standing_changes FROM enrolment_runs WHERE month = ?
            """, [.text(month)]
        ) { row in
            var summary = MonthEnrolment.Summary()
            summary.bound = row.int(at: 3)
            summary.placedBound = row.int(at: 4)
            summary.placedVoluntary = row.int(at: 5)
            summary.waiting = row.int(at: 6)
            summary.unplaced = row.int(at: 7)
            summary.kept = row.int(at: 8)
            summary.newlyPlaced = row.int(at: 9)
            summary.dropped = row.int(at: 10)
            summary.standingChanges = row.int(at: 11)
            return EnrolmentRun(
                month: month, basis: EnrolmentBasis(rawValue: row.int(at: 0)) ?? .provisional, tiersFrom: row.text(at: 1),
                builtAt: row.int64(at: 2), summary: summary)
        }.first
    }

    func agents(month: String, _ db: SQLiteConnection) throws -> [Agent] {
        try db.query("""
            SELECT agent_id, team_id, team_leader_id, department, site, queue_id, standing, leads_team
            FROM enrolment_agents WHERE month = ? ORDER BY agent_id
            """, [.text(month)]
        ) { row in
            let leader = row.text(at: 2), queue = row.text(at: 5)
            return Agent(
                id: AgentID(row.text(at: 0)), team: TeamID(row.text(at: 1)), teamLeader: leader.isEmpty ? nil : AgentID(leader),
                queues: queue.isEmpty ? [] : [QueueID(queue)], standing: Self.standing(row.int(at: 6)),
                department: row.text(at: 3), site: row.text(at: 4), leadsTeam: row.int(at: 7) != 0)
        }
    }

    func agent(month: String, _ id: AgentID, _ db: SQLiteConnection) throws -> Agent? {
        try agents(month: month, db).first { $0.id == id }
    }

    private static func standing(_ code: Int) -> AgentStanding {
        code == 0 ? .onboarding : .inService(AgentTier(rawValue: code) ?? .insufficientData)
    }

    private static func code(_ standing: AgentStanding) -> Int {
        switch standing {
        case .onboarding: 0
        case .inService(let tier): tier.rawValue
        }
    }

    // MARK: Sessions after publication

    func publishedSessions(month: String, _ db: SQLiteConnection) throws -> [PublishedSession] {
        try db.query("""
            SELECT session_id, course_id, trainer_id, room_id, start_minute, end_minute, capacity, cancelled_ms, cancel_reason, link
            FROM published_sessions WHERE month = ? ORDER BY start_minute, session_id
            """, [.text(month)]
        ) { row in
            PublishedSession(
                session: DraftSession(
                    id: SessionID(row.text(at: 0)), course: CourseID(row.text(at: 1)), trainer: TrainerID(row.text(at: 2)),
                    room: row.isNull(at: 3) ? nil : RoomID(row.text(at: 3)), time: MinuteRange(start: row.int(at: 4), end: row.int(at: 5)),
                    capacity: row.int(at: 6), link: row.text(at: 9)),
                cancelledAt: row.isNull(at: 7) ? nil : row.int64(at: 7), cancelReason: row.text(at: 8))
        }
    }

    func cancel(month: String, session: SessionID, reason: String, now: Int64, _ db: SQLiteConnection) throws {
        try db.run("UPDATE published_sessions SET cancelled_ms = ?, cancel_reason = ? WHERE month = ? AND session_id = ?",
                   [.integer(now), .text(reason), .text(month), .text(session.rawValue)])
        try db.run("DELETE FROM sign_ups WHERE month = ? AND session_id = ?", [.text(month), .text(session.rawValue)])
    }

    func move(month: String, session: SessionID, to time: MinuteRange, _ db: SQLiteConnection) throws {
        try db.run("UPDATE published_sessions SET start_minute = ?, end_minute = ? WHERE month = ? AND session_id = ?",
                   [.integer(Int64(time.start)), .integer(Int64(time.end)), .text(month), .text(session.rawValue)])
    }

    // MARK: Sign-ups

    func signUp(month: String, agent: AgentID, session: SessionID, course: CourseID, now: Int64, _ db: SQLiteConnection) throws {
        let sequence = try db.query("SELECT COALESCE(MAX(sequence), 0) + 1 FROM sign_ups", [], row: { $0.int64(at: 0) }).first ?? 1
        try db.run("INSERT INTO sign_ups (month, agent_id, session_id, course_id, sequence, signed_ms) VALUES (?, ?, ?, ?, ?, ?)",
                   [.text(month), .text(agent.rawValue), .text(session.rawValue), .text(course.rawValue), .integer(sequence), .integer(now)])
    }

    func hasSignUp(month: String, agent: AgentID, session: SessionID, _ db: SQLiteConnection) throws -> Bool {
        try !db.query("SELECT 1 FROM sign_ups WHERE month = ? AND agent_id = ? AND session_id = ?",
                      [.text(month), .text(agent.rawValue), .text(session.rawValue)], row: { $0.int(at: 0) }).isEmpty
    }

    func withdraw(month: String, agent: AgentID, session: SessionID, _ db: SQLiteConnection) throws {
        try db.run("DELETE FROM sign_ups WHERE month = ? AND agent_id = ? AND session_id = ?",
                   [.text(month), .text(agent.rawValue), .text(session.rawValue)])
    }

    // MARK: Placement

    /// What happened to sessions just before a placement run, for the notices.
    struct SessionChanges: Sendable {
        /// Moved sessions and their previous time.
        var moved: [SessionID: MinuteRange] = [:]
        /// Cancelled sessions and the reason.
        var cancelled: [SessionID: String] = [:]
    }

    /// A stored seat as the run before left it.
    private struct PreviousSeat {
        let course: CourseID
        let placedAt: Int64
        let shortNotice: Bool
    }

    /// Places the month again from everything stored: the published sessions that are not
    /// cancelled, the catalogue, shifts, forecasts, the previous seats, attendance so far and
    /// the sign-ups in order; then writes the seats and the notices every difference needs.
    /// `standings` replaces the month's agents (new tiers); nil keeps them.
    /// Returns the run and the placement's result (for what-if questions).
    @discardableResult
    func place(
        month: PlanningMonth, standings: EnrolmentStandings?, settings: SchedulingSettings, now: Int64,
        changes: SessionChanges = SessionChanges(), _ db: SQLiteConnection
    ) throws -> (run: EnrolmentRun, result: Placement.Result) {
        let key = month.description
        let previousRun = try run(month: key, db)
        let previousAgents = try agents(month: key, db)
        guard let basis = standings?.basis ?? previousRun?.basis, let tiersFrom = standings?.tiersFrom ?? previousRun?.tiersFrom else {
            throw SchedulingCallError.precondition("month", "no enrolment was built for \(month); build it (BuildEnrolment) first")
        }
        let agents = standings?.agents ?? previousAgents
        // The seats before: kept where still valid, and compared with the result for the notices.
        var previous: [Placement.Seat: PreviousSeat] = [:]
        for (seat, course, at, short) in try db.query(
            "SELECT agent_id, session_id, course_id, placed_ms, short_notice FROM enrolments WHERE month = ?", [.text(key)], row: {
                (Placement.Seat(agent: AgentID($0.text(at: 0)), session: SessionID($0.text(at: 1))), CourseID($0.text(at: 2)),
                 $0.int64(at: 3), $0.int(at: 4) != 0)
            })
        {
            previous[seat] = PreviousSeat(course: course, placedAt: at, shortNotice: short)
        }
        var input = try placementInput(month: key, agents: agents, policy: settings.placement, db)
        input.previous = Array(previous.keys)
        let nowMinute = settings.localMinutes(unixMilliseconds: now) - month.startMinute
        input.notBefore = nowMinute
        let history = try attendanceSeats(month: key, db)
        input.fixed = history.fixed
        input.missed = history.missed
        let result = try Placement.place(input)

        var previousStandings: [AgentID: AgentStanding] = [:]
        for agent in previousAgents { previousStandings[agent.id] = agent.standing }
        let summary = MonthEnrolment.summary(of: result, agents: agents, previousStandings: standings == nil ? [:] : previousStandings)

        if let standings {
            try db.run("DELETE FROM enrolment_agents WHERE month = ?", [.text(key)])
            let insert = try db.statement("""
                INSERT INTO enrolment_agents (month, agent_id, team_id, team_leader_id, department, site, queue_id, standing, leads_team)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for agent in standings.agents {
                try insert.run([
                    .text(key), .text(agent.id.rawValue), .text(agent.team.rawValue), .text(agent.teamLeader?.rawValue ?? ""),
                    .text(agent.department), .text(agent.site), .text(agent.queues.first?.rawValue ?? ""),
                    .integer(Int64(Self.code(agent.standing))), .integer(agent.leadsTeam ? 1 : 0),
                ])
            }
        }

        // The sessions as they are now (cancelled ones included), for the notices.
        var sessions: [SessionID: DraftSession] = [:]
        for published in try publishedSessions(month: key, db) { sessions[published.session.id] = published.session }

        try db.run("DELETE FROM enrolments WHERE month = ?", [.text(key)])
        let insertSeat = try db.statement("""
            INSERT INTO enrolments (month, agent_id, course_id, session_id, required, with_own_team_leader, placed_ms, short_notice)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var noticeChanges: [NoticePlan.Change] = []
        var seatOfCourse: [Enrolled: SessionID] = [:]
        for placed in result.placements { seatOfCourse[Enrolled(agent: placed.agent, course: placed.course)] = placed.session }
        for placed in result.placements {
            let before = placed.kept ? previous[placed.seat] : nil
            let range = sessions[placed.session]?.time ?? MinuteRange(start: 0, end: 0)
            var short = before?.shortNotice ?? NoticePlan.isShortNotice(sessionStart: range.start, placedAt: nowMinute, policy: settings.notice)
            if before != nil {
                if let from = changes.moved[placed.session] {
                    noticeChanges.append(.moved(agent: placed.agent, session: placed.session, from: from, to: range))
                    short = short || NoticePlan.isShortNotice(sessionStart: range.start, placedAt: nowMinute, policy: settings.notice)
                }
            } else if !history.fixedSet.contains(placed.seat) {
                noticeChanges.append(.placed(agent: placed.agent, session: placed.session, range: range, required: placed.required))
            }
            try insertSeat.run([
                .text(key), .text(placed.agent.rawValue), .text(placed.course.rawValue), .text(placed.session.rawValue),
                .integer(placed.required ? 1 : 0), .integer(placed.withOwnTeamLeader ? 1 : 0), .integer(before?.placedAt ?? now),
                .integer(short ? 1 : 0),
            ])
        }
        let kept = Set(result.placements.map(\.seat))
        for (seat, before) in previous.sorted(by: { $0.key < $1.key })
        where !kept.contains(seat) && !history.fixedSet.contains(seat) && !history.missedSet.contains(seat) {
            let cause: NoticePlan.DropCause
            if let reason = changes.cancelled[seat.session] {
                cause = .sessionCancelled(reason: reason)
            } else if let other = seatOfCourse[Enrolled(agent: seat.agent, course: before.course)] {
                cause = .replacedBy(other)
            } else if result.dropped.contains(where: { $0.seat == seat && ($0.reason == .notEnrolled || $0.reason == .unknownAgent) }) {
                cause = .noLongerEnrolled
            } else {
                cause = .noLongerFits
            }
            noticeChanges.append(.dropped(agent: seat.agent, session: seat.session, cause: cause))
        }
        try writeNotices(noticeChanges, month: month, agents: agents, tiersFrom: tiersFrom, sessions: sessions, settings: settings, now: now, nowMinute: nowMinute, db)

        try db.run("DELETE FROM unplaced_demands WHERE month = ?", [.text(key)])
        let insertUnplaced = try db.statement("INSERT INTO unplaced_demands (month, agent_id, course_id, reason) VALUES (?, ?, ?, ?)")
        for unplaced in result.unplaced where unplaced.required {
            try insertUnplaced.run([.text(key), .text(unplaced.agent.rawValue), .text(unplaced.course.rawValue), .integer(Int64(Self.code(unplaced.reason)))])
        }
        let run = EnrolmentRun(month: key, basis: basis, tiersFrom: tiersFrom, builtAt: now, summary: summary)
        try db.run("""
            INSERT OR REPLACE INTO enrolment_runs (month, basis, tiers_from, built_ms, bound, placed_bound, placed_voluntary, waiting,
                unplaced, kept, newly_placed, dropped, standing_changes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(key), .integer(Int64(basis.rawValue)), .text(tiersFrom), .integer(now), .integer(Int64(summary.bound)),
                .integer(Int64(summary.placedBound)), .integer(Int64(summary.placedVoluntary)), .integer(Int64(summary.waiting)),
                .integer(Int64(summary.unplaced)), .integer(Int64(summary.kept)), .integer(Int64(summary.newlyPlaced)),
                .integer(Int64(summary.dropped)), .integer(Int64(summary.standingChanges)),
            ])
        return (run, result)
    }

    /// An agent and a course.
    private struct Enrolled: Hashable {
        let agent: AgentID
        let course: CourseID
    }

    private func writeNotices(
        _ changes: [NoticePlan.Change], month: PlanningMonth, agents: [Agent], tiersFrom: String, sessions: [SessionID: DraftSession],
        settings: SchedulingSettings, now: Int64, nowMinute: Int, _ db: SQLiteConnection
    ) throws {
        guard !changes.isEmpty else { return }
        var byID: [AgentID: Agent] = [:]
        for agent in agents { byID[agent.id] = agent }
        let items = NoticePlan.notices(for: changes, teamLeader: { byID[$0]?.teamLeader }, now: nowMinute, policy: settings.notice)
        var courses: [CourseID: CatalogueCourse] = [:]
        for course in try catalogue.courses(db) { courses[course.id] = course }
        var trainers: [TrainerID: Trainer] = [:]
        for trainer in try catalogue.trainers(db) { trainers[trainer.id] = trainer }
        var rooms: [RoomID: Room] = [:]
        for room in try catalogue.rooms(db) { rooms[room.id] = room }
        let context = NoticeRepository.Context(
            month: month, settings: settings, now: now,
            tierReason: { agent in
                switch byID[agent]?.standing {
                case .onboarding?: "the onboarding curriculum"
                case .inService(let tier)?: "\(Self.tierName(tier)) tier for \(month) (\(tiersFrom))"
                case nil: ""
                }
            },
            team: { byID[$0]?.team.rawValue ?? "" }, sessions: sessions, courses: courses, trainers: trainers, rooms: rooms)
        try NoticeRepository().write(items, context, db)
    }

    static func tierName(_ tier: AgentTier) -> String {
        switch tier {
        case .advanced: "advanced"
        case .standard: "standard"
        case .coaching: "coaching"
        case .insufficientData: "insufficient-data"
        }
    }

    /// Seats of sessions whose attendance is complete: attended or excused ones are history;
    /// unexcused absences are missed (the agent is placed again after them).
    func attendanceSeats(month: String, _ db: SQLiteConnection) throws -> (fixed: [Placement.Seat], missed: [Placement.Seat], fixedSet: Set<Placement.Seat>, missedSet: Set<Placement.Seat>) {
        var fixed: [Placement.Seat] = [], missed: [Placement.Seat] = []
        for (seat, status) in try db.query("""
            SELECT a.agent_id, a.session_id, a.status FROM attendance a
            JOIN completed_sessions c ON c.month = a.month AND c.session_id = a.session_id
            WHERE a.month = ?
            """, [.text(month)], row: { (Placement.Seat(agent: AgentID($0.text(at: 0)), session: SessionID($0.text(at: 1))), $0.int(at: 2)) })
        {
            if status == AttendanceMark.absent.rawValue { missed.append(seat) } else { fixed.append(seat) }
        }
        return (fixed, missed, Set(fixed), Set(missed))
    }

    /// What placement needs for the month, from storage, without the previous seats (the
    /// caller that places again reads them with what it needs of them).
    func placementInput(
        month: String, agents: [Agent], policy: Placement.Policy, _ db: SQLiteConnection
    ) throws -> Placement.Input {
        let sessions = try publishedSessions(month: month, db).filter { $0.cancelledAt == nil }.map(\.session)
        let catalogue = try self.catalogue.courses(db)
        let courses = catalogue.map { Course(id: $0.id, category: $0.category, kind: $0.kind, audience: $0.audience) }
        let known = Set(courses.map(\.id))
        let training = sessions.filter { known.contains($0.course) }.map {
            TrainingSession(id: $0.id, course: $0.course, range: $0.time, capacity: $0.capacity)
        }
        let agentIDs = Set(agents.map(\.id))
        let shifts = try workforce.shifts(month: month, db).filter { agentIDs.contains($0.agent) }
        let forecasts = try workforce.forecasts(month: month, db)
        let volunteers = try db.query(
            "SELECT agent_id, course_id, session_id FROM sign_ups WHERE month = ? ORDER BY sequence", [.text(month)]
        ) { row in
            Placement.Volunteer(agent: AgentID(row.text(at: 0)), course: CourseID(row.text(at: 1)), session: SessionID(row.text(at: 2)))
        }
        return Placement.Input(
            agents: agents, courses: courses, sessions: training, shifts: shifts, forecasts: forecasts, previous: [],
            volunteers: volunteers, policy: policy)
    }

    static func code(_ reason: Placement.Reason) -> Int {
        switch reason {
        case .noSessionScheduled: 1
        case .noSessionWithinShifts: 2
        case .clashesWithOtherTraining: 3
        case .noSeat: 4
        case .coverage: 5
        case .noLaterSession: 6
        }
    }

    static func reason(_ code: Int) -> Placement.Reason {
        switch code {
        case 1: .noSessionScheduled
        case 2: .noSessionWithinShifts
        case 3: .clashesWithOtherTraining
        case 4: .noSeat
        case 6: .noLaterSession
        default: .coverage
        }
    }

    // MARK: Reads

    /// Seats, filtered by agent, team or session (nil: all), by start, agent, session.
    func enrolments(month: String, agent: AgentID? = nil, team: TeamID? = nil, session: SessionID? = nil, _ db: SQLiteConnection) throws -> [StoredEnrolment] {
        var sql = """
            SELECT e.agent_id, a.team_id, e.course_id, e.session_id, s.start_minute, s.end_minute, s.trainer_id, s.room_id,
                e.required, e.with_own_team_leader, e.placed_ms, e.short_notice, g.goals, g.agreed_by, t.status
            FROM enrolments e
            JOIN published_sessions s ON s.month = e.month AND s.session_id = e.session_id
            LEFT JOIN enrolment_agents a ON a.month = e.month AND a.agent_id = e.agent_id
            LEFT JOIN goals g ON g.month = e.month AND g.session_id = e.session_id AND g.agent_id = e.agent_id
            LEFT JOIN attendance t ON t.month = e.month AND t.session_id = e.session_id AND t.agent_id = e.agent_id
            WHERE e.month = ?
            """
        var values: [SQLValue] = [.text(month)]
        if let agent { sql += " AND e.agent_id = ?"; values.append(.text(agent.rawValue)) }
        if let team { sql += " AND a.team_id = ?"; values.append(.text(team.rawValue)) }
        if let session { sql += " AND e.session_id = ?"; values.append(.text(session.rawValue)) }
        sql += " ORDER BY s.start_minute, e.agent_id, e.session_id"
        return try db.query(sql, values) { row in
            StoredEnrolment(
                agent: AgentID(row.text(at: 0)), team: TeamID(row.isNull(at: 1) ? "" : row.text(at: 1)), course: CourseID(row.text(at: 2)),
                session: SessionID(row.text(at: 3)), time: MinuteRange(start: row.int(at: 4), end: row.int(at: 5)),
                trainer: TrainerID(row.text(at: 6)), room: row.isNull(at: 7) ? nil : RoomID(row.text(at: 7)), required: row.int(at: 8) != 0,
                withOwnTeamLeader: row.int(at: 9) != 0, placedAt: row.int64(at: 10), shortNotice: row.int(at: 11) != 0,
                goals: row.isNull(at: 12) ? "" : row.text(at: 12), goalsAgreedBy: row.isNull(at: 13) ? "" : row.text(at: 13),
                attendance: row.isNull(at: 14) ? nil : AttendanceMark(rawValue: row.int(at: 14)))
        }
    }

    func unplaced(month: String, agent: AgentID? = nil, team: TeamID? = nil, _ db: SQLiteConnection) throws -> [StoredUnplaced] {
        var sql = """
            SELECT u.agent_id, a.team_id, u.course_id, u.reason FROM unplaced_demands u
            LEFT JOIN enrolment_agents a ON a.month = u.month AND a.agent_id = u.agent_id
            WHERE u.month = ?
            """
        var values: [SQLValue] = [.text(month)]
        if let agent { sql += " AND u.agent_id = ?"; values.append(.text(agent.rawValue)) }
        if let team { sql += " AND a.team_id = ?"; values.append(.text(team.rawValue)) }
        sql += " ORDER BY u.agent_id, u.course_id"
        return try db.query(sql, values) { row in
            StoredUnplaced(
                agent: AgentID(row.text(at: 0)), team: TeamID(row.isNull(at: 1) ? "" : row.text(at: 1)), course: CourseID(row.text(at: 2)),
                reason: Self.reason(row.int(at: 3)))
        }
    }

    /// Sign-ups without a seat in their session, with their place in its queue; filtered by
    /// agent, team or session (nil: all).
    func waiting(month: String, agent: AgentID? = nil, team: TeamID? = nil, session: SessionID? = nil, _ db: SQLiteConnection) throws -> [StoredWaiting] {
        let all = try db.query("""
            SELECT u.agent_id, u.session_id, u.course_id, u.signed_ms, a.team_id FROM sign_ups u
            LEFT JOIN enrolment_agents a ON a.month = u.month AND a.agent_id = u.agent_id
            WHERE u.month = ? AND NOT EXISTS (
                SELECT 1 FROM enrolments e WHERE e.month = u.month AND e.agent_id = u.agent_id AND e.session_id = u.session_id)
            ORDER BY u.sequence
            """, [.text(month)]
        ) { row in
            (StoredWaiting(
                agent: AgentID(row.text(at: 0)), session: SessionID(row.text(at: 1)), course: CourseID(row.text(at: 2)), position: 0,
                signedUpAt: row.int64(at: 3)), TeamID(row.isNull(at: 4) ? "" : row.text(at: 4)))
        }
        var positions: [SessionID: Int] = [:]
        var found: [StoredWaiting] = []
        for (entry, entryTeam) in all {
            var entry = entry
            positions[entry.session, default: 0] += 1
            entry.position = positions[entry.session, default: 1]
            if let agent, entry.agent != agent { continue }
            if let team, entryTeam != team { continue }
            if let session, entry.session != session { continue }
            found.append(entry)
        }
        return found
    }
}
