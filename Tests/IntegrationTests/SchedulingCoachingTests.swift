import Foundation
import RPCRuntime
import SQLiteStorage
import TestSupport
import Testing
import TrainingWire

/// Coaching work with real processes: the intake closes November and scheduling learns
/// December's coaching-tier agents from its event; team leaders' summaries are on time or
/// late by the service clock in the center's zone; coaching requests go from request to
/// delivery, the delivery reaching the review service as one `CoachingDelivered`; the
/// review's `CoachingRequested` becomes a request.
@Suite("Scheduling: coaching work", .serialized)
struct SchedulingCoachingTests {
    static let zone = ["TRAINING_SCHEDULING_TIME_ZONE": "Asia/Shanghai"]

    static func expectStatus<T>(_ code: StatusCode, _ body: () async throws -> T) async throws -> RPCError? {
        try await SchedulingPlanTests.expectStatus(code, body)
    }

    /// The scheduling service on `DIR/t.sock` and `DIR/training-scheduling.sqlite`, with its clock
    /// starting at `clock` in Shanghai; the same directory again is the same database.
    static func startScheduling(_ directory: TemporaryDirectory, clock: String, arguments: [String] = []) async throws -> (ServiceProcess, RPCClient) {
        let process = try ServiceProcess(
            "training-scheduling", in: directory, socketName: "t", arguments: ["--clock-start", clock] + arguments, environment: zone)
        try await process.waitUntilServing()
        return (process, try await RPCClient.connect(socketPath: process.socketPath, caller: "team-leader"))
    }

    /// The intake, its events going to scheduling, with the test calendar, scorecard and a
    /// roster of a1-a3 (team t1, lead-t1) and a4 (team t2, lead-t2) serving queue "retail".
    static func startIntake(_ directory: TemporaryDirectory, clock: String) async throws -> (ServiceProcess, RPCClient) {
        let intake = try ServiceProcess(
            "scoring-intake", in: directory, socketName: "i",
            arguments: ["--clock-start", clock, "--consumer", "training-scheduling=\(directory.file("t.sock"))"])
        try await intake.waitUntilServing()
        let qa = try await RPCClient.connect(socketPath: intake.socketPath, caller: "qa-export")
        let flow = IntakeFlowTests.Center(directory: directory, process: intake, client: qa)
        try await flow.seed()
        let roster = [("a1", "t1"), ("a2", "t1"), ("a3", "t1"), ("a4", "t2")].map { id, team in
            var entry = flow.entry(id, team: team)
            entry.queue = "retail"
            return entry
        }
        _ = try await qa.call(ScoringIntakeMethods.upsertRoster, UpsertRosterRequest(agents: roster))
        return (intake, qa)
    }

    /// November's scores (a1 advanced; a2, a3 and a4 coaching), then the close.
    static func closeNovember(_ qa: RPCClient) async throws {
        var evaluations: [Evaluation] = []
        for (agent, total) in [("a1", 97.0), ("a2", 80.0), ("a3", 78.0), ("a4", 82.0)] {
            evaluations += (0..<4).map { index in
                IntakeFlowTests.evaluation("\(agent)-nov-\(index)", agent: agent, at: "2026-11-0\(2 + index)T10:00:00", total: total)
            }
        }
        let stored = try await qa.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: evaluations))
        #expect(stored.accepted == 16)
        _ = try await qa.call(ScoringIntakeMethods.closeMonth, CloseMonthRequest(month: "2026-11", force: true))
    }

    /// December's summaries once November's close has reached scheduling.
    static func waitForCoachingTier(_ planner: RPCClient) async throws -> ProblemSummaryList {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let list = try? await planner.call(TrainingSchedulingMethods.listProblemSummaries, ListProblemSummariesRequest(month: "2026-12")) {
                return list
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("November's close did not reach the scheduling service")
        return ProblemSummaryList()
    }

    static func summary(_ agent: String, by leader: String = "lead-t1", text: String = "Skips the greeting script") -> SubmitProblemSummaryRequest {
        SubmitProblemSummaryRequest(
            month: "2026-12", agentId: agent, teamLeaderId: leader, summary: "\(text)\non 6 of 10 calls", suggestion: "Recording review, then drills")
    }

    static func shifts(_ agents: [String]) -> PutShiftsRequest {
        PutShiftsRequest(month: "2026-12", agents: agents.map { agent in
            AgentShifts(agentId: agent, shifts: (1...4).map { LocalTimeRange(start: "2026-12-0\($0)T09:00", end: "2026-12-0\($0)T18:00") })
        })
    }

    static func ask(_ agent: String, metric: String = "phrasing") -> RequestCoachingRequest {
        RequestCoachingRequest(
            agentId: agent, teamLeaderId: "lead-t1", problem: "Skips the greeting script", metricId: metric, evidence: ["ev-1", "call-9"],
            priority: .high)
    }

    static func plan(_ id: String, _ sessions: [(String, String)], trainer: String = "T1") -> PlanCoachingRequest {
        PlanCoachingRequest(
            requestId: id, trainerId: trainer, method: .recordingReview, sessions: sessions.map { LocalTimeRange(start: $0.0, end: $0.1) })
    }

    /// Rows of `sql` in another process's database, read-only (0 while the table is missing).
    static func count(_ database: String, _ sql: String, _ values: [SQLValue] = []) -> Int {
        guard FileManager.default.fileExists(atPath: database),
              let connection = try? SQLiteConnection(path: database, readOnly: true) else { return 0 }
        defer { try? connection.close() }
        return (try? connection.query(sql, values) { $0.int(at: 0) })?.first ?? 0
    }

    /// The CoachingDelivered events in scheduling's outbox, decoded.
    static func deliveredEvents(_ database: String) throws -> [(subject: String, event: CoachingDelivered)] {
        let connection = try SQLiteConnection(path: database, readOnly: true)
        defer { try? connection.close() }
        return try connection.query(
            "SELECT subject, payload FROM outbox_events WHERE type = ? ORDER BY sequence", [.text(CoachingDelivered.protoName)]
        ) { ($0.text(at: 0), $0.blob(at: 1)) }.map { ($0.0, try CoachingDelivered(serializedBytes: $0.1)) }
    }

    // MARK: Problem summaries and staged plans

    @Test("problem summaries of the coaching tier: on time by the due date, late after it (center's date), missing while none; staged plans")
    func problemSummaries() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var (scheduling, planner) = try await Self.startScheduling(directory, clock: "2026-12-03T10:00:00+08:00")
        let (intake, qa) = try await Self.startIntake(directory, clock: "2026-12-03T10:00:00+08:00")

        let notClosed = try await Self.expectStatus(.notFound) {
            try await planner.call(TrainingSchedulingMethods.listProblemSummaries, ListProblemSummariesRequest(month: "2026-12"))
        }
        #expect(notClosed?.message.contains("2026-11 is not closed") == true)
        try await Self.closeNovember(qa)
        let before = try await Self.waitForCoachingTier(planner)
        #expect(before.summaries.map(\.agentId) == ["a2", "a3", "a4"])
        #expect(before.summaries.allSatisfy { $0.state == .problemSummaryMissing && $0.dueDate == "2026-12-04" && $0.firstSubmittedAtUnixMs == 0 })
        #expect(before.summaries.map(\.teamLeaderId) == ["lead-t1", "lead-t1", "lead-t2"])
        #expect(before.summaries.map(\.teamId) == ["t1", "t1", "t2"])

        // Thursday December 3: a2's summary is on time.
        let onTime = try await planner.call(TrainingSchedulingMethods.submitProblemSummary, Self.summary("a2"))
        #expect(onTime.state == .problemSummaryOnTime && onTime.dueDate == "2026-12-04" && onTime.firstSubmittedAtUnixMs > 0)
        #expect(onTime.summary.hasSuffix("on 6 of 10 calls") && onTime.teamLeaderId == "lead-t1" && onTime.teamId == "t1")
        let advanced = try await Self.expectStatus(.notFound) {
            try await planner.call(TrainingSchedulingMethods.submitProblemSummary, Self.summary("a1"))
        }
        #expect(advanced?.violations.map(\.subject) == ["agent_id"])
        let malformed = try await Self.expectStatus(.invalidArgument) {
            try await planner.call(TrainingSchedulingMethods.submitProblemSummary, SubmitProblemSummaryRequest(month: "Dec", agentId: "a2", teamLeaderId: "lead-t1", suggestion: "x"))
        }
        #expect(malformed?.violations.map(\.subject) == ["month", "summary"])

        // The supervisor's staged plan: replaced as a whole, version + 1.
        let stages = [
            CoachingStage(title: "Week 1: greeting script", startDate: "2026-12-07", endDate: "2026-12-11", checks: "10 calls: greeting within 5 s"),
            CoachingStage(title: "Week 2: warmth", startDate: "2026-12-14", endDate: "2026-12-18", checks: "Warmth line ≥ 40 on 10 calls"),
        ]
        let first = try await planner.call(TrainingSchedulingMethods.putCoachingPlan, PutCoachingPlanRequest(month: "2026-12", agentId: "a3", supervisorId: "sup-1", stages: stages))
        #expect(first.version == 1 && first.stages == stages)
        let second = try await planner.call(TrainingSchedulingMethods.putCoachingPlan, PutCoachingPlanRequest(month: "2026-12", agentId: "a3", supervisorId: "sup-2", stages: Array(stages.prefix(1))))
        #expect(second.version == 2 && second.stages.count == 1 && second.supervisorId == "sup-2")
        let read = try await planner.call(TrainingSchedulingMethods.getCoachingPlan, GetCoachingPlanRequest(month: "2026-12", agentId: "a3"))
        #expect(read == second)
        var overlapping = stages
        overlapping[1].startDate = "2026-12-11"
        let overlap = try await Self.expectStatus(.invalidArgument) {
            try await planner.call(TrainingSchedulingMethods.putCoachingPlan, PutCoachingPlanRequest(month: "2026-12", agentId: "a3", supervisorId: "sup-1", stages: overlapping))
        }
        #expect(overlap?.violations.map(\.subject) == ["stages[1].start_date"])
        _ = try await Self.expectStatus(.notFound) {
            try await planner.call(TrainingSchedulingMethods.putCoachingPlan, PutCoachingPlanRequest(month: "2026-12", agentId: "a1", supervisorId: "sup-1", stages: stages))
        }
        _ = try await Self.expectStatus(.notFound) {
            try await planner.call(TrainingSchedulingMethods.getCoachingPlan, GetCoachingPlanRequest(month: "2026-12", agentId: "a2"))
        }

        // Saturday December 5, 01:00 in Shanghai (still Friday the 4th in UTC): a3's first summary is late.
        await planner.close()
        #expect(try await scheduling.stop() == 0)
        (scheduling, planner) = try await Self.startScheduling(directory, clock: "2026-12-05T01:00:00+08:00")
        let late = try await planner.call(TrainingSchedulingMethods.submitProblemSummary, Self.summary("a3"))
        #expect(late.state == .problemSummaryLate)
        // Rewriting a2's keeps it on time: the first submission decides.
        let rewritten = try await planner.call(TrainingSchedulingMethods.submitProblemSummary, Self.summary("a2", text: "Rushes the close"))
        #expect(rewritten.state == .problemSummaryOnTime && rewritten.firstSubmittedAtUnixMs == onTime.firstSubmittedAtUnixMs)
        #expect(rewritten.updatedAtUnixMs > onTime.updatedAtUnixMs && rewritten.summary.hasPrefix("Rushes the close"))
        let after = try await planner.call(TrainingSchedulingMethods.listProblemSummaries, ListProblemSummariesRequest(month: "2026-12"))
        #expect(after.summaries.map(\.agentId) == ["a2", "a3", "a4"])
        #expect(after.summaries.map(\.state) == [.problemSummaryOnTime, .problemSummaryLate, .problemSummaryMissing])
        let team = try await planner.call(TrainingSchedulingMethods.listProblemSummaries, ListProblemSummariesRequest(month: "2026-12", teamId: "t2"))
        #expect(team.summaries.map(\.agentId) == ["a4"] && team.summaries.first?.summary == "")

        await planner.close()
        await qa.close()
        for process in [scheduling, intake] { #expect(try await process.stop() == 0) }
    }

    // MARK: Requests: overdue, shifts

    @Test("a request not planned within its working days is overdue; a plan outside the agent's shifts is refused naming the session")
    func overdueAndShifts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Friday November 27: plans are due three working days later, Wednesday December 2.
        var (scheduling, client) = try await Self.startScheduling(directory, clock: "2026-11-27T16:00:00+08:00")
        let c1 = try await client.call(TrainingSchedulingMethods.requestCoaching, Self.ask("a3"))
        #expect(c1.requestId == "c-1" && c1.state == .coachingRequested && c1.planDueOn == "2026-12-02" && !c1.overdue)
        #expect(c1.priority == .high && c1.evidence == ["ev-1", "call-9"] && !c1.fromReview)
        #expect(c1.history.map(\.state) == [.coachingRequested] && c1.history.first?.by == "lead-t1")
        let c2 = try await client.call(TrainingSchedulingMethods.requestCoaching, Self.ask("a2", metric: "warmth"))
        #expect(c2.requestId == "c-2")
        var bad = Self.ask("a3")
        bad.priority = .unspecified
        bad.evidence = ["ok", ""]
        let invalid = try await Self.expectStatus(.invalidArgument) { try await client.call(TrainingSchedulingMethods.requestCoaching, bad) }
        #expect(invalid?.violations.map(\.subject) == ["evidence[1]", "priority"])

        let stored = try await client.call(TrainingSchedulingMethods.putShifts, Self.shifts(["a2", "a3"]))
        #expect(stored.accepted == 2)
        // Saturday December 5 is not a shift of a3's: the plan is refused, naming the session.
        let refused = try await Self.expectStatus(.failedPrecondition) {
            try await client.call(TrainingSchedulingMethods.planCoaching, Self.plan("c-1", [
                ("2026-12-02T10:00", "2026-12-02T11:00"), ("2026-12-05T10:00", "2026-12-05T11:00"),
            ]))
        }
        #expect(refused?.violations.map(\.subject) == ["sessions[1]"])
        #expect(refused?.violations.first?.description == "2026-12-05T10:00 to 2026-12-05T11:00 is outside agent a3's shifts")
        let unknown = try await Self.expectStatus(.notFound) {
            try await client.call(TrainingSchedulingMethods.planCoaching, Self.plan("c-9", [("2026-12-02T10:00", "2026-12-02T11:00")]))
        }
        #expect(unknown?.violations.map(\.subject) == ["request_id"])
        let planned = try await client.call(TrainingSchedulingMethods.planCoaching, Self.plan("c-2", [("2026-12-01T14:00", "2026-12-01T15:00")]))
        #expect(planned.state == .coachingPlanned && planned.trainerId == "T1" && planned.method == .recordingReview)
        #expect(planned.sessions == [LocalTimeRange(start: "2026-12-01T14:00", end: "2026-12-01T15:00")])

        // Thursday December 3, the same database: c-1 was due yesterday and is still requested.
        await client.close()
        #expect(try await scheduling.stop() == 0)
        (scheduling, client) = try await Self.startScheduling(directory, clock: "2026-12-03T09:00:00+08:00")
        let overdue = try await client.call(TrainingSchedulingMethods.listCoachingRequests, ListCoachingRequestsRequest(overdueOnly: true))
        #expect(overdue.requests.map(\.requestId) == ["c-1"] && overdue.requests.first?.overdue == true)
        let all = try await client.call(TrainingSchedulingMethods.listCoachingRequests, ListCoachingRequestsRequest())
        #expect(all.requests.map(\.requestId) == ["c-1", "c-2"] && all.requests.map(\.overdue) == [true, false])
        #expect(all.requests.first?.history.count == 1)  // the refused plan left no step
        let replanned = try await client.call(TrainingSchedulingMethods.planCoaching, Self.plan("c-1", [("2026-12-04T10:00", "2026-12-04T11:00")]))
        #expect(replanned.state == .coachingPlanned && !replanned.overdue)
        let none = try await client.call(TrainingSchedulingMethods.listCoachingRequests, ListCoachingRequestsRequest(overdueOnly: true))
        #expect(none.requests.isEmpty)
        let byAgent = try await client.call(TrainingSchedulingMethods.listCoachingRequests, ListCoachingRequestsRequest(state: .coachingPlanned, agentId: "a2"))
        #expect(byAgent.requests.map(\.requestId) == ["c-2"])
        // Sessions of one plan must not overlap; a3 cannot be coached twice at once either.
        let overlapping = try await Self.expectStatus(.invalidArgument) {
            try await client.call(TrainingSchedulingMethods.planCoaching, Self.plan("c-1", [
                ("2026-12-04T10:00", "2026-12-04T11:00"), ("2026-12-04T10:30", "2026-12-04T11:30"),
            ]))
        }
        #expect(overlapping?.violations.map(\.subject) == ["sessions[1]"])
        let c3 = try await client.call(TrainingSchedulingMethods.requestCoaching, Self.ask("a3", metric: "warmth"))
        let twice = try await Self.expectStatus(.failedPrecondition) {
            try await client.call(TrainingSchedulingMethods.planCoaching, Self.plan(c3.requestId, [("2026-12-04T10:30", "2026-12-04T11:30")]))
        }
        #expect(twice?.violations.first?.description == "agent a3 is in coaching c-1 then (2026-12-04T10:00 to 2026-12-04T11:00)")
        await client.close()
        #expect(try await scheduling.stop() == 0)
    }

    // MARK: Delivery, exactly once

    @Test("delivered coaching emits exactly one CoachingDelivered, received once by the review service")
    func deliveredOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let review = try ServiceProcess("effectiveness-review", in: directory, socketName: "e")
        try await review.waitUntilServing()
        let (scheduling, client) = try await Self.startScheduling(
            directory, clock: "2026-11-30T10:00:00+08:00", arguments: ["--consumer", "effectiveness-review=\(directory.file("e.sock"))"])
        _ = try await client.call(TrainingSchedulingMethods.putShifts, Self.shifts(["a3"]))
        let asked = try await client.call(TrainingSchedulingMethods.requestCoaching, Self.ask("a3"))
        let early = try await Self.expectStatus(.failedPrecondition) {
            try await client.call(TrainingSchedulingMethods.deliverCoaching, DeliverCoachingRequest(requestId: asked.requestId, deliveredBy: "T1"))
        }
        #expect(early?.violations.map(\.subject) == ["request_id"])
        _ = try await client.call(TrainingSchedulingMethods.planCoaching, Self.plan(asked.requestId, [("2026-12-01T10:00", "2026-12-01T11:00")]))

        let deliver = DeliverCoachingRequest(requestId: asked.requestId, deliveredBy: "T1", notes: "Replayed two calls;\nscript card given")
        let key = CallOptions(idempotencyKey: "deliver-c-1")
        let delivered = try await client.call(TrainingSchedulingMethods.deliverCoaching, deliver, options: key)
        #expect(delivered.state == .coachingDelivered)
        #expect(delivered.history.map(\.state) == [.coachingRequested, .coachingPlanned, .coachingDelivered])
        #expect(delivered.history.last?.by == "T1" && delivered.history.last?.note == deliver.notes)
        // The same key: the first answer again. Another delivery: refused.
        #expect(try await client.call(TrainingSchedulingMethods.deliverCoaching, deliver, options: key) == delivered)
        let twice = try await Self.expectStatus(.failedPrecondition) {
            try await client.call(TrainingSchedulingMethods.deliverCoaching, deliver)
        }
        #expect(twice?.violations.map(\.subject) == ["request_id"])
        _ = try await Self.expectStatus(.failedPrecondition) {
            try await client.call(TrainingSchedulingMethods.cancelCoaching, CancelCoachingRequest(requestId: asked.requestId, cancelledBy: "lead-t1", reason: "Too late"))
        }

        // Exactly one event in the outbox, received exactly once by the review service.
        let events = try Self.deliveredEvents(scheduling.databasePath)
        #expect(events.count == 1)
        #expect(events.first?.subject == "a3")
        #expect(events.first?.event == CoachingDelivered(
            coachingId: "c-1", requestId: "", agentId: "a3", coachId: "T1", metricId: "phrasing", deliveredOn: "2026-11-30"))
        let inbox = "SELECT COUNT(*) FROM inbox_events WHERE type = ?"
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, Self.count(review.databasePath, inbox, [.text(CoachingDelivered.protoName)]) == 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(Self.count(review.databasePath, inbox, [.text(CoachingDelivered.protoName)]) == 1)

        // The review service closes it; nothing is left to cancel.
        let closed = try await client.call(TrainingSchedulingMethods.closeCoaching, CloseCoachingRequest(requestId: "c-1", closedBy: "review", outcome: "Phrasing up 6 points"))
        #expect(closed.state == .coachingClosed && closed.history.last?.note == "Phrasing up 6 points")
        _ = try await Self.expectStatus(.failedPrecondition) {
            try await client.call(TrainingSchedulingMethods.closeCoaching, CloseCoachingRequest(requestId: "c-1", closedBy: "review", outcome: "Again"))
        }
        #expect(try Self.deliveredEvents(scheduling.databasePath).count == 1)
        await client.close()
        for process in [scheduling, review] { #expect(try await process.stop() == 0) }
    }

    // MARK: The review's requests

    static func requested(_ eventID: Int, request: String, agent: String = "a3", attempt: UInt32 = 2) -> EventEnvelope {
        let event = CoachingRequested(
            requestId: request, agentId: agent, requestedBy: "lead-t1", problem: "Phrasing did not improve", metricId: "phrasing",
            evidence: ["ev-7"], attempt: attempt)
        return EventEnvelope(
            eventId: "training.v1.EffectivenessReview/\(eventID)", type: CoachingRequested.protoName, producer: "training.v1.EffectivenessReview",
            subject: agent, sequence: UInt64(eventID), occurredAtUnixMs: 1_795_000_000_000, payload: event.serializedBytes())
    }

    @Test("the review's CoachingRequested becomes one request; a duplicate changes nothing; its delivery answers it")
    func reviewRequests() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (scheduling, client) = try await Self.startScheduling(directory, clock: "2026-11-30T10:00:00+08:00")
        let review = try await RPCClient.connect(socketPath: scheduling.socketPath, caller: "training.v1.EffectivenessReview")
        func deliver(_ envelopes: [EventEnvelope]) async throws -> [EventAck] {
            try await review.call(EventInboxMethods.deliver, DeliverEventsRequest(events: envelopes)).acks
        }
        #expect(try await deliver([Self.requested(7, request: "rv-7")]).map(\.disposition) == [.eventApplied])
        #expect(try await deliver([Self.requested(7, request: "rv-7")]).map(\.disposition) == [.eventDuplicate])
        // Another event with the same request id: acknowledged, and still one request.
        #expect(try await deliver([Self.requested(8, request: "rv-7", attempt: 5)]).map(\.disposition) == [.eventApplied])
        let rejected = try await deliver([Self.requested(9, request: "rv-9", agent: "")])
        #expect(rejected.map(\.disposition) == [.eventRejected] && rejected.first?.reason.contains("agent_id") == true)

        let listed = try await client.call(TrainingSchedulingMethods.listCoachingRequests, ListCoachingRequestsRequest())
        #expect(listed.requests.map(\.requestId) == ["rv-7"])
        let request = try #require(listed.requests.first)
        #expect(request.fromReview && request.attempt == 2 && request.agentId == "a3" && request.teamLeaderId == "lead-t1")
        #expect(request.state == .coachingRequested && request.planDueOn == "2026-12-03" && request.evidence == ["ev-7"])
        #expect(request.history.count == 1 && request.history.first?.note.contains("effectiveness review") == true)

        // Team leaders' requests are numbered on their own.
        #expect(try await client.call(TrainingSchedulingMethods.requestCoaching, Self.ask("a2")).requestId == "c-1")

        _ = try await client.call(TrainingSchedulingMethods.putShifts, Self.shifts(["a3"]))
        _ = try await client.call(TrainingSchedulingMethods.planCoaching, Self.plan("rv-7", [("2026-12-02T15:00", "2026-12-02T16:00")]))
        _ = try await client.call(TrainingSchedulingMethods.deliverCoaching, DeliverCoachingRequest(requestId: "rv-7", deliveredBy: "T1"))
        let events = try Self.deliveredEvents(scheduling.databasePath)
        #expect(events.map(\.event.requestId) == ["rv-7"] && events.map(\.event.coachingId) == ["rv-7"])
        await review.close()
        await client.close()
        #expect(try await scheduling.stop() == 0)
    }

    // MARK: Coverage

    @Test("a one-to-one session that would break coverage, or clash with training, is refused naming the session")
    func coverage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = "2026-11-25T10:00:00+08:00"
        let (scheduling, planner) = try await Self.startScheduling(directory, clock: clock)
        let (intake, qa) = try await Self.startIntake(directory, clock: clock)
        // December: one new-business course (binds everyone), on the busy morning of December 2
        // (the retail queue needs 3 of its 4 agents from 10:00 to 12:00) and the quiet morning of December 3.
        _ = try await planner.call(TrainingSchedulingMethods.putCourses, PutCoursesRequest(courses: [
            TrainingWire.CatalogueCourse(courseId: "C-NEW", title: "New card product", kind: .newBusiness, category: .mandatory, method: .classroom, durationMinutes: 60),
        ]))
        _ = try await planner.call(TrainingSchedulingMethods.approveCourseware, ApproveCoursewareRequest(courseId: "C-NEW", version: "v1", approvedBy: "Dept. manager"))
        _ = try await planner.call(TrainingSchedulingMethods.putTrainers, PutTrainersRequest(trainers: [
            Trainer(trainerId: "T1", name: "Li Na", qualifiedCourseIds: ["C-NEW"], availability: [LocalTimeRange(start: "2026-12-01T08:00", end: "2026-12-05T20:00")]),
        ]))
        _ = try await planner.call(TrainingSchedulingMethods.putRooms, PutRoomsRequest(rooms: [Room(roomId: "R1", site: "Chengdu", capacity: 10)]))
        _ = try await planner.call(TrainingSchedulingMethods.draftSessions, DraftSessionsRequest(month: "2026-12", sessions: [
            PlannedSession(sessionId: "S-NEW-1", courseId: "C-NEW", trainerId: "T1", roomId: "R1", start: "2026-12-02T10:00", end: "2026-12-02T11:00", capacity: 10),
            PlannedSession(sessionId: "S-NEW-2", courseId: "C-NEW", trainerId: "T1", roomId: "R1", start: "2026-12-03T10:00", end: "2026-12-03T11:00", capacity: 10),
        ]))
        _ = try await planner.call(TrainingSchedulingMethods.publishMonthlyPlan, PublishMonthlyPlanRequest(month: "2026-12"))
        _ = try await planner.call(TrainingSchedulingMethods.putQueues, PutQueuesRequest(queues: [
            ServiceQueue(queueId: "retail", name: "Retail", serviceLevelPercent: 80, answerWithinSeconds: 20),
        ]))
        _ = try await planner.call(TrainingSchedulingMethods.putShifts, Self.shifts(["a1", "a2", "a3", "a4"]))
        _ = try await planner.call(TrainingSchedulingMethods.putForecasts, PutForecastsRequest(month: "2026-12", forecasts: ["10:00", "10:30", "11:00", "11:30"].map {
            IntervalForecast(queueId: "retail", start: "2026-12-02T\($0)", expectedContacts: 10, averageHandleSeconds: 180, shrinkage: 0)
        }))
        try await Self.closeNovember(qa)
        _ = try await Self.waitForCoachingTier(planner)
        let built = try await planner.call(TrainingSchedulingMethods.buildEnrolment, BuildEnrolmentRequest(month: "2026-12"))
        #expect(built.basis == .confirmed && built.placedBound == 4)
        // One agent can leave the busy morning; coach one of the others.
        let busy = try await planner.call(TrainingSchedulingMethods.getSessionSchedule, GetSessionScheduleRequest(month: "2026-12", sessionId: "S-NEW-1"))
        #expect(busy.participants.count == 1)
        let coached = try #require(["a1", "a2", "a3", "a4"].first { !busy.participants.map(\.agentId).contains($0) })
        let asked = try await planner.call(TrainingSchedulingMethods.requestCoaching, Self.ask(coached))
        let refused = try await Self.expectStatus(.failedPrecondition) {
            try await planner.call(TrainingSchedulingMethods.planCoaching, Self.plan(asked.requestId, [
                ("2026-12-02T11:00", "2026-12-02T12:00"),  // the session is over: 4 on the floor, 3 needed
                ("2026-12-02T10:00", "2026-12-02T10:30"),  // one agent is in S-NEW-1 already
                ("2026-12-03T10:30", "2026-12-03T11:00"),  // the coached agent is in S-NEW-2
            ]))
        }
        #expect(refused?.violations.map(\.subject) == ["sessions[1]", "sessions[2]"])
        #expect(refused?.violations.first?.description == "taking agent \(coached) off the floor at 2026-12-02T10:00 would leave queue retail with 2 agents, 3 needed")
        #expect(refused?.violations.last?.description.contains("training session S-NEW-2") == true)
        let planned = try await planner.call(TrainingSchedulingMethods.planCoaching, Self.plan(asked.requestId, [("2026-12-02T11:00", "2026-12-02T12:00")]))
        #expect(planned.state == .coachingPlanned)
        // Now that agent's coaching holds the late morning: a second agent cannot be coached then.
        let other = try #require(["a1", "a2", "a3", "a4"].first { $0 != coached && !busy.participants.map(\.agentId).contains($0) })
        let second = try await planner.call(TrainingSchedulingMethods.requestCoaching, Self.ask(other))
        let full = try await Self.expectStatus(.failedPrecondition) {
            try await planner.call(TrainingSchedulingMethods.planCoaching, Self.plan(second.requestId, [("2026-12-02T11:00", "2026-12-02T11:30")]))
        }
        #expect(full?.violations.map(\.subject) == ["sessions[0]"])
        await planner.close()
        await qa.close()
        for process in [scheduling, intake] { #expect(try await process.stop() == 0) }
    }
}
