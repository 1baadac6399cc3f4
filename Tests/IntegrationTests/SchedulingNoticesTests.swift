import Foundation
import RPCRuntime
import SQLiteStorage
import TestSupport
import Testing
import TrainingWire

/// Notices, goals, attendance and the month-end tally with the real processes (the center
/// of `SchedulingEnrolmentTests`: December's plan, a1 advanced, a2 and a4 standard, a3
/// coaching, all in team t1 whose leader is lead-t1).
@Suite("Scheduling: notices, attendance and the month-end tally", .serialized)
struct SchedulingNoticesTests {
    typealias Center = SchedulingEnrolmentTests.Center

    static func expectStatus<T>(_ code: StatusCode, _ body: () async throws -> T) async throws -> RPCError? {
        try await SchedulingPlanTests.expectStatus(code, body)
    }

    static func build(_ center: Center) async throws {
        try await center.publishDecember()
        try await center.importWorkforce()
        _ = try await center.planner.call(TrainingSchedulingMethods.buildEnrolment, BuildEnrolmentRequest(month: "2026-12"))
    }

    @Test("memos to agents never name the tier; the team leader's brief does; pending until acknowledged")
    func noticesOnPlacement() async throws {
        let center = try await Center.start()
        let planner = center.planner
        try await Self.build(center)

        let a3 = try await planner.call(TrainingSchedulingMethods.listNotices, ListNoticesRequest(month: "2026-12", agentId: "a3")).notices
        let memos = a3.filter { $0.recipientRole == .noticeToAgent }
        #expect(Set(memos.map(\.courseId)) == ["C-NEW", "C-QUAL"] && memos.allSatisfy { $0.kind == .noticePlacement })
        let memo = try #require(memos.first { $0.courseId == "C-QUAL" })
        #expect(memo.courseTitle == "Service quality" && memo.trainerName == "Li Na" && memo.site == "Chengdu" && memo.roomId == "R1")
        #expect(memo.start == "2026-12-03T10:00" && memo.requirement == .attendanceRequired && !memo.shortNotice)
        // Training is not a punishment: nothing addressed to the agent says "coaching" or "tier".
        for notice in memos {
            #expect(notice.tierReason.isEmpty)
            let text = Mirror(reflecting: notice).children.map { child in
                (child.value as? String) ?? (child.value as? [String])?.joined(separator: " ") ?? ""
            }.joined(separator: " ").lowercased()
            #expect(!text.contains("coaching") && !text.contains("tier"), "\(notice)")
        }
        let brief = try #require(a3.first { $0.kind == .noticeTeamLeaderBrief && $0.courseId == "C-QUAL" })
        #expect(brief.recipientId == "lead-t1" && brief.recipientRole == .noticeToTeamLeader)
        #expect(brief.tierReason.hasPrefix("coaching tier for 2026-12"))
        let reminder = try #require(a3.first { $0.kind == .noticeGoalTalkReminder && $0.courseId == "C-QUAL" })
        // 7 days before 2026-12-03 10:00 in Shanghai is 2026-11-26 02:00 UTC.
        #expect(reminder.sendAfterUnixMs == 1_795_658_400_000)

        // Pending now: 7 memos and 7 briefs; the reminders come a week before their sessions.
        let pending = try await planner.call(TrainingSchedulingMethods.listPendingNotices, ListPendingNoticesRequest(limit: 1000)).notices
        #expect(pending.count == 14 && !pending.contains { $0.kind == .noticeGoalTalkReminder })
        let ids = pending.prefix(5).map(\.noticeId)
        let acknowledged = try await planner.call(TrainingSchedulingMethods.acknowledgeNotices, AcknowledgeNoticesRequest(noticeIds: ids + [ids[0], "n-999999", "x"]))
        #expect(acknowledged.results.map(\.outcome) == [.accepted, .accepted, .accepted, .accepted, .accepted, .duplicate, .rejected, .rejected])
        let after = try await planner.call(TrainingSchedulingMethods.listPendingNotices, ListPendingNoticesRequest()).notices
        #expect(after.count == 9 && Set(after.map(\.noticeId)).isDisjoint(with: ids))
        let pendingPage = try await planner.call(TrainingSchedulingMethods.listPendingNotices, ListPendingNoticesRequest(limit: 2, afterNoticeId: after[0].noticeId)).notices
        #expect(pendingPage.map(\.noticeId) == Array(after[1...2].map(\.noticeId)))

        // The month's notices page by page: the same notices as one big page, in order.
        let whole = try await planner.call(TrainingSchedulingMethods.listNotices, ListNoticesRequest(month: "2026-12", limit: 10_000))
        #expect(whole.notices.count == 21 && whole.nextAfterNoticeId.isEmpty)
        var paged: [String] = [], next = ""
        repeat {
            let page = try await planner.call(TrainingSchedulingMethods.listNotices, ListNoticesRequest(month: "2026-12", limit: 5, afterNoticeId: next))
            #expect(page.notices.count <= 5)
            paged += page.notices.map(\.noticeId)
            next = page.nextAfterNoticeId
        } while !next.isEmpty
        #expect(paged == whole.notices.map(\.noticeId))
        let badPage = try await Self.expectStatus(.invalidArgument) {
            try await planner.call(TrainingSchedulingMethods.listNotices, ListNoticesRequest(month: "2026-12", limit: 10_001, afterNoticeId: "7"))
        }
        #expect(badPage?.violations.map(\.subject) == ["limit", "after_notice_id"])

        // A moved session sends the change, with the old time; a cancelled one the reason.
        _ = try await planner.call(TrainingSchedulingMethods.moveSession, MoveSessionRequest(month: "2026-12", sessionId: "S-QUAL-2", start: "2026-12-03T14:00", end: "2026-12-03T16:00"))
        let change = try #require(try await planner.call(TrainingSchedulingMethods.listNotices, ListNoticesRequest(month: "2026-12", agentId: "a3", sessionId: "S-QUAL-2"))
            .notices.first { $0.kind == .noticeChange })
        #expect(change.previousStart == "2026-12-03T10:00" && change.start == "2026-12-03T14:00" && change.recipientId == "a3")
        _ = try await planner.call(TrainingSchedulingMethods.cancelSession, CancelSessionRequest(month: "2026-12", sessionId: "S-QUAL-2", reason: "Trainer ill"))
        let cancelled = try await planner.call(TrainingSchedulingMethods.listNotices, ListNoticesRequest(month: "2026-12", sessionId: "S-QUAL-2")).notices
            .filter { $0.kind == .noticeCancellation }
        #expect(Set(cancelled.map(\.agentId)) == ["a3", "a4"] && cancelled.allSatisfy { $0.reason.contains("Trainer ill") })
        // The reminders of the cancelled seats are withdrawn before they were ever sent.
        let reminders = try await planner.call(TrainingSchedulingMethods.listNotices, ListNoticesRequest(month: "2026-12", sessionId: "S-QUAL-2")).notices
            .filter { $0.kind == .noticeGoalTalkReminder }
        #expect(reminders.isEmpty)
        try await center.stop()
    }

    @Test("a placement 10 days before the session is short-notice and reported per team")
    func shortNotice() async throws {
        let center = try await Center.start(clock: "2026-11-21T10:00:00+08:00")
        try await Self.build(center)
        let report = try await center.planner.call(TrainingSchedulingMethods.getShortNoticeReport, GetShortNoticeReportRequest(month: "2026-12"))
        #expect(report.leadDays == 14)
        #expect(report.teams.map { ($0.teamId, $0.placements, $0.shortNotice) }.elementsEqual([("t1", 7, 7)]) { $0 == $1 })
        #expect(report.shortNotice.count == 7 && report.shortNotice.allSatisfy(\.shortNotice))
        let memos = try await center.planner.call(TrainingSchedulingMethods.listNotices, ListNoticesRequest(month: "2026-12", agentId: "a1")).notices
        #expect(memos.allSatisfy { $0.shortNotice })
        try await center.stop()
    }

    @Test("attendance completes a session, emits SessionCompleted, re-places the unexcused absence, and is tallied")
    func attendanceAndTally() async throws {
        let directory = try TemporaryDirectory()
        var center = try await Center.start(directory: directory)
        try await Self.build(center)
        _ = try await center.planner.call(TrainingSchedulingMethods.recordGoals, RecordGoalsRequest(
            month: "2026-12", sessionId: "S-NEW-1", agentId: "a1", goals: "Explain the new card's fees without notes", agreedBy: "lead-t1"))
        #expect(try await center.seats("a1")["C-NEW"]?.goals == "Explain the new card's fees without notes")
        _ = try await Self.expectStatus(.failedPrecondition) {
            try await center.planner.call(TrainingSchedulingMethods.recordAttendance, RecordAttendanceRequest(
                month: "2026-12", sessionId: "S-NEW-1", records: [AttendanceRecord(agentId: "a1", status: .attendancePresent)], recordedBy: "T1"))
        }

        // December 2, 13:00: the first session has taken place.
        await center.qa.close()
        await center.planner.close()
        for process in [center.intake, center.scheduling] { #expect(try await process.stop() == 0) }
        center = try await Center.start(clock: "2026-12-02T13:00:00+08:00", directory: directory, seed: false)
        let planner = center.planner
        let first = try await planner.call(TrainingSchedulingMethods.recordAttendance, RecordAttendanceRequest(
            month: "2026-12", sessionId: "S-NEW-1",
            records: [
                AttendanceRecord(agentId: "a1", status: .attendancePresent), AttendanceRecord(agentId: "a2", status: .attendanceLate),
                AttendanceRecord(agentId: "a3", status: .attendanceAbsent), AttendanceRecord(agentId: "a4", status: .attendanceExcused),
                AttendanceRecord(agentId: "n1", status: .attendancePresent),
            ],
            recordedBy: "T1"))
        #expect(first.results?.results.map(\.outcome) == [.accepted, .accepted, .accepted, .rejected, .rejected])
        #expect(first.results?.results[3].violations.map(\.subject) == ["reason"])
        #expect(first.results?.results[4].violations.map(\.subject) == ["agent_id"])
        #expect(!first.complete && first.missing == 1)
        let second = try await planner.call(TrainingSchedulingMethods.recordAttendance, RecordAttendanceRequest(
            month: "2026-12", sessionId: "S-NEW-1",
            records: [AttendanceRecord(agentId: "a4", status: .attendanceExcused, reason: "Sick leave")], recordedBy: "T1"))
        #expect(second.complete && second.missing == 0)
        // a3 missed a required course without excuse: placed again in the later session.
        #expect(second.replacedAgentIds == ["a3"] && second.unplacedAgentIds.isEmpty)
        #expect(try await center.seats("a3")["C-NEW"]?.sessionId == "S-NEW-2")
        let notices = try await planner.call(TrainingSchedulingMethods.listNotices, ListNoticesRequest(month: "2026-12", agentId: "a3", sessionId: "S-NEW-2")).notices
        #expect(notices.contains { $0.kind == .noticePlacement && $0.shortNotice })

        // Complete means frozen; a session that has not started takes no attendance.
        let again = try await Self.expectStatus(.failedPrecondition) {
            try await planner.call(TrainingSchedulingMethods.recordAttendance, RecordAttendanceRequest(
                month: "2026-12", sessionId: "S-NEW-1", records: [AttendanceRecord(agentId: "a3", status: .attendancePresent)], recordedBy: "T1"))
        }
        #expect(again?.violations.first?.subject == "session_id")
        _ = try await Self.expectStatus(.failedPrecondition) {
            try await planner.call(TrainingSchedulingMethods.recordAttendance, RecordAttendanceRequest(
                month: "2026-12", sessionId: "S-TEAM-1", records: [AttendanceRecord(agentId: "a2", status: .attendancePresent)], recordedBy: "T1"))
        }

        // One SessionCompleted per participant, in the scheduling service's outbox.
        let events = try Self.outbox(center.scheduling.databasePath, type: SessionCompleted.protoName).map { try SessionCompleted(serializedBytes: $0) }
        #expect(events.map(\.agentId) == ["a1", "a2", "a3", "a4"])
        #expect(events.map(\.attended) == [true, true, false, false] && events.map(\.excused) == [false, false, false, true])
        #expect(events[0].goals == "Explain the new card's fees without notes" && events[1].late && events[0].completedOn == "2026-12-01")

        let tally = try await planner.call(TrainingSchedulingMethods.getMonthEndTally, GetMonthEndTallyRequest(month: "2026-12"))
        let total = try #require(tally.center)
        #expect((total.required, total.attended, total.excused, total.unexcused) == (4, 2, 1, 1))
        // Still to come: a2, a3, a4 in the quality course, a3 again in new business.
        #expect(total.pending == 4)
        #expect(tally.teams.map(\.group) == ["t1"] && tally.departments.map(\.group) == ["Retail"])
        #expect(tally.penalties.map { ($0.agentId, $0.sessionId, $0.start) }.elementsEqual([("a3", "S-NEW-1", "2026-12-01T10:00")]) { $0 == $1 })
        try await center.stop()
    }

    /// Payloads of one event type in a service's outbox, read from its database file.
    static func outbox(_ database: String, type: String) throws -> [[UInt8]] {
        let connection = try SQLiteConnection(path: database, readOnly: true)
        defer { try? connection.close() }
        return try connection.query("SELECT payload FROM outbox_events WHERE type = ? ORDER BY sequence", [.text(type)]) { $0.blob(at: 0) }
    }
}
