import Foundation
import NIOCore
import RPCRuntime
import TestSupport
import Testing
import TrainingWire

#if canImport(Glibc)
import Glibc
#endif

/// The three real executables, each on its own temporary socket and database file.
@Suite("Service executables", .serialized)
struct ExecutablesTests {
    static let services: [(executable: String, protoService: String)] = [
        ("scoring-intake", "training.v1.ScoringIntake"),
        ("training-scheduling", "training.v1.TrainingScheduling"),
        ("effectiveness-review", "training.v1.EffectivenessReview"),
    ]

    @Test func allThreeRunAsSeparateProcessesWithTheirOwnDatabases() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let processes = try Self.services.map { try ServiceProcess($0.executable, in: directory) }
        for process in processes { try await process.waitUntilServing() }

        #expect(Set(processes.map(\.process.processIdentifier)).count == 3)
        for (process, service) in zip(processes, Self.services) {
            #expect(FileManager.default.fileExists(atPath: process.databasePath))
            let client = try await RPCClient.connect(socketPath: process.socketPath)
            let health = try await client.call(HealthMethods.check, HealthCheckRequest(service: service.protoService))
            #expect(health.status == .serving)
            #expect(health.service == service.protoService)
            let other = try await client.call(HealthMethods.check, HealthCheckRequest(service: "training.v1.Nope"))
            #expect(other.status == .serviceUnknown)
            await client.close()
        }
        for process in processes {
            #expect(try await process.stop() == 0)
            #expect(!FileManager.default.fileExists(atPath: process.socketPath))
        }
    }

    @Test func sigtermWithCallsInFlightAnswersThemAndExitsCleanly() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let service = try ServiceProcess("scoring-intake", in: directory)
        try await service.waitUntilServing()
        let client = try await RPCClient.connect(socketPath: service.socketPath)
        let calls = (0..<2000).map { _ in client.callFuture(HealthMethods.check, HealthCheckRequest()) }
        service.signal(SIGTERM)
        var answered = 0
        for call in calls {
            do {
                _ = try await call.get()
                answered += 1
            } catch let error as RPCError {
                // Calls the server had not read before it closed the connection.
                #expect(error.code == .unavailable)
            }
        }
        #expect(answered > 0)
        #expect(try await service.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: service.socketPath))
        #expect(service.log.contains("shutting down"))
        await client.close()
    }

    @Test func aSecondProcessOnALiveSocketFailsAndTheFirstKeepsServing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try ServiceProcess("training-scheduling", in: directory)
        try await first.waitUntilServing()
        let second = try ServiceProcess("training-scheduling", in: directory, databaseName: "second.sqlite")
        let status = try await second.waitForExit()
        #expect(status != 0)
        #expect(second.log.contains("another process serves"))
        try await first.waitUntilServing(timeout: .seconds(2))
        #expect(try await first.stop() == 0)
    }

    @Test func restartAfterKillNineReclaimsTheStaleSocket() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try ServiceProcess("effectiveness-review", in: directory)
        try await first.waitUntilServing()
        first.signal(SIGKILL)
        _ = try await first.waitForExit()
        #expect(FileManager.default.fileExists(atPath: first.socketPath))  // left behind by the crash
        let second = try ServiceProcess("effectiveness-review", in: directory)
        try await second.waitUntilServing()
        #expect(try await second.stop() == 0)
    }

    @Test func badConfigurationExitsWithAClearMessage() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let badMode = try ServiceProcess("scoring-intake", in: directory, arguments: ["--socket-mode", "999"])
        #expect(try await badMode.waitForExit() == 78)
        #expect(badMode.log.contains("--socket-mode"))
        #expect(badMode.log.contains("octal"))

        let badEnvironment = try ServiceProcess(
            "scoring-intake", in: directory, environment: ["TRAINING_INTAKE_LOG_LEVEL": "loud"])
        #expect(try await badEnvironment.waitForExit() == 78)
        #expect(badEnvironment.log.contains("TRAINING_INTAKE_LOG_LEVEL"))
    }

    @Test func environmentSuppliesSocketAndDatabaseWhenFlagsAreAbsent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let socket = directory.file("env.sock")
        let database = directory.file("env.sqlite")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ServiceProcess.executable("training-scheduling"))
        var environment = ProcessInfo.processInfo.environment
        environment["TRAINING_SCHEDULING_SOCKET"] = socket
        environment["TRAINING_SCHEDULING_DATABASE"] = database
        process.environment = environment
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { kill(process.processIdentifier, SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(15)
        var serving = false
        while !serving, ContinuousClock.now < deadline {
            if let client = try? await RPCClient.connect(socketPath: socket) {
                serving = (try? await client.call(HealthMethods.check, HealthCheckRequest()))?.status == .serving
                await client.close()
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        #expect(serving)
        #expect(FileManager.default.fileExists(atPath: database))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func aServiceRefusesAnotherServicesDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let intake = try ServiceProcess("scoring-intake", in: directory, databaseName: "shared.sqlite")
        try await intake.waitUntilServing()
        #expect(try await intake.stop() == 0)
        let review = try ServiceProcess("effectiveness-review", in: directory, databaseName: "shared.sqlite")
        #expect(try await review.waitForExit() == 1)
        #expect(review.log.contains("belongs to training.v1.ScoringIntake"))
    }

    @Test func trainctlHealthReportsEveryServiceAndFailsWhenOneIsDown() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let processes = try Self.services.map { try ServiceProcess($0.executable, in: directory) }
        for process in processes { try await process.waitUntilServing() }
        let flags = ["--intake-socket", processes[0].socketPath, "--scheduling-socket", processes[1].socketPath,
                     "--review-socket", processes[2].socketPath]

        let healthy = try runTrainctl(["health", "--json"] + flags)
        #expect(healthy.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(healthy.output.utf8)) as? [String: Any]
        let rows = document?["services"] as? [[String: Any]] ?? []
        #expect(rows.map { $0["status"] as? String } == ["SERVING", "SERVING", "SERVING"])
        #expect(rows.map { $0["service"] as? String } == Self.services.map(\.executable))

        #expect(try await processes[1].stop() == 0)
        let degraded = try runTrainctl(["health"] + flags)
        #expect(degraded.status == 1)
        #expect(degraded.output.contains("UNREACHABLE"))
        for process in [processes[0], processes[2]] { #expect(try await process.stop() == 0) }
    }

    func runTrainctl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ServiceProcess.executable("trainctl"))
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
