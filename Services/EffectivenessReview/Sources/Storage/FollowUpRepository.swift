import CalendarDates
import SQLiteStorage
import ServiceKit
import TrainingWire

/// A follow-up meeting as stored: what `SessionCompleted` said of the attendee, and the
/// meeting's record once held.
///
/// Why the due date is stored and not recomputed: it is fixed by the policy in force when
/// the session completed, so a later change of `meeting_after_days` does not move the due
/// date of meetings already announced to team leaders.
struct StoredFollowUpMeeting: Sendable {
    struct Held: Sendable {
        var heldBy: String
        var record: FollowUpMeeting.Record
    }

    var sessionID: String
    var courseID: String
    var agentID: String
    var teamID: String
    var sessionOn: LocalDate
    var dueOn: LocalDate
    var goals: String
    var held: Held?

    /// Held, overdue (not held and `today` is after the due date) or due.
    func state(on today: LocalDate) -> FollowUpMeetingState {
        if held != nil { return .followUpMeetingHeld }
        return today > dueOn ? .followUpMeetingOverdue : .followUpMeetingDue
    }
}

/// The follow-up meetings: created by the scheduling service's `SessionCompleted`,
/// recorded by team leaders.
///
/// Why one row per (session, agent) with the record in the same row: a meeting is held
/// once (seed 004), so there is nothing to keep a history of; the primary key makes the
/// event's effect idempotent even when the producer's event ids differ (a replay).
struct FollowUpRepository: Sendable {
    /// Migration 3, "follow-up meetings".
    static let schema = """
        CREATE TABLE follow_up_meetings (
            session_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            team_id TEXT NOT NULL,
            session_on TEXT NOT NULL,               -- YYYY-MM-DD, the event's completed_on
            due_on TEXT NOT NULL,                   -- YYYY-MM-DD, session_on + meeting_after_days when created
            goals TEXT NOT NULL,                    -- from the goal talk; '' when none were recorded
            event_id TEXT NOT NULL,                 -- the SessionCompleted that created it
            held_by TEXT NOT NULL DEFAULT '',       -- '' until held
            held_on TEXT NOT NULL DEFAULT '',
            feeling INTEGER NOT NULL DEFAULT 0,     -- 1-5 once held
            learned TEXT NOT NULL DEFAULT '',
            goals_reached INTEGER NOT NULL DEFAULT 0,  -- GoalsReached of the domain
            future_changes TEXT NOT NULL DEFAULT '',
            manager_support TEXT NOT NULL DEFAULT '',
            preference INTEGER NOT NULL DEFAULT 0,  -- LearningPreference of the domain
            practice_days INTEGER NOT NULL DEFAULT 0,  -- the plan's length under the policy when held
            held_ms INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session_id, agent_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX follow_up_meetings_by_due ON follow_up_meetings (due_on, session_id, agent_id);
        """

    let policy: FollowUpPolicy

    // MARK: SessionCompleted

    /// The effect of `SessionCompleted`: an attendee gets a meeting due
    /// `policy.meetingAfterDays` after `completed_on`; an absent agent none. A meeting that
    /// exists already (the same session and agent) is left as it is.
    ///
    /// Throws (the inbox rejects the event, naming the field) when the event lacks its ids or
    /// its date, so a malformed event is visible to the operator rather than silently dropped.
    func applySessionCompleted(_ envelope: EventEnvelope, _ db: SQLiteConnection) throws {
        let event = try SessionCompleted(serializedBytes: envelope.payload)
        var problems = FollowUpFields.identifier(event.sessionId, "session_id") + FollowUpFields.identifier(event.agentId, "agent_id")
        problems += FollowUpFields.identifier(event.courseId, "course_id")
        if !event.teamId.isEmpty { problems += FollowUpFields.identifier(event.teamId, "team_id") }
        problems += FollowUpFields.text(event.goals, "goals", maximum: FollowUpAnswers.maximumLength, required: false)
        let completedOn = LocalDate(event.completedOn)
        if completedOn == nil { problems.append(FollowUpViolation("completed_on", .inconsistent("must be a date YYYY-MM-DD"))) }
        guard problems.isEmpty, let completedOn else {
            throw FollowUpEventError("SessionCompleted cannot be applied: " + problems.map(\.description).joined(separator: "; "))
        }
        guard event.attended else { return }
        try db.run("""
            INSERT OR IGNORE INTO follow_up_meetings (session_id, agent_id, course_id, team_id, session_on, due_on, goals, event_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [
                .text(event.sessionId), .text(event.agentId), .text(event.courseId), .text(event.teamId), .text(completedOn.description),
                .text(FollowUpMeeting.dueOn(afterSessionOn: completedOn, policy: policy).description), .text(event.goals),
                .text(envelope.eventId),
            ])
    }

    /// The effect to register for `SessionCompleted` (`EffectivenessReviewService.eventEffects`).
    static func sessionCompletedEffect(policy: FollowUpPolicy) -> EventEffect {
        let repository = FollowUpRepository(policy: policy)
        return { envelope, db in try repository.applySessionCompleted(envelope, db) }
    }

    // MARK: Meetings

    private static let columns = """
        session_id, agent_id, course_id, team_id, session_on, due_on, goals, held_by, held_on, feeling, learned, goals_reached,
        future_changes, manager_support, preference, practice_days
        """

    /// Meetings by due date, session and agent; `dueIn` and `team` filter when given.
    func meetings(dueIn month: YearMonth? = nil, team: String? = nil, _ db: SQLiteConnection) throws -> [StoredFollowUpMeeting] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let month {
            conditions.append("due_on BETWEEN ? AND ?")
            values += [.text(month.firstDay.description), .text(month.lastDay.description)]
        }
        if let team { conditions.append("team_id = ?"); values.append(.text(team)) }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try query("SELECT \(Self.columns) FROM follow_up_meetings\(filter) ORDER BY due_on, session_id, agent_id", values, db)
    }

    func meeting(session: String, agent: String, _ db: SQLiteConnection) throws -> StoredFollowUpMeeting? {
        try query("SELECT \(Self.columns) FROM follow_up_meetings WHERE session_id = ? AND agent_id = ?", [.text(session), .text(agent)], db).first
    }

    /// Stores the record of a meeting not held before (the caller checked).
    func saveHeld(_ meeting: StoredFollowUpMeeting, now: Int64, _ db: SQLiteConnection) throws {
        guard let held = meeting.held else { return }
        let answers = held.record.answers, plan = held.record.plan
        try db.run("""
            UPDATE follow_up_meetings SET held_by = ?, held_on = ?, feeling = ?, learned = ?, goals_reached = ?, future_changes = ?,
                manager_support = ?, preference = ?, practice_days = ?, held_ms = ?
            WHERE session_id = ? AND agent_id = ? AND held_on = ''
            """, [
                .text(held.heldBy), .text(held.record.heldOn.description), .integer(Int64(answers.feeling)), .text(answers.learned),
                .integer(Int64(answers.goalsReached.rawValue)), .text(answers.futureChanges), .text(answers.managerSupport),
                .integer(Int64(plan.preference.rawValue)), .integer(Int64(plan.practice.days)), .integer(now),
                .text(meeting.sessionID), .text(meeting.agentID),
            ])
    }

    /// Rows whose dates or codes do not parse are skipped: only this service writes them,
    /// so such a row is a bug, and one bad row must not hide every other meeting.
    private func query(_ sql: String, _ values: [SQLValue], _ db: SQLiteConnection) throws -> [StoredFollowUpMeeting] {
        try db.query(sql, values) { row -> StoredFollowUpMeeting? in
            guard let sessionOn = LocalDate(row.text(at: 4)), let dueOn = LocalDate(row.text(at: 5)) else { return nil }
            var meeting = StoredFollowUpMeeting(
                sessionID: row.text(at: 0), courseID: row.text(at: 2), agentID: row.text(at: 1), teamID: row.text(at: 3),
                sessionOn: sessionOn, dueOn: dueOn, goals: row.text(at: 6), held: nil)
            if let heldOn = LocalDate(row.text(at: 8)),
               let reached = GoalsReached(rawValue: row.int(at: 11)),
               let preference = LearningPreference(rawValue: row.int(at: 14)) {
                let answers = FollowUpAnswers(
                    feeling: row.int(at: 9), learned: row.text(at: 10), goalsReached: reached, futureChanges: row.text(at: 12),
                    managerSupport: row.text(at: 13))
                var plan = policy
                plan.practiceDays = row.int(at: 15)
                meeting.held = .init(
                    heldBy: row.text(at: 7),
                    record: FollowUpMeeting.Record(
                        heldOn: heldOn, answers: answers, plan: ContinuingLearningPlan(preference: preference, startsOn: heldOn, policy: plan)))
            }
            return meeting
        }.compactMap { $0 }
    }
}

/// An event this service cannot apply; its description is the rejection reason.
struct FollowUpEventError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
