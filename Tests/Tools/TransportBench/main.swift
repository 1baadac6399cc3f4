import Foundation
import Logging
import NIOCore
import NIOPosix
import RPCRuntime
import ServiceLifecycle
import TrainingWire

#if canImport(Glibc)
import Glibc
#endif

// transport-bench: unary round trips through our RPC runtime, client and server in
// separate processes (as the C ping-pong it is compared with), frames of exactly the
// requested sizes. Prints one JSON line. Driven by scripts/bench.
//
//   transport-bench --request-bytes R --response-bytes S --calls N --warmup W [--concurrency C]
//   transport-bench --serve SOCKET   (the server half, started by the client half)

let benchMethod = RPCMethod<HealthCheckRequest, HealthCheckResponse>(path: "/training.v1.Bench/Echo")

func option(_ name: String, default value: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let parsed = Int(arguments[index + 1]) else {
        return value
    }
    return parsed
}

/// The request frame (envelope included) is `bytes` long: pad the request's string.
func request(frameBytes: Int, callID: UInt64) -> HealthCheckRequest {
    var request = HealthCheckRequest()
    var padding = max(0, frameBytes - 40)
    for _ in 0..<64 {
        request.service = String(repeating: "r", count: padding)
        let size = RequestFrame(callId: callID, method: benchMethod.path, timeout: Timeout(milliseconds: 30_000),
                                payload: request.serializedBytes()).serializedBytes().count
        if size == frameBytes || padding == 0 && size > frameBytes { break }
        padding = max(0, padding + frameBytes - size)
    }
    return request
}

/// The response frame is `bytes` long: pad the response's version string.
func response(frameBytes: Int) -> HealthCheckResponse {
    var response = HealthCheckResponse(status: .serving)
    var padding = max(0, frameBytes - 20)
    for _ in 0..<64 {
        response.version = String(repeating: "s", count: padding)
        let size = ResponseFrame(callId: 1000, status: Status(code: .ok), payload: response.serializedBytes()).serializedBytes().count
        if size == frameBytes || padding == 0 && size > frameBytes { break }
        padding = max(0, padding + frameBytes - size)
    }
    return response
}

func serve(socket: String, responseBytes: Int) async throws {
    let answer = response(frameBytes: responseBytes)
    var router = RPCRouter()
    router.register(benchMethod) { _, context in context.eventLoop.makeSucceededFuture(answer) }
    var logger = Logger(label: "transport-bench")
    logger.logLevel = .warning
    var configuration = RPCServerConfiguration(socketPath: socket)
    configuration.limits.defaultTimeout = .seconds(60)
    let server = RPCServer(configuration: configuration, router: router, auditor: SilentAuditor(), logger: logger) {
        FileHandle.standardOutput.write(Data("listening\n".utf8))
    }
    let group = ServiceGroup(configuration: .init(
        services: [.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup)],
        gracefulShutdownSignals: [.sigterm], logger: logger))
    try await group.run()
}

struct SilentAuditor: CallAuditor {
    func record(_ context: CallContext, code: StatusCode, elapsed: TimeAmount) {}
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
}

func runClient() async throws {
    let requestBytes = option("--request-bytes", default: 64)
    let responseBytes = option("--response-bytes", default: 64)
    let calls = option("--calls", default: 20_000)
    let warmup = option("--warmup", default: 2_000)
    let concurrency = max(1, option("--concurrency", default: 1))

    let socket = "/tmp/tb.\(getpid()).sock"
    let server = Process()
    server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    server.arguments = ["--serve", socket, "--response-bytes", "\(responseBytes)"]
    let ready = Pipe()
    server.standardOutput = ready
    try server.run()
    defer {
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
    }
    _ = ready.fileHandleForReading.availableData  // "listening"

    let message = request(frameBytes: requestBytes, callID: 1000)
    let options = CallOptions(timeout: .seconds(30))
    let perConnection = calls / concurrency
    let runs = try await withThrowingTaskGroup(of: (samples: [Double], seconds: Double).self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                let client = try await RPCClient.connect(socketPath: socket)
                // Futures waited on a plain thread: the same blocking shape as the C client.
                let run = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<([Double], Double), any Error>) in
                    Thread.detachNewThread {
                        do {
                            for _ in 0..<warmup { _ = try client.callFuture(benchMethod, message, options: options).wait() }
                            var samples: [Double] = []
                            samples.reserveCapacity(perConnection)
                            let started = DispatchTime.now().uptimeNanoseconds
                            for _ in 0..<perConnection {
                                let begin = DispatchTime.now().uptimeNanoseconds
                                _ = try client.callFuture(benchMethod, message, options: options).wait()
                                samples.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1000)
                            }
                            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                            continuation.resume(returning: (samples, seconds))
                        } catch {
                            continuation.resume(throwing: error)
                        }
                    }
                }
                await client.close()
                return (run.0, run.1)
            }
        }
        var all: [(samples: [Double], seconds: Double)] = []
        for try await run in group { all.append(run) }
        return all
    }
    let latencies = runs.flatMap(\.samples)
    let elapsed = runs.map(\.seconds).max() ?? 1
    let measured = Double(latencies.count)
    let sorted = latencies.sorted()
    let mean = sorted.reduce(0, +) / measured
    let requestFrame = RequestFrame(callId: 1000, method: benchMethod.path, timeout: Timeout(milliseconds: 30_000),
                                    payload: message.serializedBytes()).serializedBytes().count
    let line: [String: Any] = [
        "impl": "swift-rpc", "request_bytes": requestBytes, "response_bytes": responseBytes,
        "request_frame_bytes": requestFrame, "calls": latencies.count, "concurrency": concurrency,
        "p50_us": percentile(sorted, 0.5), "p99_us": percentile(sorted, 0.99), "mean_us": mean,
        "calls_per_s": measured / elapsed,
    ]
    let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}

if let index = CommandLine.arguments.firstIndex(of: "--serve"), index + 1 < CommandLine.arguments.count {
    try await serve(socket: CommandLine.arguments[index + 1], responseBytes: option("--response-bytes", default: 64))
} else {
    try await runClient()
}
