import Foundation
import RPCRuntime
import SQLiteStorage
import TestSupport
import Testing
import TrainingWire

#if canImport(Glibc)
import Glibc
#endif

/// Faults that must lose nothing: a backlog of 10,000 events for a consumer that was down,
/// and a consumer killed with SIGKILL while it applies them. Every agent changes team twice
/// with the same effective date, so the replica ends on the second team only if the events
/// of each agent were applied in order; the inbox holds each event id once.
@Suite("Event delivery under faults", .serialized)
struct EventFaultTests {
    static let agents = 5000

    func roster(team: String) -> UpsertRosterRequest {
        UpsertRosterRequest(agents: (0..<Self.agents).map { index in
            RosterEntry(
                agentId: "agent-\(index)", name: "Agent \(index)", teamId: team, teamLeaderId: "lead-\(team)", department: "Retail",
                site: "Chengdu", hireDate: "2025-01-01", status: .inService, effectiveDate: "2026-01-01")
        })
    }

    /// How many events the consumer has applied, and how many agents it holds in the final team.
    func consumerState(_ database: String) -> (applied: Int, onFinalTeam: Int) {
        guard FileManager.default.fileExists(atPath: database),
            let connection = try? SQLiteConnection(path: database, readOnly: true)
        else { return (0, 0) }
        defer { try? connection.close() }
        let applied = (try? connection.query("SELECT COUNT(*) FROM inbox_events", [], row: { $0.int(at: 0) }).first) ?? 0
        let final = (try? connection.query("SELECT COUNT(*) FROM replica_agents WHERE team_id = 'second'", [], row: { $0.int(at: 0) }).first) ?? 0
        return (applied, final)
    }

    func waitUntil(timeout: Duration, _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return condition()
    }

    /// Starts the intake with one consumer (scheduling, not yet running) and piles up 10,000 roster events.
    func pileUp(_ directory: TemporaryDirectory) async throws -> ServiceProcess {
        let intake = try ServiceProcess(
            "scoring-intake", in: directory, arguments: ["--consumer", "training-scheduling=\(directory.file("t.sock"))"])
        try await intake.waitUntilServing()
        let client = try await RPCClient.connect(socketPath: intake.socketPath, caller: "roster-sync")
        #expect(try await client.call(ScoringIntakeMethods.upsertRoster, roster(team: "first")).accepted == UInt32(Self.agents))
        #expect(try await client.call(ScoringIntakeMethods.upsertRoster, roster(team: "second")).replaced == UInt32(Self.agents))
        // The producer keeps answering its own calls with the backlog waiting.
        let started = ContinuousClock.now
        let agent = try await client.call(ScoringIntakeMethods.getAgent, GetAgentRequest(agentId: "agent-7"))
        #expect(agent.agent?.teamId == "second")
        #expect(ContinuousClock.now - started < .seconds(1))
        await client.close()
        return intake
    }

    @Test func aBacklogOfTenThousandEventsIsDeliveredInOrderOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let intake = try await pileUp(directory)
        let scheduling = try ServiceProcess("training-scheduling", in: directory, socketName: "t")
        try await scheduling.waitUntilServing()
        let done = try await waitUntil(timeout: .seconds(120)) { consumerState(scheduling.databasePath).applied == 2 * Self.agents }
        #expect(done)
        let state = consumerState(scheduling.databasePath)
        #expect(state.applied == 2 * Self.agents)
        #expect(state.onFinalTeam == Self.agents)
        for process in [intake, scheduling] { #expect(try await process.stop() == 0) }
    }

    @Test func aConsumerKilledWhileApplyingEventsAppliesEachOnceAfterRestart() async throws {
        let replay = ProcessInfo.processInfo.environment["EVENT_FAULT_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("EventFaultTests seed \(replay): set EVENT_FAULT_SEED=\(replay) to replay this kill point")
        var generator = SplitMix(seed: replay)
        let killAfter = Int(generator.next() % 6500) + 500  // well before the end of the 10,000

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let intake = try await pileUp(directory)
        let scheduling = try ServiceProcess("training-scheduling", in: directory, socketName: "t")
        try await scheduling.waitUntilServing()
        _ = try await waitUntil(timeout: .seconds(60)) { consumerState(scheduling.databasePath).applied >= killAfter }
        scheduling.signal(SIGKILL)
        _ = try await scheduling.waitForExit()
        let atKill = consumerState(scheduling.databasePath).applied
        print("EventFaultTests: consumer killed with \(atKill) of \(2 * Self.agents) events applied")

        let restarted = try ServiceProcess("training-scheduling", in: directory, socketName: "t")
        try await restarted.waitUntilServing()
        let done = try await waitUntil(timeout: .seconds(120)) { consumerState(restarted.databasePath).applied == 2 * Self.agents }
        #expect(done, "seed \(replay)")
        let state = consumerState(restarted.databasePath)
        #expect(state.applied == 2 * Self.agents, "seed \(replay)")
        #expect(state.onFinalTeam == Self.agents, "seed \(replay)")
        for process in [intake, restarted] { #expect(try await process.stop() == 0) }
    }
}

/// A small deterministic generator so that a kill point can be replayed from its seed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
