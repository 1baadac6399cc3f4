import Foundation
import RPCRuntime
import SQLiteStorage
import TestSupport
import Testing
import TrainingWire

#if canImport(Glibc)
import Glibc
#endif

/// The intake's events reaching the scheduling and review services' own databases, with
/// no call between the services other than the event delivery.
@Suite("Events between the services", .serialized)
struct EventDeliveryTests {
    let clock = ["--clock-start", "2026-11-10T10:00:00+08:00"]

    func startIntake(_ directory: TemporaryDirectory) throws -> ServiceProcess {
        try ServiceProcess(
            "scoring-intake", in: directory,
            arguments: clock + ["--consumer", "training-scheduling=\(directory.file("t.sock"))",
                                "--consumer", "effectiveness-review=\(directory.file("e.sock"))"])
    }

    /// Seeds a calendar, a scorecard, a roster of four agents and their October scores, then closes October.
    func closeOctober(_ intake: ServiceProcess) async throws -> ListTierAssignmentsResponse {
        let client = try await RPCClient.connect(socketPath: intake.socketPath, caller: "test")
        let center = IntakeFlowTests.Center(directory: try TemporaryDirectory(), process: intake, client: client)
        try await center.seed()
        let evaluations = IntakeFlowTests.october("a1", [96, 96, 96, 96]) + IntakeFlowTests.october("a2", [90, 90, 90, 90])
            + IntakeFlowTests.october("a3", [80, 82, 84, 86])
        _ = try await client.call(ScoringIntakeMethods.submitEvaluations, SubmitEvaluationsRequest(evaluations: evaluations))
        _ = try await client.call(ScoringIntakeMethods.closeMonth, CloseMonthRequest(month: "2026-10"))
        let tiers = try await client.call(ScoringIntakeMethods.listTierAssignments, ListTierAssignmentsRequest(month: "2026-10"))
        await client.close()
        center.directory.remove()
        return tiers
    }

    /// The tiers a consumer holds for a month, read from its database file (read-only).
    func replicatedTiers(_ database: String, month: String) throws -> [String: Int] {
        guard FileManager.default.fileExists(atPath: database) else { return [:] }
        let connection = try SQLiteConnection(path: database, readOnly: true)
        defer { try? connection.close() }
        let rows = try connection.query("SELECT agent_id, tier FROM replica_tiers WHERE month = ?", [.text(month)]) {
            ($0.text(at: 0), $0.int(at: 1))
        }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    func waitForTiers(_ expected: [String: Int], in database: String, timeout: Duration = .seconds(20)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? replicatedTiers(database, month: "2026-10")) == expected { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func expected(_ tiers: ListTierAssignmentsResponse) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: tiers.assignments.map { ($0.agentId, Int($0.tier.rawValue)) })
    }

    @Test func closingAMonthReachesBothConsumers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let scheduling = try ServiceProcess("training-scheduling", in: directory, socketName: "t")
        let review = try ServiceProcess("effectiveness-review", in: directory, socketName: "e")
        let intake = try startIntake(directory)
        for process in [scheduling, review, intake] { try await process.waitUntilServing() }

        let tiers = try await closeOctober(intake)
        #expect(tiers.assignments.count == 4)
        let expected = Self.expected(tiers)
        #expect(try await waitForTiers(expected, in: scheduling.databasePath))
        #expect(try await waitForTiers(expected, in: review.databasePath))
        for process in [intake, scheduling, review] { #expect(try await process.stop() == 0) }
    }

    @Test func aConsumerThatIsDownGetsTheBacklogWhenItReturns() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let intake = try startIntake(directory)
        try await intake.waitUntilServing()
        let tiers = try await closeOctober(intake)  // both consumers down
        // The producer keeps serving its own calls meanwhile.
        try await intake.waitUntilServing(timeout: .seconds(2))
        let scheduling = try ServiceProcess("training-scheduling", in: directory, socketName: "t")
        let review = try ServiceProcess("effectiveness-review", in: directory, socketName: "e")
        for process in [scheduling, review] { try await process.waitUntilServing() }
        #expect(try await waitForTiers(Self.expected(tiers), in: scheduling.databasePath))
        #expect(try await waitForTiers(Self.expected(tiers), in: review.databasePath))
        for process in [intake, scheduling, review] { #expect(try await process.stop() == 0) }
    }

    @Test func killNineOfTheProducerRightAfterTheCloseLosesNoEvent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var intake = try startIntake(directory)
        try await intake.waitUntilServing()
        let tiers = try await closeOctober(intake)  // acknowledged; consumers are down
        intake.signal(SIGKILL)
        _ = try await intake.waitForExit()
        intake = try startIntake(directory)
        try await intake.waitUntilServing()
        let scheduling = try ServiceProcess("training-scheduling", in: directory, socketName: "t")
        try await scheduling.waitUntilServing()
        #expect(try await waitForTiers(Self.expected(tiers), in: scheduling.databasePath))
        // Delivered once: the consumer's inbox holds each event id once, and a restart of the
        // consumer (which makes the producer resend anything unacknowledged) changes nothing.
        #expect(try await scheduling.stop() == 0)
        let again = try ServiceProcess("training-scheduling", in: directory, socketName: "t")
        try await again.waitUntilServing()
        #expect(try replicatedTiers(again.databasePath, month: "2026-10") == Self.expected(tiers))
        for process in [intake, again] { #expect(try await process.stop() == 0) }
    }
}
