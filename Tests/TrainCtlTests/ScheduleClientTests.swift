import Foundation
import RPCRuntime
import Synchronization
import TestSupport
import Testing
import TrainingWire

@testable import TrainCtl

/// `trainctl schedule` against a stand-in for training-scheduling that answers as the
/// contract says: what the commands send (grouping, fields) and how they show the answers
/// (tables, `--json`, exit codes), for methods whatever the real service implements today.
@Suite("trainctl schedule against a stand-in service", .serialized)
struct ScheduleClientTests {
    /// What the stand-in received.
    final class Received: Sendable {
        private let state = Mutex<[any Sendable]>([])
        func append(_ request: any Sendable) { state.withLock { $0.append(request) } }
        func all<T>(_ type: T.Type) -> [T] { state.withLock { $0.compactMap { $0 as? T } } }
    }

    /// Runs `body` with a stand-in serving `router` and a fresh directory to run trainctl in.
    func withStandIn(_ router: RPCRouter, _ body: @Sendable (_ socket: String, _ directory: TemporaryDirectory) async throws -> Void) async throws {
        try await withInProcessServer(router: router) { socket, _ in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            try await body(socket, directory)
        }
    }

    @Test func shiftsGoPerMonthAndARejectedAgentsLinesAreNamed() async throws {
        let received = Received()
        var router = RPCRouter()
        router.registerAsync(TrainingSchedulingMethods.putShifts) { request, _ in
            received.append(request)
            var response = BatchResponse()
            for (index, agent) in request.agents.enumerated() {
                var result = RecordResult(index: UInt32(index), id: agent.agentId, outcome: .accepted)
                if agent.agentId == "A2" {
                    result.outcome = .rejected
                    result.violations = [Violation(subject: "shifts[1].end", description: "is more than 24 hours after start")]
                    response.rejected += 1
                } else {
                    response.accepted += 1
                }
                response.results.append(result)
            }
            return response
        }
        try await withStandIn(router) { socket, directory in
            try writeFile(directory.file("shifts.csv"), """
                agent_id,start,end
                A2,2026-12-02T09:00,2026-12-04T18:00
                A1,2026-12-03T09:00,2026-12-03T18:00
                A1,2026-11-30T22:00,2026-12-01T06:00
                A2,2026-12-01T09:00,2026-12-01T18:00
                A1,2026-12-01T09:00,2026-12-01T18:00
                A3,2026-12-01T09:00,noon

                """)
            let run = try await runTrainCtl(["schedule", "import", "shifts", "shifts.csv", "--json", "--scheduling-socket", socket],
                                            in: directory.path)
            #expect(run.status == 0, "\(run)")
            let requests = received.all(PutShiftsRequest.self)
            #expect(requests.map(\.month) == ["2026-11", "2026-12"])
            #expect(requests.map { $0.agents.map(\.agentId) } == [["A1"], ["A1", "A2"]])
            #expect(requests[1].agents[1].shifts == [LocalTimeRange(start: "2026-12-01T09:00", end: "2026-12-01T18:00"),
                                                     LocalTimeRange(start: "2026-12-02T09:00", end: "2026-12-04T18:00")])
            // Counted in lines: A1's three accepted, A2's two rejected by the service, A3's line by trainctl.
            let summary = try decode(ImportSummary.self, from: run.stdout)
            #expect(summary.records == 6 && summary.batches == 2 && summary.accepted == 3)
            #expect(summary.rejected == 3 && summary.rejected_locally == 1 && summary.rejected_by_service == 2)
            let rejects = try readLines(directory.file("shifts.csv.rejects.jsonl")).map { try foundationObject($0) }
            #expect(rejects.map { $0["_line"] as? Int } == [2, 5, 7])
            let errors = rejects.map { ($0["_errors"] as? [[String: String]] ?? []).map { "\($0["field"] ?? ""): \($0["reason"] ?? "")" } }
            #expect(errors[0] == ["end: is more than 24 hours after start"])  // the second shift sent: line 2 (by start)
            #expect(errors[1] == [": not stored: rejected with the other lines of A2"])
            #expect(errors[2] == ["end: must be a local time YYYY-MM-DDTHH:MM, e.g. 2026-12-01T09:00"])
        }
    }

    @Test func validateListsTheViolationsAndExitsTwoOnlyWhenThereAreAny() async throws {
        var router = RPCRouter()
        router.registerAsync(TrainingSchedulingMethods.validateMonthlyPlan) { request, _ in
            guard request.month == "2026-12" else { return ValidateMonthlyPlanResponse(sessions: 3) }
            return ValidateMonthlyPlanResponse(sessions: 4, violations: [
                Violation(subject: "sessions S1,S2", description: "trainer_double_booked: trainer T1 teaches S1 and S2 at once"),
                Violation(subject: "sessions S4", description: "outside_trainer_availability: S4 is outside T1's availability"),
            ])
        }
        try await withStandIn(router) { socket, directory in
            let table = try await runTrainCtl(["schedule", "validate", "2026-12", "--scheduling-socket", socket], in: directory.path)
            #expect(table.status == 2, "\(table)")
            #expect(table.stdout.contains("breaks 2 rules"), "\(table)")
            #expect(table.stdout.contains("S1, S2    trainer_double_booked         trainer T1 teaches S1 and S2 at once"), "\(table)")
            let json = try await runTrainCtl(["schedule", "validate", "2026-12", "--json", "--scheduling-socket", socket], in: directory.path)
            #expect(json.status == 2)
            let document = try foundationObject(json.stdout)
            #expect(document["publishable"] as? Bool == false && document["sessions"] as? Int == 4)
            let violations = document["violations"] as? [[String: Any]] ?? []
            #expect(violations.map { $0["kind"] as? String } == ["trainer_double_booked", "outside_trainer_availability"])
            #expect(violations.first?["sessions"] as? [String] == ["S1", "S2"])
            let clean = try await runTrainCtl(["schedule", "validate", "2027-01", "--scheduling-socket", socket], in: directory.path)
            #expect(clean.status == 0 && clean.stdout.contains("breaks no rule"), "\(clean)")
        }
    }

    @Test func whatIfSendsTheCandidatesAndShowsEachInterval() async throws {
        let received = Received()
        var router = RPCRouter()
        router.registerAsync(TrainingSchedulingMethods.whatIf) { request, _ in
            received.append(request)
            return WhatIfResponse(keepsCoverage: false, intervals: [
                IntervalOutlook(intervalStart: "2026-12-01T09:00", queueId: "Q1", onFloor: 12, required: 10, serviceLevel: 0.8312, keepsCoverage: true),
                IntervalOutlook(intervalStart: "2026-12-01T09:30", teamId: "RS-01", onShift: 14, inTraining: 4, allowedInTraining: 2),
            ])
        }
        try await withStandIn(router) { socket, directory in
            let run = try await runTrainCtl(["schedule", "what-if", "2026-12", "--session", "S1", "A1", "A2", "--scheduling-socket", socket],
                                            in: directory.path)
            #expect(run.status == 0, "\(run)")
            #expect(received.all(WhatIfRequest.self) == [WhatIfRequest(month: "2026-12", sessionId: "S1", agentIds: ["A1", "A2"])])
            #expect(run.stdout.contains("1 interval would break coverage"), "\(run)")
            #expect(run.stdout.contains("2026-12-01 09:00  queue Q1    12        10        83.1%"), "\(run)")
            #expect(run.stdout.contains("2026-12-01 09:30  team RS-01  -         -         -              14        4            2        BROKEN"), "\(run)")
            let json = try await runTrainCtl(["schedule", "what-if", "2026-12", "--start", "2026-12-01T09:00", "--end", "2026-12-01T10:00",
                                              "A3", "--json", "--scheduling-socket", socket], in: directory.path)
            #expect(received.all(WhatIfRequest.self).last == WhatIfRequest(month: "2026-12", start: "2026-12-01T09:00", end: "2026-12-01T10:00", agentIds: ["A3"]))
            let document = try foundationObject(json.stdout)
            #expect(document["keeps_coverage"] as? Bool == false && document["session_id"] is NSNull)
            let intervals = document["intervals"] as? [[String: Any]] ?? []
            #expect(intervals.first?["queue_id"] as? String == "Q1" && intervals.first?["team_id"] is NSNull)
            #expect(intervals.last?["allowed_in_training"] as? Int == 2 && intervals.last?["on_floor"] is NSNull)
            // Neither a session nor a time: a usage error, nothing sent.
            let usage = try await runTrainCtl(["schedule", "what-if", "2026-12", "A1", "--scheduling-socket", socket], in: directory.path)
            #expect(usage.status == 64 && usage.stderr.contains("give --session, or --start and --end"), "\(usage)")
            #expect(received.all(WhatIfRequest.self).count == 2)
        }
    }

    @Test func enrolmentShowsTheFiguresAndAsManyUnplacedAsAsked() async throws {
        var router = RPCRouter()
        router.registerAsync(TrainingSchedulingMethods.getEnrolment) { request, _ in
            GetEnrolmentResponse(
                summary: EnrolmentSummary(month: request.month, basis: .provisional, tiersFrom: "2026-11 to 2026-11-15", bound: 40,
                                          placedBound: 37, unplaced: 3, builtAtUnixMs: 1_794_000_000_000),
                unplaced: [
                    UnplacedEnrolment(agentId: "A1", teamId: "RS-01", courseId: "C1", reason: .noSeat),
                    UnplacedEnrolment(agentId: "A2", teamId: "RS-01", courseId: "C1", reason: .coverage),
                    UnplacedEnrolment(agentId: "A3", teamId: "RS-02", courseId: "C2", reason: .noSessionWithinShifts),
                ])
        }
        try await withStandIn(router) { socket, directory in
            let run = try await runTrainCtl(["schedule", "enrolment", "2026-12", "--limit", "2", "--scheduling-socket", socket], in: directory.path)
            #expect(run.status == 0, "\(run)")
            #expect(run.stdout.contains("Enrolment of 2026-12: provisional tiers (2026-11 to 2026-11-15)"), "\(run)")
            #expect(run.stdout.contains("Unplaced: no_session_within_shifts 1 · no_seat 1 · coverage 1"), "\(run)")
            #expect(run.stdout.contains("A2     RS-01  C1      coverage") && !run.stdout.contains("A3 "), "\(run)")
            #expect(run.stdout.contains("… and 1 more (--limit 0 lists all)"), "\(run)")
            let json = try await runTrainCtl(["schedule", "enrolment", "2026-12", "--limit", "2", "--json", "--scheduling-socket", socket],
                                             in: directory.path)
            let document = try foundationObject(json.stdout)
            #expect((document["unplaced"] as? [[String: Any]])?.map { $0["reason"] as? String } == ["no_seat", "coverage", "no_session_within_shifts"])
            let summary = document["summary"] as? [String: Any] ?? [:]
            #expect(summary["basis"] as? String == "provisional" && summary["unplaced"] as? Int == 3 && summary["built_at"] is String)
        }
    }
}
