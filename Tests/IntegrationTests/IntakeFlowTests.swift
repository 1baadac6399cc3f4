import Foundation
import RPCRuntime
import TestSupport
import Testing
import TrainingWire

#if canImport(Glibc)
import Glibc
#endif

/// The scoring intake as the QA system and the training manager use it: the real
/// executable, its own database file, calls over its socket.
@Suite("Scoring intake over its socket", .serialized)
struct IntakeFlowTests {
    /// Local time in the center (Asia/Shanghai, +08:00) as Unix milliseconds.
    static func shanghai(_ text: String) -> Int64 {
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: text + "+08:00") else { fatalError("bad test time \(text)") }
        return Int64(date.timeIntervalSince1970 * 1000)
    }

    /// A running intake whose clock reads 2026-11-10 10:00 in Shanghai, with a calendar,
    /// a scorecard and a roster of two teams.
    struct Center {
        let directory: TemporaryDirectory
        let process: ServiceProcess
        let client: RPCClient

        static func start(clock: String = "2026-11-10T10:00:00+08:00") async throws -> Center {
            let directory = try TemporaryDirectory()
            let process = try ServiceProcess("scoring-intake", in: directory, arguments: ["--clock-start", clock])
            try await process.waitUntilServing()
            let client = try await RPCClient.connect(socketPath: process.socketPath, caller: "qa-export")
            let center = Center(directory: directory, process: process, client: client)
            try await center.seed()
            return center
        }

        func seed() async throws {
            // 2026: National Day holidays 10-01..10-07, make-up working Saturday 10-10; 11-04 a (fictional) holiday.
            var days = (1...7).map { CalendarDay(date: "2026-10-0\($0)", kind: .holiday, name: "National Day") }
            days.append(CalendarDay(date: "2026-10-10", kind: .makeupWorkingDay, name: "National Day make-up"))
            days.append(CalendarDay(date: "2026-11-04", kind: .holiday, name: "Center anniversary"))
            _ = try await client.call(ScoringIntakeMethods.putCalendar, PutCalendarRequest(timeZone: "Asia/Shanghai", year: 2026, days: days))
            _ = try await client.call(ScoringIntakeMethods.putCalendar, PutCalendarRequest(timeZone: "Asia/Shanghai", year: 2027, days: []))
            let scorecard = Scorecard(
                scorecardId: "voice", version: 1, name: "Voice QA",
                criteria: [
                    Criterion(criterionId: "phrasing", name: "标准话术", maxScore: 50, weight: 1),
                    Criterion(criterionId: "warmth", name: "服务温度", maxScore: 50, weight: 1),
                ],
                totalIsWeightedSum: true)
            _ = try await client.call(ScoringIntakeMethods.putScorecard, PutScorecardRequest(scorecard: scorecard))
            let roster = [
                entry("a1", team: "t1"), entry("a2", team: "t1"), entry("a3", team: "t1"), entry("a4", team: "t2"),
                entry("n1", team: "t2", status: .onboarding, hired: "2026-10-20"),
            ]
            let result = try await client.call(ScoringIntakeMethods.upsertRoster, UpsertRosterRequest(agents: roster))
            #expect(result.accepted == 5)
        }

        func entry(_ id: String, team: String, status: AgentStatus = .inService, hired: String = "2025-03-01") -> RosterEntry {
            RosterEntry(
                agentId: id, name: "Agent \(id)", teamId: team, teamLeaderId: "lead-\(team)", department: "Retail", site: "Chengdu",
                hireDate: hired, status: status, effectiveDate: "2026-01-01")
        }

        func stop() async throws {
            await client.close()
            #expect(try await process.stop() == 0)
            directory.remove()
        }
    }

    /// An evaluation whose items (two criteria out of 50) add up to `total`.
    static func evaluation(_ id: String, agent: String, at local: String, total: Double, revision: UInt32 = 1) -> Evaluation {
        let call = shanghai(local)
        return Evaluation(
            evaluationId: id, revision: revision, agentId: agent, callId: "call-\(id)", evaluatorId: "qa-7",
            callStartedAtUnixMs: call, scoredAtUnixMs: call + 3_600_000, scorecardId: "voice", scorecardVersion: 1,
            totalScore: total,
            items: [
                ItemScore(criterionId: "phrasing", name: "标准话术", score: min(50, total / 2), maxScore: 50),
                ItemScore(criterionId: "warmth", name: "服务温度", score: total - min(50, total / 2), maxScore: 50),
            ],
            channel: .voice)
    }

    /// Four October evaluations per agent at the given totals.
    static func october(_ agent: String, _ totals: [Double], prefix: String? = nil) -> [Evaluation] {
        totals.enumerated().map { index, total in
            evaluation("\(prefix ?? agent)-\(index)", agent: agent, at: "2026-10-\(12 + index)T10:00:00", total: total)
        }
    }

    func scores(_ center: Center, _ agent: String, from: String = "2026-10-01", to: String = "2026-10-31") async throws -> GetAgentScoresResponse {
        try await center.client.call(ScoringIntakeMethods.getAgentScores, GetAgentScoresRequest(agentId: agent, fromDate: from, toDate: to))
    }

    @Test func theSameBatchTwiceCountsOnce() async throws {
        let center = try await Center.start()
        let batch = SubmitEvaluationsRequest(evaluations: Self.october("a1", [90, 92, 94, 96]))
        let first = try await center.client.call(ScoringIntakeMethods.submitEvaluations, batch)
        let second = try await center.client.call(ScoringIntakeMethods.submitEvaluations, batch)
        #expect(first.accepted == 4)
        #expect(second.duplicate == 4 && second.accepted == 0)
        let agent = try await scores(center, "a1")
        #expect(agent.count == 4)
        #expect(agent.average == 93)
        try await center.stop()
    }

    @Test func aBadRecordIsNamedAndTheOthersAreStored() async throws {
        let center = try await Center.start()
        var evaluations = Self.october("a1", [90, 92, 94, 96])
        evaluations[1].agentId = "nobody"
        evaluations[2].totalScore = 101
        let result = try await center.client.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: evaluations))
        #expect(result.accepted == 2 && result.rejected == 2)
        #expect(result.results[1].outcome == .rejected)
        #expect(result.results[1].violations.contains { $0.subject == "agent_id" })
        #expect(result.results[2].violations.contains { $0.subject == "total_score" })
        #expect(try await scores(center, "a1").count == 2)
        try await center.stop()
    }

    @Test func aConflictingResendIsRejectedAndTheStoredVersionStays() async throws {
        let center = try await Center.start()
        let original = Self.evaluation("e1", agent: "a2", at: "2026-10-12T09:00:00", total: 90)
        var conflicting = original
        conflicting.totalScore = 80
        conflicting.items[0].score = 40
        conflicting.items[1].score = 40
        _ = try await center.client.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: [original]))
        let result = try await center.client.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: [conflicting]))
        #expect(result.rejected == 1)
        #expect(result.results[0].violations.first?.subject == "revision")
        #expect(try await scores(center, "a2").average == 90)
        try await center.stop()
    }

    @Test func aCorrectionChangesTheAverageAndAReCloseReportsTheTierChange() async throws {
        let center = try await Center.start()
        let evaluations = Self.october("a1", [96, 96, 96, 96]) + Self.october("a2", [90, 90, 90, 90]) + Self.october("a3", [80, 82, 84, 86])
        _ = try await center.client.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: evaluations))
        let first = try await center.client.call(ScoringIntakeMethods.closeMonth, CloseMonthRequest(month: "2026-10"))
        #expect(first.revision == 1)
        #expect(first.appliesToMonth == "2026-11")
        let tiers = try await center.client.call(ScoringIntakeMethods.listTierAssignments, ListTierAssignmentsRequest(month: "2026-10"))
        let byAgent = Dictionary(uniqueKeysWithValues: tiers.assignments.map { ($0.agentId, $0) })
        #expect(byAgent["a1"]?.tier == .advanced)
        #expect(byAgent["a2"]?.tier == .standard)
        #expect(byAgent["a3"]?.tier == .coaching)
        #expect(byAgent["a4"]?.tier == .insufficientData)  // no evaluations
        #expect(byAgent["n1"] == nil)  // onboarding: not tiered
        // 2026-11-04 is a holiday on this calendar: due the working day before.
        #expect(byAgent["a3"]?.problemSummaryDue == "2026-11-03")
        #expect(byAgent["a2"]?.problemSummaryDue == "")

        // A dispute lowers one of a1's calls: revision 2 of a1-0.
        let corrected = Self.evaluation("a1-0", agent: "a1", at: "2026-10-12T10:00:00", total: 60, revision: 2)
        let correction = try await center.client.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: [corrected]))
        #expect(correction.replaced == 1)
        #expect(try await scores(center, "a1").average == 87)
        let second = try await center.client.call(ScoringIntakeMethods.closeMonth, CloseMonthRequest(month: "2026-10"))
        #expect(second.revision == 2)
        #expect(second.changed.map(\.agentId) == ["a1"])
        #expect(second.changed.first?.previousTier == .advanced)
        #expect(second.changed.first?.tier == .standard)
        // The first revision stays readable.
        let old = try await center.client.call(ScoringIntakeMethods.listTierAssignments, ListTierAssignmentsRequest(month: "2026-10", revision: 1))
        #expect(old.assignments.first { $0.agentId == "a1" }?.tier == .advanced)
        try await center.stop()
    }

    @Test func aVoidLeavesEveryAverage() async throws {
        let center = try await Center.start()
        _ = try await center.client.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: Self.october("a1", [90, 92, 94, 40])))
        #expect(try await scores(center, "a1").average == 79)
        let voided = try await center.client.call(ScoringIntakeMethods.voidEvaluation, VoidEvaluationRequest(evaluationId: "a1-3", reason: .disputeUpheld))
        #expect(!voided.alreadyVoid)
        #expect(try await scores(center, "a1").average == 92)
        let averages = try await center.client.call(ScoringIntakeMethods.getMonthlyAverages, GetMonthlyAveragesRequest(month: "2026-10", groupBy: .team))
        #expect(averages.groups.first { $0.group == "t1" }?.count == 3)
        let again = try await center.client.call(ScoringIntakeMethods.voidEvaluation, VoidEvaluationRequest(evaluationId: "a1-3", reason: .disputeUpheld))
        #expect(again.alreadyVoid)
        await #expect(throws: RPCError.self) {
            _ = try await center.client.call(ScoringIntakeMethods.voidEvaluation, VoidEvaluationRequest(evaluationId: "nope", reason: .calibration))
        }
        try await center.stop()
    }

    @Test func aCallAt2330OnTheLastLocalDayBelongsToThatMonth() async throws {
        let center = try await Center.start()
        let late = Self.evaluation("late", agent: "a4", at: "2026-10-31T23:30:00", total: 88)
        _ = try await center.client.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: [late]))
        #expect(try await scores(center, "a4").count == 1)
        #expect(try await scores(center, "a4", from: "2026-11-01", to: "2026-11-30").count == 0)
        try await center.stop()
    }

    @Test func threeEvaluationsGiveInsufficientData() async throws {
        let center = try await Center.start()
        _ = try await center.client.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: Self.october("a2", [70, 70, 70])))
        let closed = try await center.client.call(ScoringIntakeMethods.closeMonth, CloseMonthRequest(month: "2026-10"))
        let tiers = try await center.client.call(ScoringIntakeMethods.listTierAssignments, ListTierAssignmentsRequest(month: "2026-10", tier: .insufficientData))
        #expect(tiers.assignments.map(\.agentId).contains("a2"))
        #expect(closed.counts.first { $0.tier == .coaching }?.agents == 0)
        try await center.stop()
    }

    @Test func aMonthThatHasNotEndedIsClosedOnlyWhenForced() async throws {
        let center = try await Center.start()
        do {
            _ = try await center.client.call(ScoringIntakeMethods.closeMonth, CloseMonthRequest(month: "2026-11"))
            Issue.record("closing a running month must fail")
        } catch let error as RPCError {
            #expect(error.code == .failedPrecondition)
            #expect(error.violations.first?.subject == "month")
        }
        let forced = try await center.client.call(ScoringIntakeMethods.closeMonth, CloseMonthRequest(month: "2026-11", force: true))
        #expect(forced.revision == 1)
        await #expect(throws: RPCError.self) {
            _ = try await center.client.call(ScoringIntakeMethods.closeMonth, CloseMonthRequest(month: "2026-13"))
        }
        try await center.stop()
    }

    @Test func badRequestsNameTheirFields() async throws {
        let center = try await Center.start()
        do {
            _ = try await center.client.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest())
            Issue.record("an empty batch must fail")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument)
            #expect(error.violations.first?.subject == "evaluations")
        }
        do {
            _ = try await center.client.call(ScoringIntakeMethods.setTierPolicy, SetTierPolicyRequest(advancedThreshold: 80, coachingThreshold: 90, minimumEvaluations: 0))
            Issue.record("a policy with coaching above advanced must fail")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument)
            #expect(Set(error.violations.map(\.subject)) == ["coaching_threshold", "minimum_evaluations"])
        }
        do {
            _ = try await center.client.call(ScoringIntakeMethods.getAgentScores, GetAgentScoresRequest(agentId: "ghost", fromDate: "2026-10-01", toDate: "2026-10-31"))
            Issue.record("an unknown agent must be NOT_FOUND")
        } catch let error as RPCError {
            #expect(error.code == .notFound)
        }
        try await center.stop()
    }

    @Test func anIdempotencyKeyReturnsTheFirstAnswerAndChangesNothing() async throws {
        let center = try await Center.start()
        let options = CallOptions(idempotencyKey: "batch-0001")
        let batch = SubmitEvaluationsRequest(evaluations: Self.october("a1", [90, 92, 94, 96]))
        let first = try await center.client.call(ScoringIntakeMethods.submitEvaluations, batch, options: options)
        let repeated = try await center.client.call(ScoringIntakeMethods.submitEvaluations, batch, options: options)
        #expect(first == repeated)
        #expect(repeated.accepted == 4)
        #expect(try await scores(center, "a1").count == 4)
        try await center.stop()
    }

    @Test func theWatchListShowsLastWeeksLowScorersAndTheirSummaries() async throws {
        let center = try await Center.start()
        // Week 2026-W41 is 10-05..10-11; its summaries are due 2 working days after Sunday 10-11: 10-12, 10-13.
        let week = [
            Self.evaluation("w1", agent: "a1", at: "2026-10-10T09:00:00", total: 70),
            Self.evaluation("w2", agent: "a1", at: "2026-10-11T09:00:00", total: 80),
            Self.evaluation("w3", agent: "a2", at: "2026-10-10T09:00:00", total: 95),
        ]
        _ = try await center.client.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: week))
        let list = try await center.client.call(ScoringIntakeMethods.getWeeklyWatchList, GetWeeklyWatchListRequest(week: "2026-W41"))
        #expect(list.weekStart == "2026-10-05")
        #expect(list.teams.map(\.teamId) == ["t1"])
        #expect(list.teams.first?.agents.map(\.agentId) == ["a1"])
        #expect(list.teams.first?.summaryDueDate == "2026-10-13")
        #expect(list.teams.first?.agents.first?.summaryState == .missing)
        #expect(list.teams.first?.agents.first?.weakestCriteria.count == 2)
        // Written on 2026-11-10 (the service clock): late.
        let summary = try await center.client.call(
            ScoringIntakeMethods.submitWatchListSummary,
            SubmitWatchListSummaryRequest(week: "2026-W41", agentId: "a1", authorId: "lead-t1", text: "Rushes the greeting; coach on phrasing."))
        #expect(summary.state == .late)
        await #expect(throws: RPCError.self) {
            _ = try await center.client.call(
                ScoringIntakeMethods.submitWatchListSummary,
                SubmitWatchListSummaryRequest(week: "2026-W41", agentId: "a2", authorId: "lead-t1", text: "Not on the list"))
        }
        try await center.stop()
    }

    @Test func killNineAmidBatchesLosesNothingAcknowledged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var process = try ServiceProcess("scoring-intake", in: directory, arguments: ["--clock-start", "2026-11-10T10:00:00+08:00"])
        try await process.waitUntilServing()
        let seeding = Center(directory: directory, process: process, client: try await RPCClient.connect(socketPath: process.socketPath))
        try await seeding.seed()
        await seeding.client.close()

        // 40 batches of 250, sent concurrently; the process is killed while they are in flight.
        let batches = (0..<40).map { batch in
            SubmitEvaluationsRequest(evaluations: (0..<250).map { index in
                let agent = ["a1", "a2", "a3", "a4"][index % 4]
                return Self.evaluation("k\(batch)-\(index)", agent: agent, at: "2026-10-\(12 + index % 10)T10:00:00", total: 90)
            })
        }
        let client = try await RPCClient.connect(socketPath: process.socketPath)
        let calls = batches.map { client.callFuture(ScoringIntakeMethods.submitEvaluations, $0) }
        _ = try await calls[2].get()
        process.signal(SIGKILL)
        var acknowledged: Set<Int> = []
        for (index, call) in calls.enumerated() {
            if let result = try? await call.get(), result.accepted == 250 { acknowledged.insert(index) }
        }
        _ = try await process.waitForExit()
        await client.close()
        #expect(!acknowledged.isEmpty)
        print("kill -9 after \(acknowledged.count) of \(batches.count) batches were acknowledged")

        process = try ServiceProcess("scoring-intake", in: directory, arguments: ["--clock-start", "2026-11-10T10:00:00+08:00"])
        try await process.waitUntilServing()
        let again = try await RPCClient.connect(socketPath: process.socketPath)
        func total() async throws -> UInt32 {
            let averages = try await again.call(ScoringIntakeMethods.getMonthlyAverages, GetMonthlyAveragesRequest(month: "2026-10"))
            return averages.groups.first?.count ?? 0
        }
        #expect(try await total() >= UInt32(acknowledged.count * 250))
        // Resend everything: the acknowledged batches are duplicates, the rest is stored once.
        var duplicates: UInt32 = 0
        for batch in batches {
            let result = try await again.call(ScoringIntakeMethods.submitEvaluations, batch)
            #expect(result.rejected == 0)
            duplicates += result.duplicate
        }
        #expect(duplicates >= UInt32(acknowledged.count * 250))
        #expect(try await total() == 10_000)
        await again.close()
        #expect(try await process.stop() == 0)
    }
}
