import Foundation
import RPCRuntime
import TestSupport
import Testing
import TrainingWire

/// Every TrainingScheduling method added for enrolment, notices and attendance answers bad
/// input with the documented status and names the field, against the real executable.
@Suite("Scheduling input validation", .serialized)
struct SchedulingValidationTests {
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
        let center = try await SchedulingEnrolmentTests.Center.start()
        let client = center.planner
        let m = TrainingSchedulingMethods.self
        // Before any enrolment: what needs one says so.
        var cases: [(String, StatusCode, String, () async throws -> Void)] = []
        cases.append(("GetEnrolment none", .notFound, "", { _ = try await client.call(m.getEnrolment, GetEnrolmentRequest(month: "2026-12")) }))
        cases.append(("ValidateMonthlyPlan no draft", .notFound, "", {
            _ = try await client.call(m.validateMonthlyPlan, ValidateMonthlyPlanRequest(month: "2026-12"))
        }))
        cases.append(("GetShortNoticeReport none", .notFound, "", {
            _ = try await client.call(m.getShortNoticeReport, GetShortNoticeReportRequest(month: "2026-12"))
        }))
        cases.append(("GetMonthEndTally none", .notFound, "", { _ = try await client.call(m.getMonthEndTally, GetMonthEndTallyRequest(month: "2026-12")) }))
        for (name, code, subject, body) in cases {
            let got = await failure(body)
            #expect(got?.0 == code, "\(name): \(String(describing: got))")
            if !subject.isEmpty { #expect(got?.1.first == subject, "\(name): \(String(describing: got))") }
        }

        try await center.publishDecember()
        try await center.importWorkforce()
        _ = try await client.call(m.buildEnrolment, BuildEnrolmentRequest(month: "2026-12"))
        cases = []
        cases.append(("BuildEnrolment bad month", .invalidArgument, "month", { _ = try await client.call(m.buildEnrolment, BuildEnrolmentRequest(month: "12/2026")) }))
        cases.append(("PutQueues empty", .invalidArgument, "queues", { _ = try await client.call(m.putQueues, PutQueuesRequest()) }))
        cases.append(("PutShifts bad month", .invalidArgument, "month", {
            _ = try await client.call(m.putShifts, PutShiftsRequest(month: "2026-13", agents: [AgentShifts(agentId: "a1")]))
        }))
        cases.append(("PutForecasts empty", .invalidArgument, "forecasts", { _ = try await client.call(m.putForecasts, PutForecastsRequest(month: "2026-12")) }))
        cases.append(("GetTeamSchedule without team", .invalidArgument, "team_id", {
            _ = try await client.call(m.getTeamSchedule, GetTeamScheduleRequest(month: "2026-12"))
        }))
        cases.append(("GetSessionSchedule unknown", .notFound, "", {
            _ = try await client.call(m.getSessionSchedule, GetSessionScheduleRequest(month: "2026-12", sessionId: "S-NONE"))
        }))
        cases.append(("SignUp without agent", .invalidArgument, "agent_id", {
            _ = try await client.call(m.signUp, SignUpRequest(month: "2026-12", sessionId: "S-TEAM-1"))
        }))
        cases.append(("SignUp unknown agent", .notFound, "", {
            _ = try await client.call(m.signUp, SignUpRequest(month: "2026-12", sessionId: "S-TEAM-1", agentId: "ghost"))
        }))
        cases.append(("SignUp unknown session", .notFound, "", {
            _ = try await client.call(m.signUp, SignUpRequest(month: "2026-12", sessionId: "S-NONE", agentId: "a1"))
        }))
        cases.append(("Withdraw without sign-up", .notFound, "", {
            _ = try await client.call(m.withdraw, WithdrawRequest(month: "2026-12", sessionId: "S-TEAM-1", agentId: "a1"))
        }))
        cases.append(("CancelSession without reason", .invalidArgument, "reason", {
            _ = try await client.call(m.cancelSession, CancelSessionRequest(month: "2026-12", sessionId: "S-QUAL-1"))
        }))
        cases.append(("MoveSession end before start", .invalidArgument, "end", {
            _ = try await client.call(m.moveSession, MoveSessionRequest(month: "2026-12", sessionId: "S-QUAL-1", start: "2026-12-04T10:00", end: "2026-12-04T09:00"))
        }))
        cases.append(("MoveSession out of the month", .invalidArgument, "start", {
            _ = try await client.call(m.moveSession, MoveSessionRequest(month: "2026-12", sessionId: "S-QUAL-1", start: "2027-01-04T10:00", end: "2027-01-04T12:00"))
        }))
        cases.append(("WhatIf without agents", .invalidArgument, "agent_ids", {
            _ = try await client.call(m.whatIf, WhatIfRequest(month: "2026-12", sessionId: "S-QUAL-1"))
        }))
        cases.append(("WhatIf without session or time", .invalidArgument, "start", {
            _ = try await client.call(m.whatIf, WhatIfRequest(month: "2026-12", agentIds: ["a1"]))
        }))
        cases.append(("WhatIf unknown agent", .notFound, "", {
            _ = try await client.call(m.whatIf, WhatIfRequest(month: "2026-12", sessionId: "S-QUAL-1", agentIds: ["ghost"]))
        }))
        cases.append(("ListPendingNotices limit", .invalidArgument, "limit", {
            _ = try await client.call(m.listPendingNotices, ListPendingNoticesRequest(limit: 1001))
        }))
        cases.append(("AcknowledgeNotices empty", .invalidArgument, "notice_ids", {
            _ = try await client.call(m.acknowledgeNotices, AcknowledgeNoticesRequest())
        }))
        cases.append(("ListNotices bad agent", .invalidArgument, "agent_id", {
            _ = try await client.call(m.listNotices, ListNoticesRequest(month: "2026-12", agentId: "a\u{7}"))
        }))
        cases.append(("RecordGoals without goals", .invalidArgument, "goals", {
            _ = try await client.call(m.recordGoals, RecordGoalsRequest(month: "2026-12", sessionId: "S-NEW-1", agentId: "a1", agreedBy: "lead-t1"))
        }))
        cases.append(("RecordGoals no seat", .notFound, "", {
            _ = try await client.call(m.recordGoals, RecordGoalsRequest(month: "2026-12", sessionId: "S-TEAM-1", agentId: "a1", goals: "x", agreedBy: "lead-t1"))
        }))
        cases.append(("RecordAttendance empty", .invalidArgument, "records", {
            _ = try await client.call(m.recordAttendance, RecordAttendanceRequest(month: "2026-12", sessionId: "S-NEW-1", recordedBy: "T1"))
        }))
        cases.append(("RecordAttendance unknown session", .notFound, "", {
            _ = try await client.call(m.recordAttendance, RecordAttendanceRequest(
                month: "2026-12", sessionId: "S-NONE", records: [AttendanceRecord(agentId: "a1", status: .attendancePresent)], recordedBy: "T1"))
        }))
        cases.append(("GetMonthEndTally bad month", .invalidArgument, "month", {
            _ = try await client.call(m.getMonthEndTally, GetMonthEndTallyRequest(month: "December"))
        }))
        for (name, code, subject, body) in cases {
            let got = await failure(body)
            #expect(got?.0 == code, "\(name): \(String(describing: got))")
            if !subject.isEmpty { #expect(got?.1.first == subject, "\(name): \(String(describing: got))") }
        }
        // A rejected record in a batch is named; the good one is kept.
        let queues = try await client.call(m.putQueues, PutQueuesRequest(queues: [
            ServiceQueue(queueId: "ok", serviceLevelPercent: 80, answerWithinSeconds: 20),
            ServiceQueue(queueId: "bad", serviceLevelPercent: 100, answerWithinSeconds: 20),
        ]))
        #expect(queues.accepted == 1 && queues.results[1].violations.map(\.subject) == ["service_level_percent"])
        try await center.stop()
    }
}
