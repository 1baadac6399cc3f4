import RPCRuntime
import SQLiteStorage
import ServiceKit
import TrainingWire

/// Enrolment methods: build, read, sign up and withdraw, cancel and move sessions, what-if.
/// Every change places the month again with `EnrolmentRepository.place`, inside the same
/// transaction as the change itself, so an acknowledged change and its consequences are
/// durable together.
struct EnrolmentHandlers: Sendable {
    let database: SQLiteDatabase
    let clock: ServiceClock
    let builder: EnrolmentBuilder
    let repository = EnrolmentRepository()

    var now: Int64 { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }
    var settings: SchedulingSettings { builder.settings }

    func register(in router: inout RPCRouter) {
        router.registerAsync(TrainingSchedulingMethods.buildEnrolment, handler: buildEnrolment)
        router.registerAsync(TrainingSchedulingMethods.getEnrolment, handler: getEnrolment)
        router.registerAsync(TrainingSchedulingMethods.getAgentSchedule, handler: getAgentSchedule)
        router.registerAsync(TrainingSchedulingMethods.getTeamSchedule, handler: getTeamSchedule)
        router.registerAsync(TrainingSchedulingMethods.getSessionSchedule, handler: getSessionSchedule)
        router.registerAsync(TrainingSchedulingMethods.signUp, handler: signUp)
        router.registerAsync(TrainingSchedulingMethods.withdraw, handler: withdraw)
        router.registerAsync(TrainingSchedulingMethods.cancelSession, handler: cancelSession)
        router.registerAsync(TrainingSchedulingMethods.moveSession, handler: moveSession)
        router.registerAsync(TrainingSchedulingMethods.whatIf, handler: whatIf)
    }

    // MARK: Build and read

    func buildEnrolment(_ request: BuildEnrolmentRequest, _ context: CallContext) async throws -> TrainingWire.EnrolmentSummary {
        try await builder.build(try SchedulingHandlers.month(request.month), context: context)
    }

    private func requireRun(_ month: PlanningMonth, _ db: SQLiteConnection) throws -> EnrolmentRun {
        guard let run = try repository.run(month: month.description, db) else {
            throw SchedulingCallError.notFound("no enrolment was built for \(month)")
        }
        return run
    }

    func getEnrolment(_ request: GetEnrolmentRequest, _ context: CallContext) async throws -> GetEnrolmentResponse {
        let month = try SchedulingHandlers.month(request.month)
        return try await database.read(context) { db in
            let run = try requireRun(month, db)
            return GetEnrolmentResponse(summary: run.wire, unplaced: try repository.unplaced(month: month.description, db).map(\.wire))
        }
    }

    func getAgentSchedule(_ request: GetAgentScheduleRequest, _ context: CallContext) async throws -> ScheduleResponse {
        let month = try SchedulingHandlers.month(request.month, plus: FieldRules.identifier(request.agentId, "agent_id"))
        let agent = AgentID(request.agentId)
        return try await database.read(context) { db in
            _ = try requireRun(month, db)
            let key = month.description
            return ScheduleResponse(
                month: key, enrolments: try repository.enrolments(month: key, agent: agent, db).map { $0.wire(month: month) },
                unplaced: try repository.unplaced(month: key, agent: agent, db).map(\.wire),
                waiting: try repository.waiting(month: key, agent: agent, db).map(\.wire))
        }
    }

    func getTeamSchedule(_ request: GetTeamScheduleRequest, _ context: CallContext) async throws -> ScheduleResponse {
        let month = try SchedulingHandlers.month(request.month, plus: FieldRules.identifier(request.teamId, "team_id"))
        let team = TeamID(request.teamId)
        return try await database.read(context) { db in
            _ = try requireRun(month, db)
            let key = month.description
            return ScheduleResponse(
                month: key, enrolments: try repository.enrolments(month: key, team: team, db).map { $0.wire(month: month) },
                unplaced: try repository.unplaced(month: key, team: team, db).map(\.wire),
                waiting: try repository.waiting(month: key, team: team, db).map(\.wire).sorted { ($0.agentId, $0.sessionId) < ($1.agentId, $1.sessionId) })
        }
    }

    func getSessionSchedule(_ request: GetSessionScheduleRequest, _ context: CallContext) async throws -> GetSessionScheduleResponse {
        let month = try SchedulingHandlers.month(request.month, plus: FieldRules.identifier(request.sessionId, "session_id"))
        let id = SessionID(request.sessionId)
        return try await database.read(context) { db in
            let found = try requireSession(month, id, db)
            let key = month.description
            let participants = try repository.enrolments(month: key, session: id, db).sorted { $0.agent < $1.agent }
            return GetSessionScheduleResponse(
                session: found.session.wire(month: month), cancelled: found.cancelledAt != nil, cancelReason: found.cancelReason,
                participants: participants.map { $0.wire(month: month) },
                waiting: try repository.waiting(month: key, session: id, db).map(\.wire),
                seatsFree: found.cancelledAt != nil ? 0 : UInt32(clamping: max(0, found.session.capacity - participants.count)))
        }
    }

    private func requireSession(_ month: PlanningMonth, _ id: SessionID, _ db: SQLiteConnection) throws -> PublishedSession {
        guard try repository.catalogue.isPublished(month: month.description, db) else {
            throw SchedulingCallError.notFound("the plan of \(month) is not published")
        }
        guard let found = try repository.publishedSessions(month: month.description, db).first(where: { $0.session.id == id }) else {
            throw SchedulingCallError.notFound("the plan of \(month) has no session \(id)")
        }
        return found
    }

    // MARK: Sign-ups

    func signUp(_ request: SignUpRequest, _ context: CallContext) async throws -> SignUpResponse {
        let month = try SchedulingHandlers.month(
            request.month, plus: FieldRules.identifier(request.sessionId, "session_id") + FieldRules.identifier(request.agentId, "agent_id"))
        let session = SessionID(request.sessionId), agentID = AgentID(request.agentId)
        let now = self.now, settings = self.settings
        return try await database.idempotentWrite(context, now: now) { db in
            let key = month.description
            guard try repository.run(month: key, db) != nil else {
                throw SchedulingCallError.precondition("month", "no enrolment was built for \(month); build it (BuildEnrolment) first")
            }
            let found = try requireSession(month, session, db)
            guard found.cancelledAt == nil else { throw SchedulingCallError.precondition("session_id", "session \(session) is cancelled") }
            guard let agent = try repository.agent(month: key, agentID, db) else {
                throw SchedulingCallError.notFound("agent \(agentID) is not in the enrolment of \(month)")
            }
            guard let stored = try repository.catalogue.course(found.session.course, db) else {
                throw SchedulingCallError.precondition("session_id", "the course \(found.session.course) is no longer in the catalogue")
            }
            let course = Course(id: stored.id, category: stored.category, kind: stored.kind, audience: stored.audience)
            switch course.binding(for: agent) {
            case .binds:
                throw SchedulingCallError.precondition(
                    "session_id", "course \(course.id) is required for agent \(agentID): the enrolment places them, no sign-up needed")
            case .notApplicable:
                throw SchedulingCallError.precondition("session_id", "course \(course.id) is not for agent \(agentID) (audience or onboarding)")
            case .voluntary: break
            }
            let seats = try repository.enrolments(month: key, agent: agentID, db)
            if seats.contains(where: { $0.session == session }) { return SignUpResponse(outcome: .signUpAlreadyEnrolled) }
            if try repository.hasSignUp(month: key, agent: agentID, session: session, db) {
                let position = try repository.waiting(month: key, agent: agentID, session: session, db).first?.position ?? 0
                return SignUpResponse(outcome: .signUpAlreadyWaiting, waitingPosition: UInt32(clamping: position))
            }
            if let other = seats.first(where: { $0.course == course.id }) {
                throw SchedulingCallError.precondition("session_id", "agent \(agentID) is already in session \(other.session) of course \(course.id)")
            }
            try repository.signUp(month: key, agent: agentID, session: session, course: course.id, now: now, db)
            let result = try repository.place(month: month, standings: nil, settings: settings, now: now, db).result
            if result.placements.contains(where: { $0.agent == agentID && $0.session == session }) {
                return SignUpResponse(outcome: .signUpEnrolled)
            }
            let reason = result.unplaced.first { $0.agent == agentID && $0.course == course.id }?.reason ?? .noSeat
            guard reason == .noSeat else {
                // Not a full session: waiting would not help. The throw rolls the sign-up back.
                throw SchedulingCallError.precondition("session_id", "agent \(agentID) cannot join session \(session): \(reason.explanation)")
            }
            let position = try repository.waiting(month: key, agent: agentID, session: session, db).first?.position ?? 0
            return SignUpResponse(outcome: .signUpWaiting, waitingPosition: UInt32(clamping: position))
        }
    }

    func withdraw(_ request: WithdrawRequest, _ context: CallContext) async throws -> WithdrawResponse {
        let month = try SchedulingHandlers.month(
            request.month, plus: FieldRules.identifier(request.sessionId, "session_id") + FieldRules.identifier(request.agentId, "agent_id"))
        let session = SessionID(request.sessionId), agent = AgentID(request.agentId)
        let now = self.now, settings = self.settings
        return try await database.idempotentWrite(context, now: now) { db in
            let key = month.description
            guard try repository.hasSignUp(month: key, agent: agent, session: session, db) else {
                throw SchedulingCallError.notFound("agent \(agent) has no sign-up for session \(session) in \(month)")
            }
            let waitingBefore = Set(try repository.waiting(month: key, session: session, db).map(\.agent))
            try repository.withdraw(month: key, agent: agent, session: session, db)
            try repository.place(month: month, standings: nil, settings: settings, now: now, db)
            let seated = Set(try repository.enrolments(month: key, session: session, db).map(\.agent))
            return WithdrawResponse(
                wasWaiting: waitingBefore.contains(agent),
                promotedAgentIds: waitingBefore.subtracting([agent]).intersection(seated).map(\.rawValue).sorted())
        }
    }

    // MARK: Session changes

    func cancelSession(_ request: CancelSessionRequest, _ context: CallContext) async throws -> SessionChangeResponse {
        let month = try SchedulingHandlers.month(
            request.month, plus: FieldRules.identifier(request.sessionId, "session_id") + FieldRules.text(request.reason, "reason", maximum: 500))
        let session = SessionID(request.sessionId)
        let now = self.now, settings = self.settings
        return try await database.idempotentWrite(context, now: now) { db in
            let found = try requireSession(month, session, db)
            guard found.cancelledAt == nil else { throw SchedulingCallError.precondition("session_id", "session \(session) is already cancelled") }
            let changes = EnrolmentRepository.SessionChanges(cancelled: [session: request.reason])
            return try change(month, session: session, course: found.session.course, settings: settings, changes: changes, now: now, db) {
                try repository.cancel(month: month.description, session: session, reason: request.reason, now: now, db)
            }
        }
    }

    func moveSession(_ request: MoveSessionRequest, _ context: CallContext) async throws -> SessionChangeResponse {
        var problems = FieldRules.identifier(request.sessionId, "session_id")
        let start = LocalDateTime(request.start), end = LocalDateTime(request.end)
        if start == nil { problems.append(FieldViolation(subject: "start", description: "must be a local date-time YYYY-MM-DDTHH:MM")) }
        if end == nil { problems.append(FieldViolation(subject: "end", description: "must be a local date-time YYYY-MM-DDTHH:MM")) }
        let month = try SchedulingHandlers.month(request.month, plus: problems)
        guard let start, let end else { throw SchedulingCallError.invalid(problems) }
        if !month.contains(start) { problems.append(FieldViolation(subject: "start", description: "\(request.start) is not in \(month)")) }
        if end.minutes <= start.minutes { problems.append(FieldViolation(subject: "end", description: "must be after start")) }
        if end.minutes - start.minutes > 31 * 1440 { problems.append(FieldViolation(subject: "end", description: "is more than 31 days from start")) }
        guard problems.isEmpty else { throw SchedulingCallError.invalid(problems) }
        let session = SessionID(request.sessionId)
        let time = MinuteRange(start: start.minutes - month.startMinute, end: end.minutes - month.startMinute)
        let now = self.now, settings = self.settings
        return try await database.idempotentWrite(context, now: now) { db in
            let key = month.description
            let found = try requireSession(month, session, db)
            guard found.cancelledAt == nil else { throw SchedulingCallError.precondition("session_id", "session \(session) is cancelled") }
            // The plan's rules, with the session at its new time among the others still held.
            var sessions = try repository.publishedSessions(month: key, db).filter { $0.cancelledAt == nil }.map(\.session)
            for i in sessions.indices where sessions[i].id == session { sessions[i].time = time }
            let trainers = try repository.catalogue.trainers(from: month.startMinute, db)
            let violations = MonthlyPlan.violations(
                sessions: sessions, catalogue: try repository.catalogue.courses(db), trainers: trainers,
                rooms: try repository.catalogue.rooms(db), courseware: try repository.catalogue.courseware(db), timeText: month.text)
            if !violations.isEmpty { throw PlanRejected(violations: violations) }
            let changes = EnrolmentRepository.SessionChanges(moved: [session: found.session.time])
            return try change(month, session: session, course: found.session.course, settings: settings, changes: changes, now: now, db) {
                try repository.move(month: key, session: session, to: time, db)
            }
        }
    }

    /// Applies a change to a session, places the month again, and says what happened to the
    /// session's participants.
    private func change(
        _ month: PlanningMonth, session: SessionID, course: CourseID, settings: SchedulingSettings,
        changes: EnrolmentRepository.SessionChanges, now: Int64, _ db: SQLiteConnection, _ apply: () throws -> Void
    ) throws -> SessionChangeResponse {
        let key = month.description
        let before = try repository.enrolments(month: key, session: session, db).map(\.agent)
        try apply()
        guard try repository.run(month: key, db) != nil else {
            // No enrolment yet: nobody to move.
            return SessionChangeResponse()
        }
        let run = try repository.place(month: month, standings: nil, settings: settings, now: now, changes: changes, db).run
        var response = SessionChangeResponse(summary: run.wire)
        for agent in before.sorted() {
            let seat = try repository.enrolments(month: key, agent: agent, db).first { $0.course == course }
            switch seat?.session {
            case session?: response.keptAgentIds.append(agent.rawValue)
            case nil: response.unplacedAgentIds.append(agent.rawValue)
            default: response.replacedAgentIds.append(agent.rawValue)
            }
        }
        return response
    }

    // MARK: What-if

    func whatIf(_ request: WhatIfRequest, _ context: CallContext) async throws -> WhatIfResponse {
        var problems: [FieldViolation] = []
        if !request.sessionId.isEmpty { problems += FieldRules.identifier(request.sessionId, "session_id") }
        var start: LocalDateTime?, end: LocalDateTime?
        if !request.start.isEmpty || !request.end.isEmpty || request.sessionId.isEmpty {
            start = LocalDateTime(request.start)
            end = LocalDateTime(request.end)
            if start == nil { problems.append(FieldViolation(subject: "start", description: "must be a local date-time YYYY-MM-DDTHH:MM (or give session_id)")) }
            if end == nil { problems.append(FieldViolation(subject: "end", description: "must be a local date-time YYYY-MM-DDTHH:MM (or give session_id)")) }
            if let start, let end, end.minutes <= start.minutes { problems.append(FieldViolation(subject: "end", description: "must be after start")) }
        }
        if request.agentIds.isEmpty || request.agentIds.count > 1000 {
            problems.append(FieldViolation(subject: "agent_ids", description: "must hold 1 to 1000 agents (it holds \(request.agentIds.count))"))
        }
        for (i, agent) in request.agentIds.enumerated() { problems += FieldRules.identifier(agent, "agent_ids[\(i)]") }
        let month = try SchedulingHandlers.month(request.month, plus: problems)
        let candidates = request.agentIds.map { AgentID($0) }
        let policy = settings.placement
        let given: MinuteRange? = if let start, let end {
            MinuteRange(start: start.minutes - month.startMinute, end: end.minutes - month.startMinute)
        } else { nil }
        return try await database.read(context) { db in
            let key = month.description
            _ = try requireRun(month, db)
            var range = try given ?? requireSession(month, SessionID(request.sessionId), db).session.time
            let agents = try repository.agents(month: key, db)
            let known = Set(agents.map(\.id))
            for (i, agent) in candidates.enumerated() where !known.contains(agent) {
                throw SchedulingCallError.notFound("agent_ids[\(i)]: agent \(agent) is not in the enrolment of \(month)")
            }
            let input = try repository.placementInput(month: key, agents: agents, policy: policy, db)
            var coverage = try FloorCoverage(
                agents: agents, shifts: input.shifts, forecasts: input.forecasts, maximumTeamShareOffFloor: policy.maximumTeamShareOffFloor)
            if range.start < 0 { range = MinuteRange(start: 0, end: max(0, range.end)) }
            // A candidate already in training at that time counts once: as if they moved to
            // the candidate session (e.g. a participant of the session itself).
            let moving = Set(candidates)
            for seat in try repository.enrolments(month: key, db) where !(moving.contains(seat.agent) && seat.time.overlaps(range)) {
                coverage.take(seat.agent, during: seat.time)
            }
            let outlook = coverage.outlook(taking: candidates, during: range)
            return WhatIfResponse(keepsCoverage: outlook.allSatisfy(\.keepsCoverage), intervals: outlook.map { $0.wire(month: month) })
        }
    }
}
