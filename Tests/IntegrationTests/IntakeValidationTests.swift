import Foundation
import RPCRuntime
import TestSupport
import Testing
import TrainingWire

/// Every ScoringIntake method answers bad input with the documented status and names the
/// field, against the real executable.
@Suite("Scoring intake input validation", .serialized)
struct IntakeValidationTests {
    /// Calls `body` and returns the status code and the violation subjects it failed with.
    func failure(_ body: () async throws -> Void) async -> (StatusCode, [String])? {
        do {
            try await body()
            return nil
        } catch let error as RPCError {
            return (error.code, error.violations.map(\.subject))
        } catch {
            return (.unknown, ["\(error)"])
        }
    }

    @Test func everyMethodNamesTheBadField() async throws {
        let center = try await IntakeFlowTests.Center.start()
        let client = center.client
        let intake = ScoringIntakeMethods.self

        var cases: [(String, StatusCode, String, () async throws -> Void)] = []
        cases.append(("UpsertRoster empty", .invalidArgument, "agents", { _ = try await client.call(intake.upsertRoster, UpsertRosterRequest()) }))
        cases.append(("GetAgent without id", .invalidArgument, "agent_id", { _ = try await client.call(intake.getAgent, GetAgentRequest()) }))
        cases.append(("GetAgent bad as_of", .invalidArgument, "as_of", {
            _ = try await client.call(intake.getAgent, GetAgentRequest(agentId: "a1", asOf: "2026-02-30"))
        }))
        cases.append(("GetAgent unknown", .notFound, "", { _ = try await client.call(intake.getAgent, GetAgentRequest(agentId: "ghost")) }))
        cases.append(("PutScorecard missing", .invalidArgument, "scorecard", { _ = try await client.call(intake.putScorecard, PutScorecardRequest()) }))
        cases.append(("PutScorecard no criteria", .invalidArgument, "scorecard.criteria", {
            _ = try await client.call(intake.putScorecard, PutScorecardRequest(scorecard: Scorecard(scorecardId: "x", version: 1)))
        }))
        cases.append(("PutScorecard changed version", .alreadyExists, "", {
            _ = try await client.call(intake.putScorecard, PutScorecardRequest(scorecard: Scorecard(
                scorecardId: "voice", version: 1, criteria: [Criterion(criterionId: "other", maxScore: 100, weight: 1)])))
        }))
        cases.append(("PutMetricDefinitions empty", .invalidArgument, "metrics", {
            _ = try await client.call(intake.putMetricDefinitions, PutMetricDefinitionsRequest())
        }))
        cases.append(("PutCalendar bad zone", .invalidArgument, "time_zone", {
            _ = try await client.call(intake.putCalendar, PutCalendarRequest(timeZone: "Mars/Olympus", year: 2026))
        }))
        cases.append(("PutCalendar day outside the year", .invalidArgument, "days[0].date", {
            _ = try await client.call(intake.putCalendar, PutCalendarRequest(
                timeZone: "Asia/Shanghai", year: 2026, days: [CalendarDay(date: "2027-01-01", kind: .holiday)]))
        }))
        cases.append(("PutCalendar another zone", .failedPrecondition, "time_zone", {
            _ = try await client.call(intake.submitEvaluations, SubmitEvaluationsRequest(evaluations: IntakeFlowTests.october("a1", [90])))
            _ = try await client.call(intake.putCalendar, PutCalendarRequest(timeZone: "Europe/Paris", year: 2026))
        }))
        cases.append(("GetCalendar reversed", .invalidArgument, "to_date", {
            _ = try await client.call(intake.getCalendar, GetCalendarRequest(fromDate: "2026-02-01", toDate: "2026-01-01"))
        }))
        cases.append(("GetCalendar year not imported", .failedPrecondition, "calendar", {
            _ = try await client.call(intake.getCalendar, GetCalendarRequest(fromDate: "2030-01-01", toDate: "2030-01-02"))
        }))
        cases.append(("SubmitEvaluations too many", .invalidArgument, "evaluations", {
            let many = (0..<10_001).map { Evaluation(evaluationId: "e\($0)") }
            _ = try await client.call(intake.submitEvaluations, SubmitEvaluationsRequest(evaluations: many))
        }))
        cases.append(("VoidEvaluation without reason", .invalidArgument, "reason", {
            _ = try await client.call(intake.voidEvaluation, VoidEvaluationRequest(evaluationId: "a1-0"))
        }))
        cases.append(("SubmitKpiSamples empty", .invalidArgument, "samples", {
            _ = try await client.call(intake.submitKpiSamples, SubmitKpiSamplesRequest())
        }))
        cases.append(("GetAgentScores bad date", .invalidArgument, "from_date", {
            _ = try await client.call(intake.getAgentScores, GetAgentScoresRequest(agentId: "a1", fromDate: "yesterday", toDate: "2026-10-31"))
        }))
        cases.append(("GetMonthlyAverages bad month", .invalidArgument, "month", {
            _ = try await client.call(intake.getMonthlyAverages, GetMonthlyAveragesRequest(month: "2026-1"))
        }))
        cases.append(("SetTierPolicy decimals", .invalidArgument, "rounding_decimals", {
            _ = try await client.call(intake.setTierPolicy, SetTierPolicyRequest(
                advancedThreshold: 95, coachingThreshold: 86, minimumEvaluations: 4, roundingDecimals: 9))
        }))
        cases.append(("CloseMonth bad month", .invalidArgument, "month", {
            _ = try await client.call(intake.closeMonth, CloseMonthRequest(month: "October"))
        }))
        cases.append(("ListTierAssignments never closed", .notFound, "", {
            _ = try await client.call(intake.listTierAssignments, ListTierAssignmentsRequest(month: "2026-09"))
        }))
        cases.append(("GetMonthToDateTiers bad month", .invalidArgument, "month", {
            _ = try await client.call(intake.getMonthToDateTiers, GetMonthToDateTiersRequest(month: "2026-10-01"))
        }))
        cases.append(("GetWeeklyWatchList bad week", .invalidArgument, "week", {
            _ = try await client.call(intake.getWeeklyWatchList, GetWeeklyWatchListRequest(week: "2026-W60"))
        }))
        cases.append(("SubmitWatchListSummary empty text", .invalidArgument, "text", {
            _ = try await client.call(intake.submitWatchListSummary, SubmitWatchListSummaryRequest(
                week: "2026-W41", agentId: "a1", authorId: "lead-t1", text: "  "))
        }))

        for (name, code, subject, call) in cases {
            let result = await failure(call)
            #expect(result?.0 == code, "\(name): \(String(describing: result))")
            if !subject.isEmpty {
                #expect(result?.1.contains(subject) == true, "\(name): \(String(describing: result))")
            }
        }
        // Still serving after all of it.
        _ = try await client.call(HealthMethods.check, HealthCheckRequest())
        try await center.stop()
    }
}
