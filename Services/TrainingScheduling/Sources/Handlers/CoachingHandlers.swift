import CalendarDates
import Foundation
import RPCRuntime
import SQLiteStorage
import ServiceKit
import TrainingWire

/// Coaching work (专项辅导): problem summaries, staged plans and one-to-one coaching requests
/// from the request to the review's close.
///
/// Why one set of handlers for three kinds of record: they are the three steps of the same
/// workflow (seed 003: summary → staged plan; seed 000: request → plan → delivery) and share
/// their inputs: the coaching-tier agents of the intake's close, the center's date, and the
/// floor that one-to-one sessions take agents from. Each mutation runs in one transaction
/// with its idempotency key; a delivery writes its `CoachingDelivered` event in that same
/// transaction, so the event exists exactly when the delivery does.
struct CoachingHandlers: Sendable {
    let database: SQLiteDatabase
    let clock: ServiceClock
    let settings: SchedulingSettings
    let outbox: EventOutbox
    let repository: CoachingRepository
    let enrolment = EnrolmentRepository()

    static let maximumSummary = 4_000

    init(database: SQLiteDatabase, clock: ServiceClock, settings: SchedulingSettings, outbox: EventOutbox) {
        self.database = database
        self.clock = clock
        self.settings = settings
        self.outbox = outbox
        self.repository = CoachingRepository(settings: settings)
    }

    var now: Int64 { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }

    func register(in router: inout RPCRouter) {
        router.registerAsync(TrainingSchedulingMethods.submitProblemSummary, handler: submitProblemSummary)
        router.registerAsync(TrainingSchedulingMethods.listProblemSummaries, handler: listProblemSummaries)
        router.registerAsync(TrainingSchedulingMethods.putCoachingPlan, handler: putCoachingPlan)
        router.registerAsync(TrainingSchedulingMethods.getCoachingPlan, handler: getCoachingPlan)
        router.registerAsync(TrainingSchedulingMethods.requestCoaching, handler: requestCoaching)
        router.registerAsync(TrainingSchedulingMethods.planCoaching, handler: planCoaching)
        router.registerAsync(TrainingSchedulingMethods.deliverCoaching, handler: deliverCoaching)
        router.registerAsync(TrainingSchedulingMethods.closeCoaching, handler: closeCoaching)
        router.registerAsync(TrainingSchedulingMethods.cancelCoaching, handler: cancelCoaching)
        router.registerAsync(TrainingSchedulingMethods.listCoachingRequests, handler: listCoachingRequests)
    }

    private static func requireValid(_ problems: [FieldViolation]) throws(SchedulingCallError) {
        guard problems.isEmpty else { throw .invalid(problems) }
    }

    // MARK: Problem summaries

    /// The agent as a coaching-tier agent of the month's closed tiers, else NOT_FOUND ("agent_id").
    private func requireCoachingTier(_ month: PlanningMonth, _ agent: AgentID, _ db: SQLiteConnection) throws -> CoachingTierAgent {
        guard let tier = try repository.coachingTier(month, agent: agent, db) else {
            throw CoachingNotFound("agent_id", "no closed tiers for \(month): \(month.month.previous) is not closed")
        }
        guard let found = tier.first else {
            throw CoachingNotFound("agent_id", "agent \(agent) is not coaching tier in the closed tiers of \(month.month.previous)")
        }
        return found
    }

    func submitProblemSummary(_ request: SubmitProblemSummaryRequest, _ context: CallContext) async throws -> TrainingWire.ProblemSummary {
        var problems = FieldRules.identifier(request.agentId, "agent_id") + FieldRules.identifier(request.teamLeaderId, "team_leader_id")
        problems += CoachingText.violations(request.summary, "summary", maximum: Self.maximumSummary)
        problems += CoachingText.violations(request.suggestion, "suggestion", maximum: Self.maximumSummary)
        let month = try SchedulingHandlers.month(request.month, plus: problems)
        let agent = AgentID(request.agentId)
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            let tiered = try requireCoachingTier(month, agent, db)
            let stored = try repository.submitSummary(
                month: month.description, agent: agent, teamLeader: request.teamLeaderId, summary: request.summary,
                suggestion: request.suggestion, now: now, db)
            return Self.wire(month: month, tiered, stored)
        }
    }

    func listProblemSummaries(_ request: ListProblemSummariesRequest, _ context: CallContext) async throws -> ProblemSummaryList {
        let month = try SchedulingHandlers.month(request.month, plus: request.teamId.isEmpty ? [] : FieldRules.identifier(request.teamId, "team_id"))
        return try await database.read(context) { db in
            guard let tier = try repository.coachingTier(month, db) else {
                throw SchedulingCallError.notFound("no closed tiers for \(month): \(month.month.previous) is not closed")
            }
            let summaries = try repository.summaries(month: month.description, db)
            return ProblemSummaryList(summaries: tier.filter { request.teamId.isEmpty || $0.team == request.teamId }.map {
                Self.wire(month: month, $0, summaries[$0.agent])
            })
        }
    }

    static func wire(month: PlanningMonth, _ tiered: CoachingTierAgent, _ stored: StoredProblemSummary?) -> TrainingWire.ProblemSummary {
        let state: ProblemSummaryState = if let due = tiered.due {
            ProblemSummaryState(firstSubmittedOn: stored?.firstSubmittedOn, due: due)
        } else {
            stored == nil ? .missing : .onTime  // a close without a due date: nothing can be late
        }
        return TrainingWire.ProblemSummary(
            month: month.description, agentId: tiered.agent.rawValue, teamId: tiered.team, teamLeaderId: stored?.teamLeader ?? tiered.teamLeader,
            dueDate: tiered.dueText, state: TrainingWire.ProblemSummaryState(rawValue: Int32(state.rawValue)) ?? .unspecified,
            summary: stored?.summary ?? "", suggestion: stored?.suggestion ?? "", firstSubmittedAtUnixMs: stored?.firstSubmittedAt ?? 0,
            updatedAtUnixMs: stored?.updatedAt ?? 0)
    }

    // MARK: Staged plans

    func putCoachingPlan(_ request: PutCoachingPlanRequest, _ context: CallContext) async throws -> TrainingWire.CoachingPlan {
        var problems = FieldRules.identifier(request.agentId, "agent_id") + FieldRules.identifier(request.supervisorId, "supervisor_id")
        var stages: [CoachingStage] = []
        do {
            stages = try CoachingStage.stages(request.stages.map {
                CoachingStage.Draft(title: $0.title, startDate: $0.startDate, endDate: $0.endDate, checks: $0.checks)
            })
        } catch {
            if case .invalid(let found) = error { problems += found }
        }
        let month = try SchedulingHandlers.month(request.month, plus: problems)
        let agent = AgentID(request.agentId)
        let now = self.now, planned = stages
        return try await database.idempotentWrite(context, now: now) { db in
            _ = try requireCoachingTier(month, agent, db)
            return try repository.putPlan(month: month.description, agent: agent, supervisor: request.supervisorId, stages: planned, now: now, db).wire
        }
    }

    func getCoachingPlan(_ request: GetCoachingPlanRequest, _ context: CallContext) async throws -> TrainingWire.CoachingPlan {
        let month = try SchedulingHandlers.month(request.month, plus: FieldRules.identifier(request.agentId, "agent_id"))
        let agent = AgentID(request.agentId)
        let plan = try await database.read(context) { db in try repository.plan(month: month.description, agent: agent, db) }
        guard let plan else { throw SchedulingCallError.notFound("agent \(agent) has no staged coaching plan for \(month)") }
        return plan.wire
    }

    // MARK: Coaching requests

    func requestCoaching(_ request: RequestCoachingRequest, _ context: CallContext) async throws -> TrainingWire.CoachingRequest {
        var problems = FieldRules.identifier(request.agentId, "agent_id") + FieldRules.identifier(request.teamLeaderId, "team_leader_id")
        problems += CoachingText.violations(request.problem, "problem", maximum: CoachingRequest.maximumProblem)
        problems += FieldRules.identifier(request.metricId, "metric_id")
        if request.evidence.count > CoachingRequest.maximumEvidence {
            problems.append(FieldViolation(subject: "evidence", description: "must hold at most \(CoachingRequest.maximumEvidence) ids (it holds \(request.evidence.count))"))
        } else {
            for (i, item) in request.evidence.enumerated() { problems += FieldRules.identifier(item, "evidence[\(i)]") }
        }
        let priority = CoachingRequest.Priority(rawValue: Int(request.priority.rawValue))
        if priority == nil { problems.append(FieldViolation(subject: "priority", description: "is required")) }
        try Self.requireValid(problems)
        guard let priority else { throw SchedulingCallError.invalid("priority", "is required") }
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            try repository.createTeamLeadersRequest(
                agent: AgentID(request.agentId), teamLeader: request.teamLeaderId, problem: request.problem, metric: request.metricId,
                evidence: request.evidence, priority: priority, now: now, db
            ).wire(today: repository.today(now))
        }
    }

    private func requireRequest(_ id: CoachingRequestID, _ db: SQLiteConnection) throws -> CoachingRequest {
        guard let found = try repository.request(id, db) else { throw CoachingNotFound("request_id", "no coaching request \(id)") }
        return found
    }

    func planCoaching(_ request: PlanCoachingRequest, _ context: CallContext) async throws -> TrainingWire.CoachingRequest {
        var problems = FieldRules.identifier(request.requestId, "request_id") + FieldRules.identifier(request.trainerId, "trainer_id")
        let method = CourseMethod(rawValue: Int(request.method.rawValue))
        if method == nil { problems.append(FieldViolation(subject: "method", description: "is required")) }
        var sessions: [MinuteRange] = []
        for (i, range) in request.sessions.enumerated() {
            let start = LocalDateTime(range.start), end = LocalDateTime(range.end)
            if start == nil { problems.append(FieldViolation(subject: "sessions[\(i)].start", description: "must be a local date-time YYYY-MM-DDTHH:MM")) }
            if end == nil { problems.append(FieldViolation(subject: "sessions[\(i)].end", description: "must be a local date-time YYYY-MM-DDTHH:MM")) }
            if let start, let end { sessions.append(MinuteRange(start: start.minutes, end: end.minutes)) }
        }
        // Session indexes only match the request when every range parsed.
        if sessions.count == request.sessions.count { problems += CoachingSessions.violations(sessions) }
        try Self.requireValid(problems)
        guard let method else { throw SchedulingCallError.invalid("method", "is required") }
        let id = CoachingRequestID(request.requestId), trainer = TrainerID(request.trainerId)
        let now = self.now, planned = sessions
        return try await database.idempotentWrite(context, now: now) { db in
            var coaching = try requireRequest(id, db)
            _ = try coaching.state.after(.plan)  // the state first: a delivered request is not asked about shifts
            let refusals = try floorRefusals(coaching, sessions: planned, db)
            guard refusals.isEmpty else { throw SchedulingCallError.precondition(refusals) }
            try coaching.plan(trainer: trainer, method: method, sessions: planned, at: now)
            try repository.save(coaching, db)
            return coaching.wire(today: repository.today(now))
        }
    }

    /// For each session (local minutes since 1970) that the floor cannot spare the agent for:
    /// "sessions[i]" and why. Each month's floor is built once, as what-if builds it: the
    /// month's enrolled agents, shifts and forecasts, every stored seat and every other
    /// planned coaching session taken. An agent in no enrolment of the month is checked
    /// against their shifts only.
    private func floorRefusals(_ coaching: CoachingRequest, sessions: [MinuteRange], _ db: SQLiteConnection) throws -> [FieldViolation] {
        var floors: [YearMonth: (PlanningMonth, CoachingSessions.Floor)] = [:]
        var refusals: [FieldViolation] = []
        for (i, session) in sessions.enumerated() {
            let (yearMonth, _) = CoachingSessions.monthStart(of: session.start)
            let entry: (PlanningMonth, CoachingSessions.Floor)
            if let built = floors[yearMonth] {
                entry = built
            } else {
                guard let month = PlanningMonth(yearMonth.description) else { continue }
                entry = (month, try floor(of: coaching, in: month, db))
                floors[yearMonth] = entry
            }
            let (month, floor) = entry
            let range = MinuteRange(start: session.start - month.startMinute, end: session.end - month.startMinute)
            if let refusal = CoachingSessions.refusal(agent: coaching.agent, session: range, floor: floor) {
                refusals.append(FieldViolation(subject: "sessions[\(i)]", description: Self.explain(refusal, agent: coaching.agent, range: range, month: month)))
            }
        }
        return refusals
    }

    private func floor(of coaching: CoachingRequest, in month: PlanningMonth, _ db: SQLiteConnection) throws -> CoachingSessions.Floor {
        let key = month.description
        let agent = coaching.agent
        let relative = { (time: MinuteRange) in MinuteRange(start: time.start - month.startMinute, end: time.end - month.startMinute) }
        let others = try repository.plannedSessions(from: month.startMinute, to: month.endMinute, excluding: coaching.id, db)
        var busy: [(what: String, time: MinuteRange)] = others.filter { $0.agent == agent }.map { ("coaching \($0.request)", relative($0.time)) }
        var coverage: FloorCoverage?
        let agents = try enrolment.agents(month: key, db)
        if agents.contains(where: { $0.id == agent }) {
            let policy = settings.placement
            let input = try enrolment.placementInput(month: key, agents: agents, policy: policy, db)
            var floor = try FloorCoverage(
                agents: agents, shifts: input.shifts, forecasts: input.forecasts, maximumTeamShareOffFloor: policy.maximumTeamShareOffFloor)
            for seat in try enrolment.enrolments(month: key, db) {
                floor.take(seat.agent, during: seat.time)
                if seat.agent == agent { busy.append(("training session \(seat.session)", seat.time)) }
            }
            for other in others where other.agent != agent { floor.take(other.agent, during: relative(other.time)) }
            coverage = floor
        }
        return CoachingSessions.Floor(
            shifts: try repository.shifts(month: key, agent: agent, db), allowsOffShift: settings.placement.allowsOffShiftTraining,
            coverage: coverage, busy: busy)
    }

    static func explain(_ refusal: CoachingSessions.Refusal, agent: AgentID, range: MinuteRange, month: PlanningMonth) -> String {
        switch refusal {
        case .outsideShifts:
            return "\(month.text(range)) is outside agent \(agent)'s shifts"
        case .busy(let what, let time):
            return "agent \(agent) is in \(what) then (\(month.text(time)))"
        case .coverage(let short?):
            let at = month.local(short.interval.range.start)
            switch short.scope {
            case let .queue(queue, onFloor, required, _):
                return "taking agent \(agent) off the floor at \(at) would leave queue \(queue) with \(max(0, onFloor)) agents, \(required) needed"
            case let .team(team, onShift, inTraining, allowed):
                return "taking agent \(agent) off the floor at \(at) would put \(inTraining) of team \(team)'s \(onShift) agents on shift in training, \(allowed) allowed"
            }
        case .coverage(nil):
            return "taking agent \(agent) off the floor during \(month.text(range)) would break a queue's or team's coverage"
        }
    }

    func deliverCoaching(_ request: DeliverCoachingRequest, _ context: CallContext) async throws -> TrainingWire.CoachingRequest {
        var problems = FieldRules.identifier(request.requestId, "request_id") + FieldRules.identifier(request.deliveredBy, "delivered_by")
        problems += CoachingText.violations(request.notes, "notes", maximum: CoachingRequest.maximumNotes, required: false)
        try Self.requireValid(problems)
        let id = CoachingRequestID(request.requestId)
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            var coaching = try requireRequest(id, db)
            let today = repository.today(now)
            try coaching.deliver(by: request.deliveredBy, on: today, at: now, notes: request.notes)
            try repository.save(coaching, db)
            try outbox.append(
                CoachingDelivered(
                    coachingId: coaching.id.rawValue, requestId: coaching.fromReview ? coaching.id.rawValue : "", agentId: coaching.agent.rawValue,
                    coachId: request.deliveredBy, metricId: coaching.metric, deliveredOn: today.description),
                subject: coaching.agent.rawValue, occurredAt: now, db)
            return coaching.wire(today: today)
        }
    }

    func closeCoaching(_ request: CloseCoachingRequest, _ context: CallContext) async throws -> TrainingWire.CoachingRequest {
        var problems = FieldRules.identifier(request.requestId, "request_id") + FieldRules.identifier(request.closedBy, "closed_by")
        problems += CoachingText.violations(request.outcome, "outcome", maximum: CoachingRequest.maximumReason)
        try Self.requireValid(problems)
        return try await step(CoachingRequestID(request.requestId), .close, by: request.closedBy, note: request.outcome, context)
    }

    func cancelCoaching(_ request: CancelCoachingRequest, _ context: CallContext) async throws -> TrainingWire.CoachingRequest {
        var problems = FieldRules.identifier(request.requestId, "request_id") + FieldRules.identifier(request.cancelledBy, "cancelled_by")
        problems += CoachingText.violations(request.reason, "reason", maximum: CoachingRequest.maximumReason)
        try Self.requireValid(problems)
        return try await step(CoachingRequestID(request.requestId), .cancel, by: request.cancelledBy, note: request.reason, context)
    }

    /// A step that changes only the state and the history (close, cancel).
    private func step(
        _ id: CoachingRequestID, _ action: CoachingRequest.Action, by: String, note: String, _ context: CallContext
    ) async throws -> TrainingWire.CoachingRequest {
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            var coaching = try requireRequest(id, db)
            try coaching.apply(action, by: by, at: now, note: note)
            try repository.save(coaching, db)
            return coaching.wire(today: repository.today(now))
        }
    }

    func listCoachingRequests(_ request: ListCoachingRequestsRequest, _ context: CallContext) async throws -> CoachingRequestList {
        try Self.requireValid(request.agentId.isEmpty ? [] : FieldRules.identifier(request.agentId, "agent_id"))
        let state = CoachingRequest.State(rawValue: Int(request.state.rawValue))
        let agent = request.agentId.isEmpty ? nil : AgentID(request.agentId)
        let today = repository.today(now)
        let found = try await database.read(context) { db in try repository.requests(state: state, agent: agent, db) }
        return CoachingRequestList(requests: found.filter { !request.overdueOnly || $0.isOverdue(today: today) }.map { $0.wire(today: today) })
    }
}

/// NOT_FOUND naming the field whose value names nothing.
///
/// Why not `SchedulingCallError.notFound`: the contract names a subject for these
/// ("agent_id", "request_id") so that a client can point at the field; that case carries
/// only a message.
struct CoachingNotFound: Error, Hashable, Sendable, RPCErrorConvertible {
    let subject: String
    let message: String

    init(_ subject: String, _ message: String) {
        self.subject = subject
        self.message = message
    }

    var rpcError: RPCError {
        RPCError(.notFound, "\(subject): \(message)", violations: [Violation(subject: subject, description: message)])
    }
}

/// Invalid input is INVALID_ARGUMENT; an action the request's state forbids is
/// FAILED_PRECONDITION naming "request_id".
extension CoachingError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .invalid(let violations):
            RPCError(.invalidArgument, violations.map(\.wireText).joined(separator: "; "), violations: violations.map(\.wire))
        case .refused:
            RPCError.failedPrecondition("request_id", description)
        }
    }
}

// MARK: - Wire

extension StoredCoachingPlan {
    var wire: TrainingWire.CoachingPlan {
        TrainingWire.CoachingPlan(
            month: month, agentId: agent.rawValue, supervisorId: supervisor,
            stages: stages.map {
                TrainingWire.CoachingStage(title: $0.title, startDate: $0.start.description, endDate: $0.end.description, checks: $0.checks)
            },
            version: UInt32(clamping: version), updatedAtUnixMs: updatedAt)
    }
}

extension CoachingRequest {
    /// The request on the wire; overdue as of the center's date `today`.
    func wire(today: LocalDate) -> TrainingWire.CoachingRequest {
        TrainingWire.CoachingRequest(
            requestId: id.rawValue, agentId: agent.rawValue, teamLeaderId: teamLeader, problem: problem, metricId: metric, evidence: evidence,
            priority: TrainingWire.CoachingPriority(rawValue: Int32(priority.rawValue)) ?? .unspecified,
            state: state.wire, fromReview: fromReview, attempt: UInt32(clamping: attempt), trainerId: trainer?.rawValue ?? "",
            method: method.flatMap { TrainingWire.CourseMethod(rawValue: Int32($0.rawValue)) } ?? .unspecified,
            sessions: sessions.map {
                LocalTimeRange(start: LocalDateTime(minutes: $0.start).description, end: LocalDateTime(minutes: $0.end).description)
            },
            planDueOn: planDueOn.description, overdue: isOverdue(today: today),
            history: history.map { CoachingStep(state: $0.state.wire, by: $0.by, atUnixMs: $0.at, note: $0.note) })
    }
}

extension CoachingRequest.State {
    var wire: TrainingWire.CoachingRequestState {
        TrainingWire.CoachingRequestState(rawValue: Int32(rawValue)) ?? .unspecified
    }
}
