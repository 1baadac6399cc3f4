import CalendarDates
import ArgumentParser
import Foundation
import NIOCore
import RPCRuntime
import TrainingWire

/// `trainctl intake …`: the scoring intake service, for people (tables) and scripts
/// (`--json`, `--csv`, exit codes).
///
/// Exit codes of every subcommand: 0 done; 1 the service could not be reached, answered
/// an error, or a file could not be read; 2 `--strict` and some record was rejected;
/// 64 a usage error.
struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "Import QA scores, KPIs and reference data; close months and read tiers.",
        subcommands: [
            ImportRosterCommand.self, ImportEvaluationsCommand.self, ImportKpisCommand.self,
            ImportScorecardCommand.self, ImportMetricsCommand.self, ImportCalendarCommand.self,
            VoidCommand.self, CloseMonthCommand.self, TiersCommand.self, WatchListCommand.self,
            ScoresCommand.self, AveragesCommand.self, PolicyCommand.self, SetPolicyCommand.self,
        ])
}

/// Where scoring-intake listens and how long to wait for it.
struct IntakeEndpoint: ParsableArguments {
    @Option(name: .customLong("intake-socket"),
            help: "Socket of scoring-intake (default: $TRAINING_INTAKE_SOCKET, else var/run/scoring-intake.sock).")
    var intakeSocket: String?
    @Option(name: .customLong("timeout-ms"), help: "How long to wait for each call, in milliseconds.")
    var timeoutMs: Int64 = 60_000

    var socketPath: String { ServiceEndpoints.resolve(intakeSocket, "TRAINING_INTAKE_SOCKET", "scoring-intake") }

    func validate() throws {
        guard timeoutMs > 0 else { throw ValidationError("--timeout-ms must be positive") }
    }
}

/// `--json` only: for commands whose answer is not a table.
struct JSONOutput: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false
}

/// `--json` or `--csv` instead of a table.
struct TableOutput: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document instead of a table.")
    var json = false
    @Flag(name: .long, help: "Print the table's rows as CSV.")
    var csv = false

    func validate() throws {
        guard !(json && csv) else { throw ValidationError("choose one of --json and --csv") }
    }
}

/// A connection to scoring-intake that reports failures the same way for every command:
/// the method, the status code's name, the message and each violation, on standard error.
final class IntakeSession {
    private(set) var client: RPCClient
    let socketPath: String
    let timeout: TimeAmount

    private init(client: RPCClient, socketPath: String, timeout: TimeAmount) {
        self.client = client
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// Connects, or says why not and exits 1.
    static func connect(_ endpoint: IntakeEndpoint) async throws -> IntakeSession {
        let socketPath = endpoint.socketPath
        do {
            let client = try await RPCClient.connect(socketPath: socketPath, caller: "trainctl")
            return IntakeSession(client: client, socketPath: socketPath, timeout: .milliseconds(endpoint.timeoutMs))
        } catch {
            StandardError.line("error: cannot connect to scoring-intake at \(socketPath): \(error)")
            StandardError.line("  Is it running? Point --intake-socket or TRAINING_INTAKE_SOCKET at its socket.")
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
            IntakeSession.report(error, method: method.path)
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

/// Connects, runs `body`, closes: the shape of every intake command.
func withIntake<Value>(_ endpoint: IntakeEndpoint, _ body: (IntakeSession) async throws -> Value) async throws -> Value {
    let session = try await IntakeSession.connect(endpoint)
    do {
        let result = try await body(session)
        await session.close()
        return result
    } catch {
        await session.close()
        throw error
    }
}

/// Prints one JSON document on standard output.
func printJSON(_ value: JSONValue) {
    print(value.rendered(pretty: true))
}

// MARK: - Arguments the subcommands share

/// A month argument, checked before anything is sent.
func validatedMonth(_ text: String, _ label: String = "month") throws -> String {
    guard YearMonth(parsing: text) != nil else { throw ValidationError("\(label) must be YYYY-MM, e.g. 2026-03 (got \(text))") }
    return text
}

func validatedDate(_ text: String, _ label: String) throws -> String {
    guard LocalDate(parsing: text) != nil else { throw ValidationError("\(label) must be a date YYYY-MM-DD (got \(text))") }
    return text
}

/// An enum of the contract as an option value, by its lower-case name (`--tier coaching`).
struct WireEnumArgument<Value: WireEnum>: ExpressibleByArgument, Sendable {
    let value: Value

    init?(argument: String) {
        guard let value = Value(cliName: argument) else { return nil }
        self.value = value
    }

    static var allValueStrings: [String] { Value.cliNames }
}
