import CalendarDates
import RPCRuntime
import SQLiteStorage
import ServiceKit
import TrainingWire

/// Attendance per seat, session completion (SessionCompleted for the review service, in the
/// same transaction), re-placement after an unexcused absence, and the month-end tally.
struct AttendanceHandlers: Sendable {
    let database: SQLiteDatabase
    let clock: ServiceClock
    let settings: SchedulingSettings
    let outbox: EventOutbox
    let repository = EnrolmentRepository()

    var now: Int64 { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }

    func register(in router: inout RPCRouter) {
        router.registerAsync(TrainingSchedulingMethods.recordAttendance, handler: recordAttendance)
        router.registerAsync(TrainingSchedulingMethods.getMonthEndTally, handler: getMonthEndTally)
    }

    /// A participant of the session, as the seat says.
    private struct Participant {
        let required: Bool
        let team: String
        let course: CourseID
        let goals: String
    }

    func recordAttendance(_ request: RecordAttendanceRequest, _ context: CallContext) async throws -> RecordAttendanceResponse {
        var problems = FieldRules.identifier(request.sessionId, "session_id") + FieldRules.identifier(request.recordedBy, "recorded_by")
        if request.records.isEmpty || request.records.count > 1000 {
            problems.append(FieldViolation(subject: "records", description: "must hold 1 to 1000 records (it holds \(request.records.count))"))
        }
        let month = try SchedulingHandlers.month(request.month, plus: problems)
        let session = SessionID(request.sessionId)
        let now = self.now, settings = self.settings, outbox = self.outbox
        return try await database.idempotentWrite(context, now: now) { db in
            let key = month.description
            guard try repository.catalogue.isPublished(month: key, db),
                  let found = try repository.publishedSessions(month: key, db).first(where: { $0.session.id == session }) else {
                throw SchedulingCallError.notFound("the plan of \(month) has no session \(session)")
            }
            guard found.cancelledAt == nil else { throw SchedulingCallError.precondition("session_id", "session \(session) is cancelled") }
            let start = month.startMinute + found.session.time.start
            guard settings.localMinutes(unixMilliseconds: now) >= start else {
                throw SchedulingCallError.precondition("session_id", "session \(session) starts at \(LocalDateTime(minutes: start)); attendance comes after")
            }
            guard try db.query("SELECT 1 FROM completed_sessions WHERE month = ? AND session_id = ?", [.text(key), .text(session.rawValue)], row: { $0.int(at: 0) }).isEmpty else {
                throw SchedulingCallError.precondition("session_id", "the attendance of session \(session) is complete and no longer changes")
            }
            var participants: [AgentID: Participant] = [:]
            for seat in try repository.enrolments(month: key, session: session, db) {
                participants[seat.agent] = Participant(required: seat.required, team: seat.team.rawValue, course: seat.course, goals: seat.goals)
            }

            var results = BatchResponse()
            for record in request.records {
                let agent = AgentID(record.agentId)
                var violations: [Violation] = []
                if participants[agent] == nil {
                    violations.append(Violation(subject: "agent_id", description: "\(record.agentId) has no seat in session \(session)"))
                }
                let mark = AttendanceMark(rawValue: Int(record.status.rawValue))
                if mark == nil { violations.append(Violation(subject: "status", description: "is required")) }
                if mark == .excused && record.reason.isBlank {
                    violations.append(Violation(subject: "reason", description: "is required for an excused absence"))
                }
                if record.reason.count > 500 || record.reason.unicodeScalars.contains(where: FieldRules.isControl) {
                    violations.append(Violation(subject: "reason", description: "must be at most 500 characters without control characters"))
                }
                guard violations.isEmpty, let mark, let participant = participants[agent] else {
                    results.record(.rejected, id: record.agentId, violations: violations)
                    continue
                }
                let stored = try db.query(
                    "SELECT status, reason FROM attendance WHERE month = ? AND session_id = ? AND agent_id = ?",
                    [.text(key), .text(session.rawValue), .text(agent.rawValue)], row: { ($0.int(at: 0), $0.text(at: 1)) }).first
                if let stored, stored == (mark.rawValue, record.reason) {
                    results.record(.duplicate, id: record.agentId)
                    continue
                }
                try db.run("""
                    INSERT INTO attendance (month, session_id, agent_id, status, reason, required, team_id, course_id, recorded_by, recorded_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (month, session_id, agent_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
                        recorded_by = excluded.recorded_by, recorded_ms = excluded.recorded_ms
                    """, [.text(key), .text(session.rawValue), .text(agent.rawValue), .integer(Int64(mark.rawValue)), .text(record.reason),
                          .integer(participant.required ? 1 : 0), .text(participant.team), .text(participant.course.rawValue),
                          .text(request.recordedBy), .integer(now)])
                results.record(stored == nil ? .accepted : .replaced, id: record.agentId)
            }

            let marks = Dictionary(uniqueKeysWithValues: try db.query(
                "SELECT agent_id, status FROM attendance WHERE month = ? AND session_id = ?", [.text(key), .text(session.rawValue)],
                row: { (AgentID($0.text(at: 0)), AttendanceMark(rawValue: $0.int(at: 1)) ?? .present) }))
            let missing = participants.keys.filter { marks[$0] == nil }.count
            var response = RecordAttendanceResponse(results: results, complete: missing == 0, missing: UInt32(missing))
            guard missing == 0, !participants.isEmpty else { return response }

            // Complete: the review service hears of every participant; absences are placed again.
            try db.run("INSERT INTO completed_sessions (month, session_id, completed_ms) VALUES (?, ?, ?)", [.text(key), .text(session.rawValue), .integer(now)])
            try db.run("DELETE FROM sign_ups WHERE month = ? AND session_id = ?", [.text(key), .text(session.rawValue)])
            let course = try repository.catalogue.course(found.session.course, db)
            let day = LocalDate(dayNumber: (month.startMinute + found.session.time.start) / 1440).description
            for (agent, participant) in participants.sorted(by: { $0.key < $1.key }) {
                let mark = marks[agent] ?? .present
                _ = try outbox.append(
                    SessionCompleted(
                        sessionId: session.rawValue, courseId: found.session.course.rawValue, agentId: agent.rawValue,
                        attended: mark.attended, excused: mark == .excused, completedOn: day, criterionIds: course?.criterionIDs ?? [],
                        metricIds: course?.metricIDs ?? [], teamId: participant.team, goals: participant.goals, required: participant.required,
                        late: mark == .late),
                    subject: agent.rawValue, occurredAt: now, db)
            }
            let absent = participants.filter { marks[$0.key] == .absent && $0.value.required }.map(\.key).sorted()
            guard try repository.run(month: key, db) != nil else { return response }
            try repository.place(month: month, standings: nil, settings: settings, now: now, db)
            for agent in absent {
                let again = try repository.enrolments(month: key, agent: agent, db).contains { $0.course == found.session.course }
                if again { response.replacedAgentIds.append(agent.rawValue) } else { response.unplacedAgentIds.append(agent.rawValue) }
            }
            return response
        }
    }

    func getMonthEndTally(_ request: GetMonthEndTallyRequest, _ context: CallContext) async throws -> TrainingWire.MonthEndTally {
        let month = try SchedulingHandlers.month(request.month)
        return try await database.read(context) { db in
            let key = month.description
            guard try repository.run(month: key, db) != nil else { throw SchedulingCallError.notFound("no enrolment was built for \(month)") }
            var departments: [String: String] = [:]
            for agent in try repository.agents(month: key, db) { departments[agent.id.rawValue] = agent.department }
            var seats: [AttendanceTally.Seat] = []
            var penalties: [PenaltyProposal] = []
            // Recorded: required seats of complete sessions (an absent agent's seat stays here
            // even after they were placed again).
            for (agent, session, status, team, course, by, start) in try db.query("""
                SELECT a.agent_id, a.session_id, a.status, a.team_id, a.course_id, a.recorded_by, s.start_minute FROM attendance a
                JOIN completed_sessions c ON c.month = a.month AND c.session_id = a.session_id
                JOIN published_sessions s ON s.month = a.month AND s.session_id = a.session_id
                WHERE a.month = ? AND a.required = 1 ORDER BY a.agent_id, s.start_minute
                """, [.text(key)], row: { ($0.text(at: 0), $0.text(at: 1), $0.int(at: 2), $0.text(at: 3), $0.text(at: 4), $0.text(at: 5), $0.int(at: 6)) })
            {
                let mark = AttendanceMark(rawValue: status)
                seats.append(.init(team: team, department: departments[agent] ?? "", mark: mark))
                if mark == .absent {
                    penalties.append(PenaltyProposal(
                        agentId: agent, teamId: team, department: departments[agent] ?? "", sessionId: session, courseId: course,
                        start: month.local(start), recordedBy: by))
                }
            }
            // Pending: required seats of sessions not complete yet.
            for (agent, team) in try db.query("""
                SELECT e.agent_id, a.team_id FROM enrolments e
                LEFT JOIN enrolment_agents a ON a.month = e.month AND a.agent_id = e.agent_id
                WHERE e.month = ? AND e.required = 1 AND NOT EXISTS (
                    SELECT 1 FROM completed_sessions c WHERE c.month = e.month AND c.session_id = e.session_id)
                """, [.text(key)], row: { ($0.text(at: 0), $0.isNull(at: 1) ? "" : $0.text(at: 1)) })
            {
                seats.append(.init(team: team, department: departments[agent] ?? "", mark: nil))
            }
            let groups = AttendanceTally.groups(seats)
            return TrainingWire.MonthEndTally(
                month: key, center: groups.center.wire, teams: groups.teams.map(\.wire), departments: groups.departments.map(\.wire),
                penalties: penalties)
        }
    }
}

extension AttendanceTally.Group {
    var wire: TallyGroup {
        TallyGroup(
            group: name, required: UInt32(clamping: required), attended: UInt32(clamping: attended), excused: UInt32(clamping: excused),
            unexcused: UInt32(clamping: unexcused), pending: UInt32(clamping: pending))
    }
}
