import Foundation
import RPCRuntime
import SQLiteStorage
import TestSupport
import Testing
import TrainingWire

/// Enrolment with real processes: the intake (roster, November's scores, its month-to-date
/// tiers and the close) and the scheduling service (plan, shifts, a forecast), talking only
/// over their sockets and the intake's events.
@Suite("Scheduling: enrolment from the intake's tiers", .serialized)
struct SchedulingEnrolmentTests {
    /// Both services, wired: the intake's events go to scheduling, and scheduling reads
    /// month-to-date tiers from the intake.
    struct Center {
        let directory: TemporaryDirectory
        let intake: ServiceProcess
        let scheduling: ServiceProcess
        let qa: RPCClient
        let planner: RPCClient

        static func start(
            clock: String = "2026-11-10T10:00:00+08:00", environment: [String: String] = [:], directory: TemporaryDirectory? = nil,
            seed: Bool = true
        ) async throws -> Center {
            let directory = try directory ?? TemporaryDirectory()
            let scheduling = try ServiceProcess(
                "training-scheduling", in: directory, socketName: "t", arguments: ["--clock-start", clock],
                environment: ["TRAINING_SCHEDULING_INTAKE_SOCKET": directory.file("i.sock"), "TRAINING_SCHEDULING_TIME_ZONE": "Asia/Shanghai"]
                    .merging(environment) { $1 })
            let intake = try ServiceProcess(
                "scoring-intake", in: directory, socketName: "i",
                arguments: ["--clock-start", clock, "--consumer", "training-scheduling=\(directory.file("t.sock"))"])
            for process in [intake, scheduling] { try await process.waitUntilServing() }
            let qa = try await RPCClient.connect(socketPath: intake.socketPath, caller: "qa-export")
            let planner = try await RPCClient.connect(socketPath: scheduling.socketPath, caller: "training-manager")
            let center = Center(directory: directory, intake: intake, scheduling: scheduling, qa: qa, planner: planner)
            if seed { try await center.seedIntake() }
            try await center.waitForRoster()
            return center
        }

        /// The roster reaches scheduling as events; placement needs each agent's queue.
        func waitForRoster() async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                if let connection = try? SQLiteConnection(path: scheduling.databasePath, readOnly: true) {
                    let count = (try? connection.query("SELECT COUNT(*) FROM replica_agents WHERE queue = 'retail'", []) { $0.int(at: 0) })?.first
                    try? connection.close()
                    if count == 4 { return }
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("the roster did not reach the scheduling service")
        }

        /// Calendar, scorecard, roster (a1-a4 in service on queue "retail", n1 in onboarding),
        /// and November so far: a1 advanced, a2 and a4 standard, a3 coaching.
        func seedIntake() async throws {
            let flow = IntakeFlowTests.Center(directory: directory, process: intake, client: qa)
            try await flow.seed()
            let roster = ["a1", "a2", "a3", "a4"].map { id in
                var entry = flow.entry(id, team: "t1")
                entry.queue = "retail"
                return entry
            }
            _ = try await qa.call(ScoringIntakeMethods.upsertRoster, UpsertRosterRequest(agents: roster))
            let november = Self.november("a1", [97, 97, 97, 97]) + Self.november("a2", [90, 90, 90, 90])
                + Self.november("a3", [80, 80, 80, 80]) + Self.november("a4", [90, 90, 90, 90])
            let stored = try await qa.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: november))
            #expect(stored.accepted == 16)
        }

        static func november(_ agent: String, _ totals: [Double], day: Int = 2) -> [Evaluation] {
            totals.enumerated().map { index, total in
                IntakeFlowTests.evaluation("\(agent)-nov-\(day)-\(index)", agent: agent, at: "2026-11-0\(day)T1\(index):00:00", total: total)
            }
        }

        /// December's plan: new business (always mandatory), service quality (elective, two
        /// sessions; the first during a busy forecast), team collaboration (optional, online, one seat).
        func publishDecember() async throws {
            _ = try await planner.call(TrainingSchedulingMethods.putCourses, PutCoursesRequest(courses: [
                CatalogueCourse(courseId: "C-NEW", title: "New card product", kind: .newBusiness, category: .elective, method: .classroom, durationMinutes: 60),
                CatalogueCourse(courseId: "C-QUAL", title: "Service quality", kind: .serviceQualityImprovement, category: .elective,
                                method: .classroom, durationMinutes: 120),
                CatalogueCourse(courseId: "C-TEAM", title: "Team collaboration", kind: .teamCollaboration, category: .optional,
                                method: .online, durationMinutes: 60),
            ]))
            for course in ["C-NEW", "C-QUAL", "C-TEAM"] {
                _ = try await planner.call(TrainingSchedulingMethods.approveCourseware, ApproveCoursewareRequest(courseId: course, version: "v1", approvedBy: "Dept. manager"))
            }
            _ = try await planner.call(TrainingSchedulingMethods.putTrainers, PutTrainersRequest(trainers: [
                Trainer(trainerId: "T1", name: "Li Na", qualifiedCourseIds: ["C-NEW", "C-QUAL", "C-TEAM"],
                        availability: [LocalTimeRange(start: "2026-12-01T08:00", end: "2026-12-05T20:00")]),
            ]))
            _ = try await planner.call(TrainingSchedulingMethods.putRooms, PutRoomsRequest(rooms: [Room(roomId: "R1", site: "Chengdu", capacity: 10)]))
            _ = try await planner.call(TrainingSchedulingMethods.draftSessions, DraftSessionsRequest(month: "2026-12", sessions: [
                PlannedSession(sessionId: "S-NEW-1", courseId: "C-NEW", trainerId: "T1", roomId: "R1", start: "2026-12-01T10:00", end: "2026-12-01T11:00", capacity: 10),
                PlannedSession(sessionId: "S-QUAL-1", courseId: "C-QUAL", trainerId: "T1", roomId: "R1", start: "2026-12-02T10:00", end: "2026-12-02T12:00", capacity: 10),
                PlannedSession(sessionId: "S-QUAL-2", courseId: "C-QUAL", trainerId: "T1", roomId: "R1", start: "2026-12-03T10:00", end: "2026-12-03T12:00", capacity: 10),
                PlannedSession(sessionId: "S-TEAM-1", courseId: "C-TEAM", trainerId: "T1", start: "2026-12-04T14:00", end: "2026-12-04T15:00", capacity: 1),
                PlannedSession(sessionId: "S-NEW-2", courseId: "C-NEW", trainerId: "T1", roomId: "R1", start: "2026-12-04T09:00", end: "2026-12-04T10:00", capacity: 10),
            ]))
            _ = try await planner.call(TrainingSchedulingMethods.publishMonthlyPlan, PublishMonthlyPlanRequest(month: "2026-12"))
        }

        /// Everyone works 09:00-18:00 on December 1-4; the retail queue needs 3 of its 4
        /// agents on December 2, 10:00-12:00 (10 contacts per half hour, 180 s, 80 % in 20 s).
        func importWorkforce() async throws {
            let queues = try await planner.call(TrainingSchedulingMethods.putQueues, PutQueuesRequest(queues: [
                ServiceQueue(queueId: "retail", name: "Retail", serviceLevelPercent: 80, answerWithinSeconds: 20),
            ]))
            #expect(queues.accepted == 1)
            let shifts = ["a1", "a2", "a3", "a4", "n1"].map { agent in
                AgentShifts(agentId: agent, shifts: (1...4).map { LocalTimeRange(start: "2026-12-0\($0)T09:00", end: "2026-12-0\($0)T18:00") })
            }
            let stored = try await planner.call(TrainingSchedulingMethods.putShifts, PutShiftsRequest(month: "2026-12", agents: shifts))
            #expect(stored.accepted == 5)
            let forecasts = ["10:00", "10:30", "11:00", "11:30"].map {
                IntervalForecast(queueId: "retail", start: "2026-12-02T\($0)", expectedContacts: 10, averageHandleSeconds: 180, shrinkage: 0)
            }
            let storedForecasts = try await planner.call(TrainingSchedulingMethods.putForecasts, PutForecastsRequest(month: "2026-12", forecasts: forecasts))
            #expect(storedForecasts.accepted == 4)
        }

        func seats(_ agent: String) async throws -> [String: Enrolment] {
            let schedule = try await planner.call(TrainingSchedulingMethods.getAgentSchedule, GetAgentScheduleRequest(month: "2026-12", agentId: agent))
            return Dictionary(uniqueKeysWithValues: schedule.enrolments.map { ($0.courseId, $0) })
        }

        func stop() async throws {
            await qa.close()
            await planner.close()
            for process in [intake, scheduling] { #expect(try await process.stop() == 0) }
            directory.remove()
        }
    }

    static func expectStatus<T>(_ code: StatusCode, _ body: () async throws -> T) async throws -> RPCError? {
        try await SchedulingPlanTests.expectStatus(code, body)
    }

    @Test("provisional from month-to-date tiers, sign-ups and a waiting list, confirmed at close, cancel and move")
    func enrolmentLifecycle() async throws {
        let center = try await Center.start()
        let planner = center.planner
        try await center.publishDecember()
        try await center.importWorkforce()

        // Provisional: November is not closed, so the tiers are month-to-date, from the intake.
        let built = try await planner.call(TrainingSchedulingMethods.buildEnrolment, BuildEnrolmentRequest(month: "2026-12"))
        #expect(built.basis == .provisional)
        #expect(built.tiersFrom.hasPrefix("2026-11 to 2026-11-10"), "\(built.tiersFrom)")
        // a1 (advanced) is bound by the new-business course only; a2, a3, a4 by both; n1 (onboarding) by none.
        #expect(built.bound == 7 && built.placedBound == 7 && built.unplaced == 0)
        #expect(Set(try await center.seats("a1").keys) == ["C-NEW"])
        #expect(Set(try await center.seats("a3").keys) == ["C-NEW", "C-QUAL"])
        #expect(try await center.seats("n1").isEmpty)
        // The busy morning of December 2 can spare one agent of four: the others go on December 3.
        let busy = try await planner.call(TrainingSchedulingMethods.getSessionSchedule, GetSessionScheduleRequest(month: "2026-12", sessionId: "S-QUAL-1"))
        #expect(busy.participants.map(\.agentId) == ["a2"] && busy.seatsFree == 9)
        #expect(try await center.seats("a3")["C-QUAL"]?.sessionId == "S-QUAL-2")

        // What-if: a3 joining the busy session would leave 2 of the 3 needed on the phones.
        let whatIf = try await planner.call(TrainingSchedulingMethods.whatIf, WhatIfRequest(month: "2026-12", sessionId: "S-QUAL-1", agentIds: ["a3"]))
        #expect(!whatIf.keepsCoverage && whatIf.intervals.count == 4)
        let first = try #require(whatIf.intervals.first)
        #expect(first.intervalStart == "2026-12-02T10:00" && first.queueId == "retail" && first.onFloor == 2 && first.required == 3)
        #expect((whatIf.intervals.first?.serviceLevel ?? 1) < 0.8)
        // a2 is in that session already: counted once, the floor keeps its 3.
        let already = try await planner.call(TrainingSchedulingMethods.whatIf, WhatIfRequest(month: "2026-12", sessionId: "S-QUAL-1", agentIds: ["a2"]))
        #expect(already.keepsCoverage && already.intervals.first?.onFloor == 3)
        let quiet = try await planner.call(TrainingSchedulingMethods.whatIf, WhatIfRequest(month: "2026-12", start: "2026-12-03T14:00", end: "2026-12-03T15:00", agentIds: ["a3"]))
        #expect(quiet.keepsCoverage)

        // Sign-ups: the elective is voluntary for a1; the one-seat optional session fills, a2 waits.
        #expect(try await planner.call(TrainingSchedulingMethods.signUp, SignUpRequest(month: "2026-12", sessionId: "S-QUAL-2", agentId: "a1")).outcome == .signUpEnrolled)
        #expect(try await planner.call(TrainingSchedulingMethods.signUp, SignUpRequest(month: "2026-12", sessionId: "S-TEAM-1", agentId: "a1")).outcome == .signUpEnrolled)
        let waiting = try await planner.call(TrainingSchedulingMethods.signUp, SignUpRequest(month: "2026-12", sessionId: "S-TEAM-1", agentId: "a2"))
        #expect(waiting.outcome == .signUpWaiting && waiting.waitingPosition == 1)
        let required = try await Self.expectStatus(.failedPrecondition) {
            try await planner.call(TrainingSchedulingMethods.signUp, SignUpRequest(month: "2026-12", sessionId: "S-QUAL-1", agentId: "a3"))
        }
        #expect(required?.violations.first?.subject == "session_id")
        let withdrawn = try await planner.call(TrainingSchedulingMethods.withdraw, WithdrawRequest(month: "2026-12", sessionId: "S-TEAM-1", agentId: "a1"))
        #expect(!withdrawn.wasWaiting && withdrawn.promotedAgentIds == ["a2"])
        _ = try await Self.expectStatus(.notFound) {
            try await planner.call(TrainingSchedulingMethods.withdraw, WithdrawRequest(month: "2026-12", sessionId: "S-TEAM-1", agentId: "a1"))
        }

        // November closes with a2 now advanced: only a2's required elective seat goes; every
        // other seat stays, with the time it was first given.
        let before = (a3: try await center.seats("a3"), a4: try await center.seats("a4"), a2: try await center.seats("a2"))
        let more = Center.november("a2", [100, 100, 100, 100, 100, 100, 100, 100], day: 5)
        _ = try await center.qa.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: more))
        _ = try await center.qa.call(ScoringIntakeMethods.closeMonth, CloseMonthRequest(month: "2026-11", force: true))
        var confirmed = GetEnrolmentResponse()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            confirmed = try await planner.call(TrainingSchedulingMethods.getEnrolment, GetEnrolmentRequest(month: "2026-12"))
            if confirmed.summary?.basis == .confirmed { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let summary = try #require(confirmed.summary)
        #expect(summary.basis == .confirmed && summary.tiersFrom == "2026-11 closed, revision 1")
        #expect(summary.standingChanges == 1 && summary.dropped == 1 && summary.newlyPlaced == 0)
        let after = (a3: try await center.seats("a3"), a4: try await center.seats("a4"), a2: try await center.seats("a2"))
        #expect(after.a3.mapValues(\.sessionId) == before.a3.mapValues(\.sessionId))
        #expect(after.a3.mapValues(\.placedAtUnixMs) == before.a3.mapValues(\.placedAtUnixMs))
        #expect(after.a4.mapValues(\.sessionId) == before.a4.mapValues(\.sessionId))
        #expect(Set(before.a2.keys) == ["C-NEW", "C-QUAL", "C-TEAM"] && Set(after.a2.keys) == ["C-NEW", "C-TEAM"])
        #expect(after.a2["C-NEW"]?.placedAtUnixMs == before.a2["C-NEW"]?.placedAtUnixMs)

        // Cancel December 3: a3 moves to the busy session (a2 left it), a4 cannot (coverage),
        // a1's sign-up for the cancelled session goes.
        let cancelled = try await planner.call(TrainingSchedulingMethods.cancelSession, CancelSessionRequest(month: "2026-12", sessionId: "S-QUAL-2", reason: "Trainer ill"))
        #expect(cancelled.replacedAgentIds == ["a3"] && cancelled.unplacedAgentIds == ["a1", "a4"] && cancelled.keptAgentIds.isEmpty)
        let unplaced = try await planner.call(TrainingSchedulingMethods.getEnrolment, GetEnrolmentRequest(month: "2026-12")).unplaced
        #expect(unplaced.map { ($0.agentId, $0.courseId, $0.reason) }.elementsEqual([("a4", "C-QUAL", UnplacedReason.coverage)]) { $0 == $1 })
        let cancelledSession = try await planner.call(TrainingSchedulingMethods.getSessionSchedule, GetSessionScheduleRequest(month: "2026-12", sessionId: "S-QUAL-2"))
        #expect(cancelledSession.cancelled && cancelledSession.cancelReason == "Trainer ill" && cancelledSession.participants.isEmpty)

        // Moving the busy session onto the trainer's online session is refused with both named;
        // moving it to a quiet morning keeps a3 and places a4.
        let clash = try await Self.expectStatus(.failedPrecondition) {
            try await planner.call(TrainingSchedulingMethods.moveSession, MoveSessionRequest(month: "2026-12", sessionId: "S-QUAL-1", start: "2026-12-04T14:00", end: "2026-12-04T16:00"))
        }
        #expect(clash?.violations.map(\.subject) == ["sessions S-QUAL-1,S-TEAM-1"])
        #expect(clash?.violations.first?.description.contains("S-QUAL-1 2026-12-04T14:00 to 2026-12-04T16:00") == true)
        let moved = try await planner.call(TrainingSchedulingMethods.moveSession, MoveSessionRequest(month: "2026-12", sessionId: "S-QUAL-1", start: "2026-12-04T10:00", end: "2026-12-04T12:00"))
        #expect(moved.keptAgentIds == ["a3"] && moved.summary?.unplaced == 0)
        let a4 = try #require(try await center.seats("a4")["C-QUAL"])
        #expect(a4.sessionId == "S-QUAL-1" && a4.start == "2026-12-04T10:00")
        let team = try await planner.call(TrainingSchedulingMethods.getTeamSchedule, GetTeamScheduleRequest(month: "2026-12", teamId: "t1"))
        #expect(Set(team.enrolments.map(\.agentId)) == ["a1", "a2", "a3", "a4"])
        try await center.stop()
    }

    @Test("the service places next month by itself on the provisional day")
    func provisionalDayJob() async throws {
        let center = try await Center.start(
            clock: "2026-11-16T09:00:00+08:00",
            environment: ["TRAINING_SCHEDULING_PROVISIONAL_CHECK_SECONDS": "1", "TRAINING_SCHEDULING_TIME_ZONE": "Asia/Shanghai"])
        _ = try await Self.expectStatus(.notFound) {
            try await center.planner.call(TrainingSchedulingMethods.getEnrolment, GetEnrolmentRequest(month: "2026-12"))
        }
        try await center.publishDecember()
        var summary: TrainingWire.EnrolmentSummary?
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, summary == nil {
            summary = try? await center.planner.call(TrainingSchedulingMethods.getEnrolment, GetEnrolmentRequest(month: "2026-12")).summary
            if summary == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(summary?.basis == .provisional)
        // Without shifts nobody is on the floor; with off-shift training not allowed, nobody is placed.
        #expect(summary?.bound == 7 && summary?.placedBound == 0)
        let reasons = try await center.planner.call(TrainingSchedulingMethods.getEnrolment, GetEnrolmentRequest(month: "2026-12")).unplaced.map(\.reason)
        #expect(reasons.count == 7 && reasons.allSatisfy { $0 == .noSessionWithinShifts })
        try await center.stop()
    }

    @Test("building needs a published plan, and tiers from a close or the intake")
    func buildPreconditions() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let scheduling = try ServiceProcess("training-scheduling", in: directory, arguments: ["--clock-start", "2026-11-10T10:00:00+08:00"])
        try await scheduling.waitUntilServing()
        let planner = try await RPCClient.connect(socketPath: scheduling.socketPath, caller: "training-manager")
        let unpublished = try await Self.expectStatus(.failedPrecondition) {
            try await planner.call(TrainingSchedulingMethods.buildEnrolment, BuildEnrolmentRequest(month: "2026-12"))
        }
        #expect(unpublished?.violations.first?.subject == "month")
        let malformed = try await Self.expectStatus(.invalidArgument) {
            try await planner.call(TrainingSchedulingMethods.getAgentSchedule, GetAgentScheduleRequest(month: "December", agentId: ""))
        }
        #expect(malformed?.violations.map(\.subject) == ["month", "agent_id"])
        let center = Center(directory: directory, intake: scheduling, scheduling: scheduling, qa: planner, planner: planner)
        try await center.publishDecember()
        // No close of November here, and no intake configured: nothing to place from, for now.
        let noTiers = try await Self.expectStatus(.unavailable) {
            try await planner.call(TrainingSchedulingMethods.buildEnrolment, BuildEnrolmentRequest(month: "2026-12"))
        }
        #expect(noTiers?.violations.first?.subject == "intake" && (noTiers?.retryAfterMilliseconds ?? 0) > 0)
        let badShift = try await planner.call(TrainingSchedulingMethods.putShifts, PutShiftsRequest(month: "2026-12", agents: [
            AgentShifts(agentId: "a1", shifts: [LocalTimeRange(start: "2026-12-01T09:00", end: "2026-12-01T18:00")]),
            AgentShifts(agentId: "a2", shifts: [LocalTimeRange(start: "2026-11-30T09:00", end: "2026-11-30T18:00"),
                                                LocalTimeRange(start: "2026-12-01T09:00", end: "2026-12-01T08:00")]),
        ]))
        #expect(badShift.accepted == 1 && badShift.rejected == 1)
        #expect(badShift.results[1].violations.map(\.subject) == ["shifts[0].start", "shifts[1].end"])
        let unknownQueue = try await planner.call(TrainingSchedulingMethods.putForecasts, PutForecastsRequest(month: "2026-12", forecasts: [
            IntervalForecast(queueId: "nowhere", start: "2026-12-01T10:00", expectedContacts: 5, averageHandleSeconds: 200, shrinkage: 0.3),
            IntervalForecast(queueId: "nowhere", start: "2026-12-01T10:15", expectedContacts: 5, averageHandleSeconds: 200, shrinkage: 0.3),
        ]))
        #expect(unknownQueue.results.map(\.id) == ["nowhere@2026-12-01T10:00", "nowhere@2026-12-01T10:15"])
        #expect(unknownQueue.results.map { $0.violations.map(\.subject) } == [["queue_id"], ["start"]])
        await planner.close()
        #expect(try await scheduling.stop() == 0)
    }
}
