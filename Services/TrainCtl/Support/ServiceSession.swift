import ArgumentParser
import NIOCore
import RPCRuntime
import TrainingWire

/// Where one service listens and how long to wait for it: each service's command group
/// has one (`IntakeEndpoint`, `SchedulingEndpoint`), made of its own flags.
protocol ServiceTarget: Sendable {
    /// The executable's name, for messages ("scoring-intake").
    var serviceName: String { get }
    /// As `ServiceEndpoints.resolve` finds it: the flag, else the variable, else the default.
    var socketPath: String { get }
    /// How a person points trainctl at another socket ("--intake-socket or TRAINING_INTAKE_SOCKET").
    var socketHint: String { get }
    var timeoutMs: Int64 { get }
}

/// A connection to one service that reports failures the same way for every command:
/// the method, the status code's name, the message and each violation, on standard error.
final class ServiceSession {
    private(set) var client: RPCClient
    let serviceName: String
    let socketPath: String
    let timeout: TimeAmount

    private init(client: RPCClient, serviceName: String, socketPath: String, timeout: TimeAmount) {
        self.client = client
        self.serviceName = serviceName
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// Connects, or says why not and exits 1.
    static func connect(_ target: some ServiceTarget) async throws -> ServiceSession {
        let socketPath = target.socketPath
        do {
            let client = try await RPCClient.connect(socketPath: socketPath, caller: "trainctl")
            return ServiceSession(client: client, serviceName: target.serviceName, socketPath: socketPath,
                                  timeout: .milliseconds(target.timeoutMs))
        } catch {
            StandardError.line("error: cannot connect to \(target.serviceName) at \(socketPath): \(error)")
            StandardError.line("  Is it running? Point \(target.socketHint) at its socket.")
            throw ExitCode.failure
        }
    }

    /// After the connection dropped (the service restarted): a new one to the same socket.
    /// Throws the connection error as it is.
    func reconnect() async throws {
        await client.close()
        client = try await RPCClient.connect(socketPath: socketPath, caller: "trainctl")
    }

    /// Calls `method`; an error is reported and becomes exit code 1.
    func call<Request, Response>(_ method: RPCMethod<Request, Response>, _ request: Request, idempotencyKey: String = "") async throws -> Response {
        do {
            return try await callReportingNothing(method, request, idempotencyKey: idempotencyKey)
        } catch {
            ServiceSession.report(error, method: method.path)
            throw ExitCode.failure
        }
    }

    /// Calls `method` and throws what went wrong as it is (for callers that retry).
    func callReportingNothing<Request, Response>(
        _ method: RPCMethod<Request, Response>, _ request: Request, idempotencyKey: String = ""
    ) async throws -> Response {
        try await client.call(method, request, options: CallOptions(timeout: timeout, idempotencyKey: idempotencyKey))
    }

    func close() async {
        await client.close()
    }

    /// "error: CloseMonth: FAILED_PRECONDITION: …" and one line per violation.
    static func report(_ error: any Error, method path: String) {
        let method = path.split(separator: "/").last.map(String.init) ?? path
        guard let rpcError = error as? RPCError else {
            StandardError.line("error: \(method): \(error)")
            return
        }
        StandardError.line("error: \(method): \(rpcError.code.protoName): \(rpcError.message)")
        for violation in rpcError.violations {
            StandardError.line("  \(violation.subject.isEmpty ? "(request)" : violation.subject): \(violation.description)")
        }
        if rpcError.retryAfterMilliseconds > 0 {
            StandardError.line("  retry after \(rpcError.retryAfterMilliseconds) ms")
        }
    }
}

/// Connects, runs `body`, closes: the shape of every command that calls a service.
func withService<Value>(_ target: some ServiceTarget, _ body: (ServiceSession) async throws -> Value) async throws -> Value {
    let session = try await ServiceSession.connect(target)
    do {
        let result = try await body(session)
        await session.close()
        return result
    } catch {
        await session.close()
        throw error
    }
}
