import Foundation
import SQLiteStorage
import TestSupport
import Testing

/// The demo center, end to end with real processes and the real trainctl: its roster and
/// calendar into the intake, October closed (the tiers and roster reach scheduling as
/// events), then the README's scheduling commands, in order. No evaluations are imported, so
/// every in-service agent has too few for a tier and is bound like a standard one: the
/// heaviest enrolment the demo can ask for.
@Suite("The demo center's enrolment", .serialized)
struct DemoEnrolmentTests {
    typealias Run = TrainCtlScheduleTests.Run

    @Test("at least 95 % of bound placements are made, and every unplaced one has its reason")
    func demoCenterIsPlaced() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        func trainctl(_ arguments: [String]) throws -> Run {
            let run = try TrainCtlScheduleTests.trainctl(arguments, in: directory)
            #expect(run.status == 0, "\(run)")
            return run
        }
        _ = try trainctl(["demo", "generate", "--seed", "1", "--out", "demo"])
        let readme = try String(contentsOfFile: directory.file("demo/README.txt"), encoding: .utf8)
        let commands = readme.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("trainctl schedule ") }
        #expect(commands.count == 10, "\(commands)")

        let clock = ["--clock-start", "2026-11-05T09:00:00+08:00"]
        let scheduling = try ServiceProcess("training-scheduling", in: directory, socketName: "t", arguments: clock)
        let intake = try ServiceProcess(
            "scoring-intake", in: directory, socketName: "i",
            arguments: clock + ["--consumer", "training-scheduling=\(directory.file("t.sock"))"])
        for process in [scheduling, intake] { try await process.waitUntilServing() }
        let intakeSocket = ["--intake-socket", intake.socketPath]
        let calendars = try FileManager.default.contentsOfDirectory(atPath: directory.file("demo"))
            .filter { $0.hasPrefix("calendar-") }.sorted().map { "demo/\($0)" }
        _ = try trainctl(["intake", "import-calendar"] + calendars + intakeSocket)
        _ = try trainctl(["intake", "import-roster", "demo/roster.csv"] + intakeSocket)
        _ = try trainctl(["intake", "close-month", "2026-10"] + intakeSocket)
        let rosterAgents = Set(try String(contentsOfFile: directory.file("demo/roster.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) }).count
        #expect(try await Self.waitForReplica(scheduling.databasePath, agents: rosterAgents, closedMonth: "2026-10"))

        for command in commands {
            var arguments = command.split(separator: " ").dropFirst().map(String.init)
            for (i, argument) in arguments.enumerated() where argument.hasSuffix(".csv") { arguments[i] = "demo/" + argument }
            _ = try trainctl(arguments + ["--scheduling-socket", scheduling.socketPath])
        }
        let month = try #require(commands.last?.split(separator: " ").last.map(String.init))
        let enrolment = try trainctl(["schedule", "enrolment", month, "--json", "--scheduling-socket", scheduling.socketPath]).object()
        let summary = try #require(enrolment["summary"] as? [String: Any])
        let bound = (summary["bound"] as? Int) ?? 0, placed = (summary["placed_bound"] as? Int) ?? 0
        #expect(summary["basis"] as? String == "confirmed")
        #expect(bound > 3_000, "every in-service agent is bound by the mandatory and elective courses")
        #expect(Double(placed) >= 0.95 * Double(bound), "placed \(placed) of \(bound)")
        let unplaced = (enrolment["unplaced"] as? [[String: Any]]) ?? []
        #expect(unplaced.count == bound - placed)
        let reasons: Set<String> = ["no_session_scheduled", "no_session_within_shifts", "clashes_with_other_training", "no_seat", "coverage"]
        #expect(unplaced.allSatisfy { reasons.contains(($0["reason"] as? String) ?? "") }, "\(unplaced.prefix(3))")
        for process in [intake, scheduling] { #expect(try await process.stop() == 0) }
    }

    /// The intake's roster and close reach scheduling as events, asynchronously.
    static func waitForReplica(_ database: String, agents: Int, closedMonth: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let connection = try? SQLiteConnection(path: database, readOnly: true) {
                defer { try? connection.close() }
                let roster = (try? connection.query("SELECT COUNT(*) FROM replica_agents", []) { $0.int(at: 0) })?.first ?? 0
                let closed = (try? connection.query("SELECT COUNT(*) FROM replica_month_closes WHERE month = ?", [.text(closedMonth)]) { $0.int(at: 0) })?.first ?? 0
                if roster == agents && closed == 1 { return true }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
