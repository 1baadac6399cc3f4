import Foundation
import RPCRuntime
import Synchronization
import TestSupport
import Testing
import TrainingWire

@testable import TrainCtl

/// `trainctl schedule memos`, `attendance`, `tally` and `coaching list` against a stand-in
/// for training-scheduling that answers as the contract says: what the commands send and
/// how they show the answers (memos, tables, `--json`, exit codes).
@Suite("trainctl schedule notices, attendance and coaching against a stand-in service", .serialized)
struct ScheduleWorkClientTests {
    /// What the stand-in received.
    final class Received: Sendable {
        private let state = Mutex<[any Sendable]>([])
        func append(_ request: any Sendable) { state.withLock { $0.append(request) } }
        func all<T>(_ type: T.Type) -> [T] { state.withLock { $0.compactMap { $0 as? T } } }
    }

    func withStandIn(_ router: RPCRouter, _ body: @Sendable (_ socket: String, _ directory: TemporaryDirectory) async throws -> Void) async throws {
        try await withInProcessServer(router: router) { socket, _ in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            try await body(socket, directory)
        }
    }

    // MARK: - memos

    static let tierReason = "coaching tier for 2026-12 (2026-11 closed, revision 1)"

    static func notices() -> [Notice] {
        let placement = Notice(
            noticeId: "n-1", kind: .noticePlacement, recipientRole: .noticeToAgent, recipientId: "A1", month: "2026-12", agentId: "A1",
            teamId: "RS-01", sessionId: "S1", courseId: "C-WARMTH", courseTitle: "Warmth <on> the phone",
            purpose: "Callers remember how they were treated.", topics: ["empathy", "closing"], preparation: "Two of your calls.",
            start: "2026-12-01T09:00", end: "2026-12-01T11:00", site: "Tower B", roomId: "R-301", directions: "Floor 3, left.",
            trainerName: "Liu Wei", trainerBiography: "Ten years on the phones.", requirement: .attendanceRequired, shortNotice: true,
            tierReason: tierReason)  // the contract says never; the service has a bug
        var brief = placement
        brief.noticeId = "n-2"
        brief.kind = .noticeTeamLeaderBrief
        brief.recipientRole = .noticeToTeamLeader
        brief.recipientId = "TL1"
        var reminder = brief
        reminder.noticeId = "n-3"
        reminder.kind = .noticeGoalTalkReminder
        reminder.tierReason = ""
        return [placement, brief, reminder]
    }

    @Test func memosPrintEveryNoticeAndNeverTheAgentsTier() async throws {
        let received = Received()
        var router = RPCRouter()
        router.registerAsync(TrainingSchedulingMethods.listNotices) { request, _ in
            received.append(request)
            let all = Self.notices()
            guard request.sessionId == "S1" else { return NoticeList(notices: all) }
            // Pages of two for this session: trainctl must follow next_after_notice_id.
            let rest = all.drop { !request.afterNoticeId.isEmpty && $0.noticeId <= request.afterNoticeId }
            let page = Array(rest.prefix(2))
            return NoticeList(notices: page, nextAfterNoticeId: rest.count > 2 ? page.last?.noticeId ?? "" : "")
        }
        try await withStandIn(router) { socket, directory in
            let text = try await runTrainCtl(["schedule", "memos", "2026-12", "--session", "S1", "--scheduling-socket", socket], in: directory.path)
            #expect(text.status == 0, "\(text)")
            #expect(received.all(ListNoticesRequest.self) == [
                ListNoticesRequest(month: "2026-12", sessionId: "S1", limit: 5000),
                ListNoticesRequest(month: "2026-12", sessionId: "S1", limit: 5000, afterNoticeId: "n-2"),
            ])
            let memos = text.stdout.components(separatedBy: String(repeating: "-", count: 72))
            #expect(memos.count == 3, "\(text)")
            let agentMemo = memos[0]
            for element in ["Training notice: Warmth <on> the phone", "Callers remember how they were treated.", "- empathy",
                            "Two of your calls.", "Tuesday 2026-12-01, 09:00–11:00", "Tower B, room R-301", "Floor 3, left.",
                            "Liu Wei", "Ten years on the phones.", "required", "!! Short notice"] {
                #expect(agentMemo.contains(element), "missing \(element) in\n\(agentMemo)")
            }
            #expect(!agentMemo.lowercased().contains("tier"), "\(agentMemo)")
            #expect(memos[1].contains(Self.tierReason) && memos[1].contains("Team leader brief: A1"), "\(memos[1])")
            #expect(memos[2].contains("trainctl schedule goals 2026-12 S1 A1 --goals 'THE GOALS YOU AGREED' --by TL1"), "\(memos[2])")
            #expect(text.stderr.contains("warning: notice n-1 to agent A1 carries a tier reason; it is not printed"), "\(text)")

            // One self-contained HTML file per notice, named by its id.
            let out = directory.file("memos")
            let files = try await runTrainCtl(["schedule", "memos", "2026-12", "--format", "html", "--out", out, "--scheduling-socket", socket],
                                              in: directory.path)
            #expect(files.status == 0, "\(files)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["n-1.html", "n-2.html", "n-3.html"])
            let page = try String(contentsOfFile: "\(out)/n-1.html", encoding: .utf8)
            #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<h1>Training notice: Warmth &lt;on&gt; the phone</h1>"), "\(page)")
            #expect(!page.contains(Self.tierReason) && !page.lowercased().contains("tier"))
            #expect(try String(contentsOfFile: "\(out)/n-2.html", encoding: .utf8).contains(Self.tierReason))
            #expect(files.stdout.contains("Wrote 3 memos of 2026-12 to \(out)."), "\(files)")

            // One HTML document on standard output.
            let document = try await runTrainCtl(["schedule", "memos", "2026-12", "--format", "html", "--scheduling-socket", socket], in: directory.path)
            #expect(document.stdout.components(separatedBy: "<article class=\"memo\"").count == 4, "\(document)")
            #expect(document.stdout.components(separatedBy: "<!DOCTYPE html>").count == 2)

            // --json: the notices, the agent's without a tier reason.
            let json = try await runTrainCtl(["schedule", "memos", "2026-12", "--agent", "A1", "--json", "--scheduling-socket", socket], in: directory.path)
            #expect(received.all(ListNoticesRequest.self).last == ListNoticesRequest(month: "2026-12", agentId: "A1", limit: 5000))
            let notices = try foundationObject(json.stdout)["notices"] as? [[String: Any]] ?? []
            #expect(notices.map { $0["kind"] as? String } == ["placement", "team_leader_brief", "goal_talk_reminder"], "\(json)")
            #expect(notices.first?["tier_reason"] is NSNull && notices.first?["recipient_role"] as? String == "agent")
            #expect(notices[1]["tier_reason"] as? String == Self.tierReason && notices[1]["topics"] as? [String] == ["empathy", "closing"])

            let usage = try await runTrainCtl(["schedule", "memos", "2026-12", "--json", "--out", out, "--scheduling-socket", socket], in: directory.path)
            #expect(usage.status == 64, "\(usage)")
            let format = try await runTrainCtl(["schedule", "memos", "2026-12", "--format", "pdf", "--scheduling-socket", socket], in: directory.path)
            #expect(format.status == 64, "\(format)")
            #expect(received.all(ListNoticesRequest.self).count == 5)  // the first memos call took two pages
        }
    }

    // MARK: - attendance

    @Test func attendanceSendsTheReadableRecordsAndSaysWhatBecameOfEach() async throws {
        let received = Received()
        var router = RPCRouter()
        router.registerAsync(TrainingSchedulingMethods.recordAttendance) { request, _ in
            received.append(request)
            guard request.sessionId == "S1" else {
                throw RPCError(.failedPrecondition, "session S9 has not started yet", violations: [
                    Violation(subject: "session_id", description: "starts 2026-12-20T09:00 (service clock 2026-12-10T08:00)"),
                ])
            }
            var batch = BatchResponse()
            for (index, record) in request.records.enumerated() {
                var result = RecordResult(index: UInt32(index), id: record.agentId, outcome: .accepted)
                switch record.agentId {
                case "A9":
                    result.outcome = .rejected
                    result.violations = [Violation(subject: "agent_id", description: "A9 is not a participant of S1")]
                    batch.rejected += 1
                case "A2":
                    result.outcome = .replaced
                    batch.replaced += 1
                default:
                    batch.accepted += 1
                }
                batch.results.append(result)
            }
            return RecordAttendanceResponse(results: batch, complete: true, missing: 0, replacedAgentIds: ["A3"], unplacedAgentIds: ["A4"])
        }
        try await withStandIn(router) { socket, directory in
            try writeFile(directory.file("attendance.csv"), """
                agent_id,status,reason
                A1,present,
                A2,late,"the lift, again"
                A3,absent,
                A4,absent,
                A5,excused,
                A9,present,

                """)
            let run = try await runTrainCtl(["schedule", "attendance", "2026-12", "S1", "attendance.csv", "--by", "T1", "--scheduling-socket", socket],
                                            in: directory.path)
            #expect(run.status == 0, "\(run)")
            let sent = try #require(received.all(RecordAttendanceRequest.self).first)
            #expect(sent.month == "2026-12" && sent.sessionId == "S1" && sent.recordedBy == "T1")
            #expect(sent.records == [
                AttendanceRecord(agentId: "A1", status: .attendancePresent),
                AttendanceRecord(agentId: "A2", status: .attendanceLate, reason: "the lift, again"),
                AttendanceRecord(agentId: "A3", status: .attendanceAbsent), AttendanceRecord(agentId: "A4", status: .attendanceAbsent),
                AttendanceRecord(agentId: "A9", status: .attendancePresent),
            ])
            #expect(run.stdout.contains("Attendance of S1 (2026-12) from attendance.csv: 3 recorded, 1 corrected, 0 unchanged, 2 rejected"), "\(run)")
            #expect(run.stdout.contains("3     A2     late     corrected"), "\(run)")
            #expect(run.stdout.contains("6     A5     -        rejected   reason: an excused absence needs a reason"), "\(run)")
            #expect(run.stdout.contains("7     A9     present  rejected   agent_id: A9 is not a participant of S1"), "\(run)")
            #expect(run.stdout.contains("The session is complete"), "\(run)")
            #expect(run.stdout.contains("Placed again in a later session (absent without excuse): A3"), "\(run)")
            #expect(run.stdout.contains("Absent without excuse, no later session works: A4"), "\(run)")

            // --strict: a rejected record exits 2; --json says per record.
            let strict = try await runTrainCtl(["schedule", "attendance", "2026-12", "S1", "attendance.csv", "--by", "T1", "--strict", "--json",
                                                "--scheduling-socket", socket], in: directory.path)
            #expect(strict.status == 2, "\(strict)")
            let document = try foundationObject(strict.stdout)
            #expect(document["complete"] as? Bool == true && document["rejected"] as? Int == 2 && document["rejected_locally"] as? Int == 1)
            let results = document["results"] as? [[String: Any]] ?? []
            #expect(results.map { $0["outcome"] as? String } == ["accepted", "replaced", "accepted", "accepted", "rejected", "rejected"])
            #expect(results.map { $0["line"] as? Int } == [2, 3, 4, 5, 6, 7])
            #expect(document["replaced_agent_ids"] as? [String] == ["A3"] && document["unplaced_agent_ids"] as? [String] == ["A4"])

            // From arguments.
            let arguments = try await runTrainCtl(["schedule", "attendance", "2026-12", "S1", "A1=present", "A2=excused:sick leave",
                                                   "--by", "T1", "--scheduling-socket", socket], in: directory.path)
            #expect(arguments.status == 0, "\(arguments)")
            #expect(received.all(RecordAttendanceRequest.self).last?.records == [
                AttendanceRecord(agentId: "A1", status: .attendancePresent),
                AttendanceRecord(agentId: "A2", status: .attendanceExcused, reason: "sick leave"),
            ])
            #expect(arguments.stdout.contains("A2     excused  corrected"), "\(arguments)")

            // A usage error sends nothing.
            let usage = try await runTrainCtl(["schedule", "attendance", "2026-12", "S1", "A1=sick", "--by", "T1", "--scheduling-socket", socket],
                                              in: directory.path)
            #expect(usage.status == 64 && usage.stderr.contains("A1=sick: status must be one of present, late, absent, excused"), "\(usage)")
            #expect(received.all(RecordAttendanceRequest.self).count == 3)

            // The service's refusal: exit 1, the status and every violation.
            let refused = try await runTrainCtl(["schedule", "attendance", "2026-12", "S9", "A1=present", "--by", "T1", "--scheduling-socket", socket],
                                                in: directory.path)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("error: RecordAttendance: FAILED_PRECONDITION: session S9 has not started yet"), "\(refused)")
            #expect(refused.stderr.contains("  session_id: starts 2026-12-20T09:00 (service clock 2026-12-10T08:00)"), "\(refused)")
        }
    }

    // MARK: - tally

    @Test func tallyShowsTheCenterTeamsDepartmentsAndPenaltyProposals() async throws {
        var router = RPCRouter()
        router.registerAsync(TrainingSchedulingMethods.getMonthEndTally) { request, _ in
            guard request.month == "2026-12" else { throw RPCError(.notFound, "no enrolment for \(request.month)") }
            return MonthEndTally(
                month: request.month,
                center: TallyGroup(group: "center", required: 40, attended: 34, excused: 3, unexcused: 3, pending: 8),
                teams: [TallyGroup(group: "RS-01", required: 24, attended: 22, excused: 1, unexcused: 1, pending: 5),
                        TallyGroup(group: "RS-02", required: 16, attended: 12, excused: 2, unexcused: 2, pending: 3)],
                departments: [TallyGroup(group: "Voice", required: 40, attended: 34, excused: 3, unexcused: 3, pending: 8)],
                penalties: [PenaltyProposal(agentId: "A3", teamId: "RS-01", department: "Voice", sessionId: "S1", courseId: "C1",
                                            start: "2026-12-01T09:00", recordedBy: "T1")])
        }
        try await withStandIn(router) { socket, directory in
            let run = try await runTrainCtl(["schedule", "tally", "2026-12", "--scheduling-socket", socket], in: directory.path)
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("Month-end tally of 2026-12, required seats. Center: 40 in complete sessions, 34 attended (85.0%), "
                + "3 excused, 3 unexcused; 8 pending (sessions not complete yet)"), "\(run)")
            #expect(run.stdout.contains("Per team:\nTEAM   REQUIRED  ATTENDED  EXCUSED  UNEXCUSED  PENDING  ATTENDED %"), "\(run)")
            #expect(run.stdout.contains("RS-02  16        12        2        2          3        75.0%"), "\(run)")
            #expect(run.stdout.contains("Per department:\nDEPARTMENT  REQUIRED"), "\(run)")
            #expect(run.stdout.contains("Penalty proposals (1 unexcused absence; the center's attendance rules decide)"), "\(run)")
            #expect(run.stdout.contains("A3     RS-01  Voice       S1       C1      2026-12-01 09:00  T1"), "\(run)")
            let json = try await runTrainCtl(["schedule", "tally", "2026-12", "--json", "--scheduling-socket", socket], in: directory.path)
            let document = try foundationObject(json.stdout)
            #expect((document["center"] as? [String: Any])?["unexcused"] as? Int == 3)
            #expect((document["teams"] as? [[String: Any]])?.map { $0["group"] as? String } == ["RS-01", "RS-02"])
            #expect((document["penalties"] as? [[String: Any]])?.first?["recorded_by"] as? String == "T1")
            let missing = try await runTrainCtl(["schedule", "tally", "2027-01", "--scheduling-socket", socket], in: directory.path)
            #expect(missing.status == 1 && missing.stderr.contains("error: GetMonthEndTally: NOT_FOUND: no enrolment for 2027-01"), "\(missing)")
            let usage = try await runTrainCtl(["schedule", "tally", "December", "--scheduling-socket", socket], in: directory.path)
            #expect(usage.status == 64, "\(usage)")
        }
    }

    // MARK: - coaching list

    @Test func coachingListSendsTheFiltersAndShowsWhatIsOverdue() async throws {
        let received = Received()
        var router = RPCRouter()
        router.registerAsync(TrainingSchedulingMethods.listCoachingRequests) { request, _ in
            received.append(request)
            return CoachingRequestList(requests: [
                CoachingRequest(requestId: "c-1", agentId: "A1", teamLeaderId: "TL1", problem: "Long holds\nwhile searching the CRM",
                                metricId: "aht", evidence: ["call-9"], priority: .high, state: .coachingRequested, planDueOn: "2026-12-04",
                                overdue: true, history: [CoachingStep(state: .coachingRequested, by: "TL1", atUnixMs: 1_794_000_000_000)]),
                CoachingRequest(requestId: "c-2", agentId: "A1", teamLeaderId: "TL1", problem: "Greeting", metricId: "csat", priority: .low,
                                state: .coachingPlanned, fromReview: true, attempt: 1, trainerId: "T1", method: .recordingReview,
                                sessions: [LocalTimeRange(start: "2026-12-03T10:00", end: "2026-12-03T11:00")], planDueOn: "2026-12-08"),
            ])
        }
        try await withStandIn(router) { socket, directory in
            let run = try await runTrainCtl(["schedule", "coaching", "list", "--state", "requested", "--agent", "A1", "--overdue",
                                             "--scheduling-socket", socket], in: directory.path)
            #expect(run.status == 0, "\(run)")
            #expect(received.all(ListCoachingRequestsRequest.self) == [ListCoachingRequestsRequest(state: .coachingRequested, agentId: "A1", overdueOnly: true)])
            #expect(run.stdout.contains("2 coaching requests, 1 overdue"), "\(run)")
            #expect(run.stdout.contains("c-1      A1     TL1          aht     high      requested  -        -                 -         2026-12-04 OVERDUE  Long holds / while searching the CRM"),
                    "\(run)")
            #expect(run.stdout.contains("c-2      A1     TL1          csat    low       planned    T1       recording_review  1         2026-12-08"), "\(run)")
            let json = try await runTrainCtl(["schedule", "coaching", "list", "--json", "--scheduling-socket", socket], in: directory.path)
            #expect(received.all(ListCoachingRequestsRequest.self).last == ListCoachingRequestsRequest())
            let requests = try foundationObject(json.stdout)["requests"] as? [[String: Any]] ?? []
            #expect(requests.map { $0["state"] as? String } == ["requested", "planned"] && requests.first?["overdue"] as? Bool == true)
            #expect(requests.first?["priority"] as? String == "high" && requests.first?["method"] is NSNull)
            #expect((requests.last?["sessions"] as? [[String: String]]) == [["start": "2026-12-03T10:00", "end": "2026-12-03T11:00"]])
            #expect((requests.first?["history"] as? [[String: Any]])?.first?["at"] as? String == "2026-11-06T21:20:00Z")
            let usage = try await runTrainCtl(["schedule", "coaching", "list", "--state", "waiting", "--scheduling-socket", socket], in: directory.path)
            #expect(usage.status == 64, "\(usage)")
            #expect(received.all(ListCoachingRequestsRequest.self).count == 2)
        }
    }
}
