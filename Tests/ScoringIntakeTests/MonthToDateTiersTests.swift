import Foundation
import Logging
import RPCRuntime
import SQLiteStorage
import ServiceKit
import TestSupport
import Testing
import TrainingWire
@testable import ScoringIntake

/// `GetMonthToDateTiers` through the intake's real handlers, served in-process on a
/// temporary socket (`withInProcessServer`) with its own database and a service clock that
/// reads a chosen instant: by default 2026-10-20 10:00 in Shanghai, mid-October.
///
/// Wire types are spelled `TrainingWire.X` where the domain has a type of the same name.
@Suite("Month-to-date tiers")
struct MonthToDateTiersTests {
    static let intake = ScoringIntakeMethods.self

    /// Runs `body` against a fresh intake (empty database) whose clock reads `clock`.
    static func withIntake(
        clock: String = "2026-10-20T10:00:00+08:00",
        _ body: @escaping @Sendable (_ client: RPCClient, _ database: SQLiteDatabase) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var logger = Logger(label: "intake-test")
        logger.logLevel = .critical
        let database = try SQLiteDatabase(path: directory.file("intake.sqlite"), migrations: ScoringIntakeService.migrations, logger: logger)
        defer { database.close() }
        let start = try #require(ISO8601DateFormatter().date(from: clock))
        let handlers = try await IntakeHandlers.load(
            database: database, clock: ServiceClock(startingAt: start),
            outbox: EventOutbox(producer: ScoringIntakeMethods.serviceName, consumers: []))
        var router = RPCRouter()
        handlers.register(in: &router)
        try await withInProcessServer(router: router) { socket, _ in
            let client = try await RPCClient.connect(socketPath: socket, caller: "qa-export")
            do {
                try await body(client, database)
            } catch {
                await client.close()
                throw error
            }
            await client.close()
        }
    }

    /// Calls `body` and returns the status code and violation subjects it failed with, nil on success.
    static func failure(_ body: () async throws -> Void) async -> (code: StatusCode, subjects: [String])? {
        do {
            try await body()
            return nil
        } catch let error as RPCError {
            return (error.code, error.violations.map(\.subject))
        } catch {
            return (.unknown, ["\(error)"])
        }
    }

    // MARK: Seeding

    static func putCalendar(_ client: RPCClient, years: [UInt32] = [2026, 2027]) async throws {
        for year in years {
            _ = try await client.call(intake.putCalendar, PutCalendarRequest(timeZone: "Asia/Shanghai", year: year, days: []))
        }
    }

    static func putScorecardAndRoster(_ client: RPCClient) async throws {
        let scorecard = TrainingWire.Scorecard(
            scorecardId: "voice", version: 1, name: "Voice QA",
            criteria: [
                Criterion(criterionId: "phrasing", name: "标准话术", maxScore: 50, weight: 1),
                Criterion(criterionId: "warmth", name: "服务温度", maxScore: 50, weight: 1),
            ],
            totalIsWeightedSum: true)
        _ = try await client.call(intake.putScorecard, PutScorecardRequest(scorecard: scorecard))
        let roster = [
            agent("a1", team: "t1"), agent("a2", team: "t1"), agent("a3", team: "t1"), agent("a4", team: "t2"),
            agent("a5", team: "t2"), agent("b1", team: "t2"),
            agent("n1", team: "t2", status: .onboarding, hired: "2026-10-05"),  // onboarding: not tiered
            agent("l1", team: "t1", status: .left, leftOn: "2026-10-15"),  // left during the month: not tiered
        ]
        let result = try await client.call(intake.upsertRoster, UpsertRosterRequest(agents: roster))
        #expect(result.accepted == UInt32(roster.count))
    }

    static func agent(
        _ id: String, team: String, status: TrainingWire.AgentStatus = .inService, hired: String = "2025-03-01", leftOn: String = ""
    ) -> TrainingWire.RosterEntry {
        TrainingWire.RosterEntry(
            agentId: id, name: "Agent \(id)", teamId: team, teamLeaderId: "lead-\(team)", department: "Retail", site: "Chengdu",
            hireDate: hired, status: status, leftOn: leftOn, effectiveDate: "2026-01-01")
    }

    /// Evaluations of `agent` in October, one a day from the 12th, at the given totals.
    static func october(_ agent: String, _ totals: [Double], revision: UInt32 = 1) -> [TrainingWire.Evaluation] {
        totals.enumerated().map { index, total in
            let formatter = ISO8601DateFormatter()
            let call = Int64(formatter.date(from: "2026-10-\(12 + index)T10:00:00+08:00")!.timeIntervalSince1970 * 1000)
            return TrainingWire.Evaluation(
                evaluationId: "\(agent)-\(index)", revision: revision, agentId: agent, callId: "call-\(agent)-\(index)", evaluatorId: "qa-7",
                callStartedAtUnixMs: call, scoredAtUnixMs: call + 3_600_000, scorecardId: "voice", scorecardVersion: 1,
                totalScore: total,
                items: [
                    TrainingWire.ItemScore(criterionId: "phrasing", name: "标准话术", score: min(50, total / 2), maxScore: 50),
                    TrainingWire.ItemScore(criterionId: "warmth", name: "服务温度", score: total - min(50, total / 2), maxScore: 50),
                ],
                channel: .voice)
        }
    }

    /// A center with a calendar, a roster and October's evaluations so far:
    /// a1 96 (advanced), a2 90 (standard), a3 81 (coaching), a4 none and a5 three calls
    /// (insufficient data), b1 87 (standard by the default policy).
    static func seedOctober(_ client: RPCClient) async throws {
        try await putCalendar(client)
        try await putScorecardAndRoster(client)
        let evaluations = october("a1", [96, 97, 95, 96]) + october("a2", [90, 88, 92, 90]) + october("a3", [80, 82, 78, 84])
            + october("a5", [99, 99, 99]) + october("b1", [86, 88, 87, 87]) + october("n1", [60, 60, 60, 60])
            + october("l1", [60, 60, 60, 60])
        let result = try await client.call(intake.submitEvaluations, SubmitEvaluationsRequest(evaluations: evaluations))
        #expect(result.accepted == UInt32(evaluations.count))
    }

    static func tiers(_ assignments: [TrainingWire.TierAssignment]) -> [String: TrainingWire.Tier] {
        Dictionary(uniqueKeysWithValues: assignments.map { ($0.agentId, $0.tier) })
    }

    // MARK: Tests

    /// What the read says a close would assign is what CloseMonth then assigns, field for
    /// field, with the current policy; after a correction the read follows the new data
    /// while a re-close marks changes and the read never does.
    @Test func monthToDateTiersAreWhatCloseMonthThenAssigns() async throws {
        try await Self.withIntake { client, _ in
            try await Self.seedOctober(client)
            // A stricter policy (version 2): b1's 87 is coaching under it, standard under the defaults.
            let policy = try await client.call(Self.intake.setTierPolicy, SetTierPolicyRequest(
                advancedThreshold: 95, coachingThreshold: 88, minimumEvaluations: 4, roundingDecimals: 1))
            #expect(policy.version == 2)

            let provisional = try await client.call(Self.intake.getMonthToDateTiers, GetMonthToDateTiersRequest(month: "2026-10"))
            #expect(provisional.month == "2026-10")
            #expect(provisional.appliesToMonth == "2026-11")
            #expect(provisional.asOf == "2026-10-20")
            #expect(provisional.policyVersion == 2)
            #expect(provisional.assignments.map(\.agentId) == ["a1", "a2", "a3", "a4", "a5", "b1"])
            #expect(Self.tiers(provisional.assignments) == [
                "a1": .advanced, "a2": .standard, "a3": .coaching, "a4": .insufficientData, "a5": .insufficientData, "b1": .coaching,
            ])
            #expect(provisional.assignments.allSatisfy { $0.previousTier == .unspecified })
            let a3 = try #require(provisional.assignments.first { $0.agentId == "a3" })
            #expect(a3.average == 81 && a3.count == 4 && a3.problemSummaryDue == "2026-11-04")
            #expect(a3.name == "Agent a3" && a3.teamId == "t1" && a3.teamLeaderId == "lead-t1")

            // A close before the month has ended still needs force.
            let early = await Self.failure { _ = try await client.call(Self.intake.closeMonth, CloseMonthRequest(month: "2026-10")) }
            #expect(early?.code == .failedPrecondition && early?.subjects == ["month"], "\(String(describing: early))")

            let closed = try await client.call(Self.intake.closeMonth, CloseMonthRequest(month: "2026-10", force: true))
            #expect(closed.revision == 1)
            #expect(closed.policyVersion == provisional.policyVersion)
            #expect(closed.assigned == UInt32(provisional.assignments.count))
            let listed = try await client.call(Self.intake.listTierAssignments, ListTierAssignmentsRequest(month: "2026-10"))
            #expect(listed.assignments == provisional.assignments)
            for count in closed.counts {
                #expect(count.agents == UInt32(provisional.assignments.filter { $0.tier == count.tier }.count), "\(count.tier)")
            }

            // A dispute lowers one of a1's calls to 60: 87, coaching under policy 2.
            let corrected = Self.october("a1", [60], revision: 2)
            let correction = try await client.call(Self.intake.submitEvaluations, SubmitEvaluationsRequest(evaluations: corrected))
            #expect(correction.replaced == 1)
            let again = try await client.call(Self.intake.getMonthToDateTiers, GetMonthToDateTiersRequest(month: "2026-10"))
            #expect(Self.tiers(again.assignments)["a1"] == .coaching)
            #expect(again.assignments.allSatisfy { $0.previousTier == .unspecified })  // even with a revision stored
            let reclosed = try await client.call(Self.intake.closeMonth, CloseMonthRequest(month: "2026-10", force: true))
            #expect(reclosed.revision == 2)
            #expect(reclosed.changed.map(\.agentId) == ["a1"])
            let relisted = try await client.call(Self.intake.listTierAssignments, ListTierAssignmentsRequest(month: "2026-10", revision: 2))
            #expect(relisted.assignments.map { var plain = $0; plain.previousTier = .unspecified; return plain } == again.assignments)
        }
    }

    /// The read stores nothing: no close, no assignments, no event (the outbox holds only
    /// the roster's); a close afterwards is revision 1.
    @Test func monthToDateTiersStoreNothing() async throws {
        try await Self.withIntake { client, database in
            try await Self.seedOctober(client)
            @Sendable func storedCounts() async throws -> [Int] {
                try await database.read { db in
                    try ["month_closes", "tier_assignments", "outbox_events"].map { table in
                        try db.query("SELECT COUNT(*) FROM \(table)", [], row: { $0.int(at: 0) }).first ?? -1
                    }
                }
            }
            let before = try await storedCounts()
            #expect(before == [0, 0, 8])  // the roster import's eight RosterChanged events
            for _ in 0..<2 {
                let provisional = try await client.call(Self.intake.getMonthToDateTiers, GetMonthToDateTiersRequest(month: "2026-10"))
                #expect(provisional.assignments.count == 6)
            }
            let listed = await Self.failure {
                _ = try await client.call(Self.intake.listTierAssignments, ListTierAssignmentsRequest(month: "2026-10"))
            }
            #expect(listed?.code == .notFound, "\(String(describing: listed))")
            #expect(try await storedCounts() == before)

            let closed = try await client.call(Self.intake.closeMonth, CloseMonthRequest(month: "2026-10", force: true))
            #expect(closed.revision == 1)
        }
    }

    /// A month without evaluations tiers every agent INSUFFICIENT_DATA; a month already over
    /// is computed the same way.
    @Test func aMonthWithoutEvaluationsIsAllInsufficientData() async throws {
        try await Self.withIntake { client, _ in
            try await Self.seedOctober(client)
            let september = try await client.call(Self.intake.getMonthToDateTiers, GetMonthToDateTiersRequest(month: "2026-09"))
            #expect(september.appliesToMonth == "2026-10")
            #expect(september.assignments.map(\.agentId) == ["a1", "a2", "a3", "a4", "a5", "b1", "l1"])  // l1 left in October
            #expect(september.assignments.allSatisfy { $0.tier == .insufficientData && $0.count == 0 })
        }
    }

    /// Bad input and missing preconditions get the documented statuses and subjects.
    @Test func aMalformedMonthOrAMissingCalendarGetTheDocumentedStatus() async throws {
        try await Self.withIntake { client, _ in
            try await Self.putScorecardAndRoster(client)
            for month in ["", "2026-1", "2026-13", "October", "2026-10-01"] {
                let result = await Self.failure {
                    _ = try await client.call(Self.intake.getMonthToDateTiers, GetMonthToDateTiersRequest(month: month))
                }
                #expect(result?.code == .invalidArgument && result?.subjects == ["month"], "\(month): \(String(describing: result))")
            }
            // No calendar imported.
            let noCalendar = await Self.failure {
                _ = try await client.call(Self.intake.getMonthToDateTiers, GetMonthToDateTiersRequest(month: "2026-10"))
            }
            #expect(noCalendar?.code == .failedPrecondition && noCalendar?.subjects == ["calendar"], "\(String(describing: noCalendar))")

            // Only 2026 imported: October works; December's due date falls in 2027, not imported.
            try await Self.putCalendar(client, years: [2026])
            _ = try await client.call(Self.intake.getMonthToDateTiers, GetMonthToDateTiersRequest(month: "2026-10"))
            let yearMissing = await Self.failure {
                _ = try await client.call(Self.intake.getMonthToDateTiers, GetMonthToDateTiersRequest(month: "2026-12"))
            }
            #expect(yearMissing?.code == .failedPrecondition && yearMissing?.subjects == ["calendar"], "\(String(describing: yearMissing))")
        }
    }
}
