import Foundation
import TestSupport
import Testing

@testable import TrainCtl

/// What a `trainctl` run left behind: its exit status and both outputs.
struct TrainCtlRun: CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String {
        "trainctl \(arguments.joined(separator: " ")) exited \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)"
    }
}

/// Runs the built `trainctl` executable as an operator would, in `directory`, with both
/// outputs captured in files (a pipe could fill up and stall a long import).
func runTrainCtl(_ arguments: [String], in directory: String, timeout: Duration = .seconds(60)) async throws -> TrainCtlRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try ServiceProcess.executable("trainctl"))
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory, isDirectory: true)
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "TRAINING_INTAKE_SOCKET")
    process.environment = environment
    let token = UUID().uuidString.prefix(8)
    let outPath = "\(directory)/.trainctl-\(token).out", errPath = "\(directory)/.trainctl-\(token).err"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        if ContinuousClock.now > deadline {
            process.terminate()
            Issue.record("trainctl \(arguments.joined(separator: " ")) did not finish within \(timeout)")
            break
        }
        try await Task.sleep(for: .milliseconds(10))
    }
    process.waitUntilExit()
    return TrainCtlRun(
        arguments: arguments, status: process.terminationStatus,
        stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

/// The `--json` summary every batched import prints.
struct ImportSummary: Decodable, Equatable {
    let command: String
    let complete: Bool
    let records: Int
    let batches: Int
    let accepted: Int
    let duplicate: Int
    let replaced: Int
    let stale: Int
    let rejected: Int
    let rejected_locally: Int
    let rejected_by_service: Int
    let rejects_file: String?
    let error: String?
}

func decode<Value: Decodable>(_ type: Value.Type, from text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Value {
    do {
        return try JSONDecoder().decode(type, from: Data(text.utf8))
    } catch {
        Issue.record("not a \(type) document: \(error)\n\(text)", sourceLocation: sourceLocation)
        throw error
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func writeFile(_ path: String, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

func readLines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

/// A JSON object as Foundation reads it, for checking what trainctl wrote without using
/// trainctl's own parser.
func foundationObject(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
    guard let object = value as? [String: Any] else {
        Issue.record("not a JSON object: \(line)", sourceLocation: sourceLocation)
        return [:]
    }
    return object
}
