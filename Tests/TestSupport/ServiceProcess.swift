import Foundation
import NIOCore
import RPCRuntime
import TrainingWire

#if canImport(Glibc)
import Glibc
#endif

/// One of the project's executables, started as a real process for a test.
///
/// Why real processes: the integration tests must see what an operator sees: exit
/// codes, socket files, database files, signals. Every test starts services this way.
public final class ServiceProcess: @unchecked Sendable {
    // @unchecked: `Process` is used from the test's task only; the class adds no shared state.
    public let process: Process
    public let executableName: String
    public let socketPath: String
    public let databasePath: String
    public let stderrPath: String

    /// Where `swift build` put the executables: `TRAINING_BIN_DIR`, else beside the test binary.
    public static var productsDirectory: String {
        if let directory = ProcessInfo.processInfo.environment["TRAINING_BIN_DIR"], !directory.isEmpty {
            return directory
        }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().path
    }

    public static func executable(_ name: String) throws -> String {
        let path = "\(productsDirectory)/\(name)"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw RawSocket.Failure(description: "\(path) is missing: run `swift build` before the tests (the README's test command does)")
        }
        return path
    }

    /// Starts `executableName --socket DIR/NAME.sock --database DIR/NAME.sqlite extra…`.
    public init(
        _ executableName: String, in directory: TemporaryDirectory, socketName: String? = nil,
        databaseName: String? = nil, arguments: [String] = [], environment: [String: String] = [:]
    ) throws {
        self.executableName = executableName
        let short = socketName ?? String(executableName.prefix(1))
        socketPath = directory.file("\(short).sock")
        databasePath = directory.file(databaseName ?? "\(executableName).sqlite")
        stderrPath = directory.file("\(short)-\(UUID().uuidString.prefix(6)).log")
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable(executableName))
        process.arguments = ["--socket", socketPath, "--database", databasePath] + arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        process.standardOutput = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
    }

    /// What the process wrote to stderr so far.
    public var log: String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    /// Polls the socket with health checks until the service answers SERVING.
    public func waitUntilServing(timeout: Duration = .seconds(15)) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw RawSocket.Failure(description: "\(executableName) exited with \(process.terminationStatus) before serving:\n\(log)")
            }
            do {
                let client = try await RPCClient.connect(socketPath: socketPath, caller: "test")
                let response = try await client.call(HealthMethods.check, HealthCheckRequest(), options: CallOptions(timeout: .seconds(1)))
                await client.close()
                if response.status == .serving { return }
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RawSocket.Failure(description: "\(executableName) not serving after \(timeout): \(String(describing: lastError))\n\(log)")
    }

    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit and returns its exit status (or the signal number for a signal death).
    public func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                throw RawSocket.Failure(description: "\(executableName) did not exit within \(timeout):\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// SIGTERM, then the exit status.
    public func stop() async throws -> Int32 {
        signal(SIGTERM)
        return try await waitForExit()
    }
}
