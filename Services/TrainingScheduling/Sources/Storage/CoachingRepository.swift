import CalendarDates
import Foundation
import SQLiteStorage
import ServiceKit
import TrainingWire

/// A coaching-tier agent of a training month, as the intake's close named them.
///
/// Why from the close and not the roster: who needs a summary, by when, and which team
/// leader owes it are facts of the closed month (`MonthClosed`), not of today's roster.
struct CoachingTierAgent: Sendable {
    var agent: AgentID
    var team: String
    var teamLeader: String
    /// The problem summary's due date; nil only if the close carried none (it always does for tier 3).
    var due: LocalDate?
    var dueText: String
}

/// A team leader's problem summary as stored.
///
/// Why the first submission's date is stored rather than its state: the due date comes
/// from the close and is compared when read, so a re-close with the same due date changes
/// nothing, and the date was taken once in the center's zone at the time of writing.
struct StoredProblemSummary: Sendable {
    var teamLeader: String
    var summary: String
    var suggestion: String
    var firstSubmittedAt: Int64
    /// The center's local date of the first submission: what decides on time or late.
    var firstSubmittedOn: LocalDate
    var updatedAt: Int64
}

/// A supervisor's staged plan as stored, with its version.
///
/// Why a version: a plan is replaced as a whole; the version tells the agent's team leader
/// and the trainer whether they are looking at the plan the supervisor last set.
struct StoredCoachingPlan: Sendable {
    var month: String
    var agent: AgentID
    var supervisor: String
    var stages: [CoachingStage]
    var version: Int
    var updatedAt: Int64
}

/// Coaching work: problem summaries, staged plans, coaching requests with their sessions and
/// every step, and the `CoachingRequested` events of the review service turned into requests.
///
/// Why it reads the replica and the shifts but never writes them: the coaching-tier agents
/// are the intake's closed tiers (`IntakeReplica`), and the floor is the workforce export
/// (`WorkforceRepository`); coaching only asks them questions.
///
/// Times: requests carry the center's local dates (requested, plan due, delivered) computed
/// once with the center's time zone, so a later change of the zone does not move a deadline;
/// sessions are stored on the center's local clock, minutes since 1970-01-01, like trainers'
/// availability.
struct CoachingRepository: Sendable {
    /// Migration 6, "coaching work".
    static let schema = """
        CREATE TABLE problem_summaries (
            month TEXT NOT NULL,               -- the training month (the tiers apply to it)
            agent_id TEXT NOT NULL,
            team_leader_id TEXT NOT NULL,      -- who wrote it last
            summary TEXT NOT NULL,
            suggestion TEXT NOT NULL,
            first_submitted_ms INTEGER NOT NULL,
            first_submitted_on TEXT NOT NULL,  -- the center's date of the first submission, YYYY-MM-DD
            updated_ms INTEGER NOT NULL,
            PRIMARY KEY (month, agent_id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE coaching_plans (
            month TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            supervisor_id TEXT NOT NULL,
            version INTEGER NOT NULL,          -- 1 for the first plan, +1 per replacement
            updated_ms INTEGER NOT NULL,
            PRIMARY KEY (month, agent_id)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE coaching_plan_stages (
            month TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            start_date TEXT NOT NULL,
            end_date TEXT NOT NULL,
            checks TEXT NOT NULL,
            PRIMARY KEY (month, agent_id, position)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE coaching_requests (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,  -- oldest first
            request_id TEXT NOT NULL UNIQUE,
            number INTEGER UNIQUE,             -- n of a team leader's "c-n"; NULL for the review's requests
            agent_id TEXT NOT NULL,
            team_leader_id TEXT NOT NULL,
            problem TEXT NOT NULL,
            metric_id TEXT NOT NULL,
            priority INTEGER NOT NULL,         -- CoachingPriority of the contract
            state INTEGER NOT NULL,            -- CoachingRequestState of the contract
            from_review INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            trainer_id TEXT NOT NULL DEFAULT '',
            method INTEGER NOT NULL DEFAULT 0, -- CourseMethod of the contract; 0 before the plan
            requested_on TEXT NOT NULL,        -- the center's dates, YYYY-MM-DD
            plan_due_on TEXT NOT NULL,
            delivered_on TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX coaching_requests_by_agent ON coaching_requests (agent_id, sequence);
        CREATE INDEX coaching_requests_by_state ON coaching_requests (state, sequence);
        CREATE TABLE coaching_request_evidence (
            request_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            evidence_id TEXT NOT NULL,
            PRIMARY KEY (request_id, position)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE coaching_sessions (
            request_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            start_minute INTEGER NOT NULL,     -- the center's local minutes since 1970-01-01
            end_minute INTEGER NOT NULL,
            PRIMARY KEY (request_id, position)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX coaching_sessions_by_start ON coaching_sessions (start_minute);
        CREATE TABLE coaching_steps (
            request_id TEXT NOT NULL,
            position INTEGER NOT NULL,         -- 0 for the request, then one per step
            state INTEGER NOT NULL,
            by_id TEXT NOT NULL,
            at_ms INTEGER NOT NULL,
            note TEXT NOT NULL,
            PRIMARY KEY (request_id, position)
        ) STRICT, WITHOUT ROWID;
        """

    /// How long a trainer has to plan a request.
    let policy: CoachingPolicy
    /// The center's time zone: which day it is.
    let timeZone: TimeZone

    init(policy: CoachingPolicy = CoachingPolicy(), timeZone: TimeZone = TimeZone(identifier: "UTC") ?? TimeZone.current) {
        self.policy = policy
        self.timeZone = timeZone
    }

    init(settings: SchedulingSettings) {
        self.init(policy: CoachingPolicy(planWorkingDays: settings.coachingPlanWorkingDays), timeZone: settings.timeZone)
    }

    /// The center's date at `now` (Unix milliseconds).
    func today(_ now: Int64) -> LocalDate {
        LocalDate.on(Date(timeIntervalSince1970: Double(now) / 1000), in: timeZone)
    }

    // MARK: Coaching-tier agents (the intake's replica)

    /// The coaching-tier agents of `month`: tier 3 in the closed month before. Nil when the
    /// month before is not closed (its `MonthClosed` has not arrived).
    func coachingTier(_ month: PlanningMonth, agent: AgentID? = nil, _ db: SQLiteConnection) throws -> [CoachingTierAgent]? {
        let before = month.month.previous.description
        guard try !db.query("SELECT 1 FROM replica_month_closes WHERE month = ?", [.text(before)], row: { $0.int(at: 0) }).isEmpty else {
            return nil
        }
        var sql = "SELECT agent_id, team_id, team_leader_id, problem_summary_due FROM replica_tiers WHERE month = ? AND tier = ?"
        var values: [SQLValue] = [.text(before), .integer(Int64(AgentTier.coaching.rawValue))]
        if let agent { sql += " AND agent_id = ?"; values.append(.text(agent.rawValue)) }
        sql += " ORDER BY agent_id"
        return try db.query(sql, values) { row in
            let due = row.text(at: 3)
            return CoachingTierAgent(
                agent: AgentID(row.text(at: 0)), team: row.text(at: 1), teamLeader: row.text(at: 2), due: LocalDate(due), dueText: due)
        }
    }

    // MARK: Problem summaries

    /// Stores or rewrites the summary; the first submission's time and date stay.
    func submitSummary(
        month: String, agent: AgentID, teamLeader: String, summary: String, suggestion: String, now: Int64, _ db: SQLiteConnection
    ) throws -> StoredProblemSummary {
        try db.run("""
            INSERT INTO problem_summaries (month, agent_id, team_leader_id, summary, suggestion, first_submitted_ms, first_submitted_on, updated_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (month, agent_id) DO UPDATE SET team_leader_id = excluded.team_leader_id, summary = excluded.summary,
                suggestion = excluded.suggestion, updated_ms = excluded.updated_ms
            """, [.text(month), .text(agent.rawValue), .text(teamLeader), .text(summary), .text(suggestion), .integer(now),
                  .text(today(now).description), .integer(now)])
        guard let stored = try summaries(month: month, agent: agent, db)[agent] else {
            throw CoachingStorageError("the problem summary of \(agent) for \(month) was not stored")
        }
        return stored
    }

    func summaries(month: String, agent: AgentID? = nil, _ db: SQLiteConnection) throws -> [AgentID: StoredProblemSummary] {
        var sql = """
            SELECT agent_id, team_leader_id, summary, suggestion, first_submitted_ms, first_submitted_on, updated_ms
            FROM problem_summaries WHERE month = ?
            """
        var values: [SQLValue] = [.text(month)]
        if let agent { sql += " AND agent_id = ?"; values.append(.text(agent.rawValue)) }
        var found: [AgentID: StoredProblemSummary] = [:]
        for (agent, summary) in try db.query(sql, values, row: { row in
            (AgentID(row.text(at: 0)), StoredProblemSummary(
                teamLeader: row.text(at: 1), summary: row.text(at: 2), suggestion: row.text(at: 3), firstSubmittedAt: row.int64(at: 4),
                firstSubmittedOn: LocalDate(row.text(at: 5)) ?? today(row.int64(at: 4)), updatedAt: row.int64(at: 6)))
        }) {
            found[agent] = summary
        }
        return found
    }

    // MARK: Staged plans

    /// Replaces the agent's plan for the month: version + 1.
    func putPlan(month: String, agent: AgentID, supervisor: String, stages: [CoachingStage], now: Int64, _ db: SQLiteConnection) throws -> StoredCoachingPlan {
        let key: [SQLValue] = [.text(month), .text(agent.rawValue)]
        let version = (try plan(month: month, agent: agent, db)?.version ?? 0) + 1
        try db.run("""
            INSERT OR REPLACE INTO coaching_plans (month, agent_id, supervisor_id, version, updated_ms) VALUES (?, ?, ?, ?, ?)
            """, key + [.text(supervisor), .integer(Int64(version)), .integer(now)])
        try db.run("DELETE FROM coaching_plan_stages WHERE month = ? AND agent_id = ?", key)
        let insert = try db.statement("""
            INSERT INTO coaching_plan_stages (month, agent_id, position, title, start_date, end_date, checks) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for (position, stage) in stages.enumerated() {
            try insert.run(key + [.integer(Int64(position)), .text(stage.title), .text(stage.start.description), .text(stage.end.description), .text(stage.checks)])
        }
        return StoredCoachingPlan(month: month, agent: agent, supervisor: supervisor, stages: stages, version: version, updatedAt: now)
    }

    func plan(month: String, agent: AgentID, _ db: SQLiteConnection) throws -> StoredCoachingPlan? {
        let key: [SQLValue] = [.text(month), .text(agent.rawValue)]
        guard let (supervisor, version, updated) = try db.query(
            "SELECT supervisor_id, version, updated_ms FROM coaching_plans WHERE month = ? AND agent_id = ?", key,
            row: { ($0.text(at: 0), $0.int(at: 1), $0.int64(at: 2)) }
        ).first else { return nil }
        let stages = try db.query(
            "SELECT title, start_date, end_date, checks FROM coaching_plan_stages WHERE month = ? AND agent_id = ? ORDER BY position", key
        ) { row -> CoachingStage? in
            guard let start = LocalDate(row.text(at: 1)), let end = LocalDate(row.text(at: 2)) else { return nil }
            return CoachingStage(title: row.text(at: 0), start: start, end: end, checks: row.text(at: 3))
        }.compactMap { $0 }
        return StoredCoachingPlan(month: month, agent: agent, supervisor: supervisor, stages: stages, version: version, updatedAt: updated)
    }

    // MARK: Coaching requests

    /// A new team leader's request, numbered "c-n" after the last one.
    func createTeamLeadersRequest(
        agent: AgentID, teamLeader: String, problem: String, metric: String, evidence: [String], priority: CoachingRequest.Priority,
        now: Int64, _ db: SQLiteConnection
    ) throws -> CoachingRequest {
        var number = try db.query("SELECT COALESCE(MAX(number), 0) + 1 FROM coaching_requests", [], row: { $0.int(at: 0) }).first ?? 1
        // A review request may carry a "c-n" id of its own: skip any number already taken.
        while try request(CoachingRequestID.teamLeaders(number), db) != nil { number += 1 }
        let requestedOn = today(now)
        let request = CoachingRequest(
            id: .teamLeaders(number), agent: agent, teamLeader: teamLeader, problem: problem, metric: metric, evidence: evidence,
            priority: priority, requestedOn: requestedOn, planDueOn: policy.planDue(requestedOn: requestedOn), requestedAt: now)
        try insert(request, number: number, db)
        return request
    }

    /// The review service's `CoachingRequested`: a REQUESTED request with the event's id,
    /// unless a request with that id exists already (then nothing changes). The plan is due
    /// counted from the day the request reached this service.
    func applyCoachingRequested(_ envelope: EventEnvelope, now: Int64, _ db: SQLiteConnection) throws {
        let event = try CoachingRequested(serializedBytes: envelope.payload)
        var problems = FieldRules.identifier(event.requestId, "request_id") + FieldRules.identifier(event.agentId, "agent_id")
        if !event.requestedBy.isEmpty { problems += FieldRules.identifier(event.requestedBy, "requested_by") }
        guard problems.isEmpty else {
            throw CoachingStorageError("CoachingRequested cannot be applied: " + problems.map(\.wireText).joined(separator: "; "))
        }
        let id = CoachingRequestID(event.requestId)
        guard try request(id, db) == nil else { return }
        let requestedOn = today(now)
        let request = CoachingRequest(
            id: id, agent: AgentID(event.agentId), teamLeader: event.requestedBy, problem: event.problem, metric: event.metricId,
            evidence: event.evidence, priority: .normal, fromReview: true, attempt: Int(event.attempt), requestedOn: requestedOn,
            planDueOn: policy.planDue(requestedOn: requestedOn), requestedAt: now,
            note: "from the effectiveness review (\(envelope.eventId)), attempt \(event.attempt)")
        try insert(request, number: nil, db)
    }

    /// The effect to register for `CoachingRequested` (`TrainingSchedulingService.eventEffects`).
    static func coachingRequestedEffect(settings: SchedulingSettings, clock: ServiceClock) -> EventEffect {
        let repository = CoachingRepository(settings: settings)
        return { envelope, db in
            try repository.applyCoachingRequested(envelope, now: Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)), db)
        }
    }

    private func insert(_ request: CoachingRequest, number: Int?, _ db: SQLiteConnection) throws {
        try db.run("""
            INSERT INTO coaching_requests (request_id, number, agent_id, team_leader_id, problem, metric_id, priority, state, from_review,
                attempt, requested_on, plan_due_on)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(request.id.rawValue), number.map { .integer(Int64($0)) } ?? .null, .text(request.agent.rawValue),
                .text(request.teamLeader), .text(request.problem), .text(request.metric), .integer(Int64(request.priority.rawValue)),
                .integer(Int64(request.state.rawValue)), .integer(request.fromReview ? 1 : 0), .integer(Int64(request.attempt)),
                .text(request.requestedOn.description), .text(request.planDueOn.description),
            ])
        let evidence = try db.statement("INSERT INTO coaching_request_evidence (request_id, position, evidence_id) VALUES (?, ?, ?)")
        for (position, item) in request.evidence.enumerated() {
            try evidence.run([.text(request.id.rawValue), .integer(Int64(position)), .text(item)])
        }
        try saveSteps(request, db)
    }

    /// Stores a request's new state, plan and delivery, and the steps not stored yet
    /// (steps are never rewritten).
    func save(_ request: CoachingRequest, _ db: SQLiteConnection) throws {
        let id = request.id.rawValue
        try db.run("""
            UPDATE coaching_requests SET state = ?, trainer_id = ?, method = ?, delivered_on = ? WHERE request_id = ?
            """, [
                .integer(Int64(request.state.rawValue)), .text(request.trainer?.rawValue ?? ""), .integer(Int64(request.method?.rawValue ?? 0)),
                .text(request.deliveredOn?.description ?? ""), .text(id),
            ])
        try db.run("DELETE FROM coaching_sessions WHERE request_id = ?", [.text(id)])
        let session = try db.statement("INSERT INTO coaching_sessions (request_id, position, start_minute, end_minute) VALUES (?, ?, ?, ?)")
        for (position, range) in request.sessions.enumerated() {
            try session.run([.text(id), .integer(Int64(position)), .integer(Int64(range.start)), .integer(Int64(range.end))])
        }
        try saveSteps(request, db)
    }

    private func saveSteps(_ request: CoachingRequest, _ db: SQLiteConnection) throws {
        let step = try db.statement("""
            INSERT OR IGNORE INTO coaching_steps (request_id, position, state, by_id, at_ms, note) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for (position, entry) in request.history.enumerated() {
            try step.run([.text(request.id.rawValue), .integer(Int64(position)), .integer(Int64(entry.state.rawValue)), .text(entry.by),
                          .integer(entry.at), .text(entry.note)])
        }
    }

    func request(_ id: CoachingRequestID, _ db: SQLiteConnection) throws -> CoachingRequest? {
        try requests(where: "request_id = ?", [.text(id.rawValue)], db).first
    }

    /// Requests oldest first, filtered by state and agent (nil: any).
    func requests(state: CoachingRequest.State? = nil, agent: AgentID? = nil, _ db: SQLiteConnection) throws -> [CoachingRequest] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let state { conditions.append("state = ?"); values.append(.integer(Int64(state.rawValue))) }
        if let agent { conditions.append("agent_id = ?"); values.append(.text(agent.rawValue)) }
        return try requests(where: conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), values, db)
    }

    private func requests(where condition: String, _ values: [SQLValue], _ db: SQLiteConnection) throws -> [CoachingRequest] {
        let rows = try db.query("""
            SELECT request_id, agent_id, team_leader_id, problem, metric_id, priority, state, from_review, attempt, trainer_id, method,
                requested_on, plan_due_on, delivered_on
            FROM coaching_requests WHERE \(condition) ORDER BY sequence
            """, values
        ) { row -> CoachingRequest in
            let requestedOn = LocalDate(row.text(at: 11)) ?? LocalDate(dayNumber: 0)
            var request = CoachingRequest(
                id: CoachingRequestID(row.text(at: 0)), agent: AgentID(row.text(at: 1)), teamLeader: row.text(at: 2), problem: row.text(at: 3),
                metric: row.text(at: 4), evidence: [], priority: CoachingRequest.Priority(rawValue: row.int(at: 5)) ?? .normal,
                fromReview: row.int(at: 7) != 0, attempt: row.int(at: 8), requestedOn: requestedOn,
                planDueOn: LocalDate(row.text(at: 12)) ?? requestedOn, requestedAt: 0)
            request.state = CoachingRequest.State(rawValue: row.int(at: 6)) ?? .requested
            let trainer = row.text(at: 9)
            request.trainer = trainer.isEmpty ? nil : TrainerID(trainer)
            request.method = CourseMethod(rawValue: row.int(at: 10))
            request.deliveredOn = LocalDate(row.text(at: 13))
            request.history = []
            return request
        }
        guard !rows.isEmpty else { return [] }
        let evidence = try db.statement("SELECT evidence_id FROM coaching_request_evidence WHERE request_id = ? ORDER BY position")
        let sessions = try db.statement("SELECT start_minute, end_minute FROM coaching_sessions WHERE request_id = ? ORDER BY position")
        let steps = try db.statement("SELECT state, by_id, at_ms, note FROM coaching_steps WHERE request_id = ? ORDER BY position")
        return try rows.map { stored in
            var request = stored
            let id = SQLValue.text(request.id.rawValue)
            request.evidence = try Self.all(evidence, [id]) { $0.text(at: 0) }
            request.sessions = try Self.all(sessions, [id]) { MinuteRange(start: $0.int(at: 0), end: $0.int(at: 1)) }
            request.history = try Self.all(steps, [id]) { row in
                CoachingRequest.Step(
                    state: CoachingRequest.State(rawValue: row.int(at: 0)) ?? .requested, by: row.text(at: 1), at: row.int64(at: 2),
                    note: row.text(at: 3))
            }
            return request
        }
    }

    private static func all<T>(_ statement: Statement, _ values: [SQLValue], _ row: (Statement) -> T) throws -> [T] {
        try statement.bind(values)
        var found: [T] = []
        while try statement.step() { found.append(row(statement)) }
        try statement.reset()
        return found
    }

    /// The sessions of PLANNED requests that start in [start, end) (local minutes since
    /// 1970), other than `excluding`'s: who else coaching takes off the floor then.
    func plannedSessions(from start: Int, to end: Int, excluding: CoachingRequestID, _ db: SQLiteConnection) throws -> [(request: CoachingRequestID, agent: AgentID, time: MinuteRange)] {
        try db.query("""
            SELECT r.request_id, r.agent_id, s.start_minute, s.end_minute
            FROM coaching_sessions s JOIN coaching_requests r ON r.request_id = s.request_id
            WHERE r.state = ? AND r.request_id <> ? AND s.start_minute >= ? AND s.start_minute < ?
            ORDER BY s.start_minute, r.request_id
            """, [.integer(Int64(CoachingRequest.State.planned.rawValue)), .text(excluding.rawValue), .integer(Int64(start)), .integer(Int64(end))]
        ) { row in
            (CoachingRequestID(row.text(at: 0)), AgentID(row.text(at: 1)), MinuteRange(start: row.int(at: 2), end: row.int(at: 3)))
        }
    }

    /// The agent's shifts of the month, minutes since its start.
    func shifts(month: String, agent: AgentID, _ db: SQLiteConnection) throws -> [MinuteRange] {
        try db.query(
            "SELECT start_minute, end_minute FROM shifts WHERE month = ? AND agent_id = ? ORDER BY start_minute", [.text(month), .text(agent.rawValue)]
        ) { MinuteRange(start: $0.int(at: 0), end: $0.int(at: 1)) }
    }
}

/// Stored coaching data that cannot be used, or an event that cannot be applied; the
/// description is the reason (for an event, the rejection the producer sees).
struct CoachingStorageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
