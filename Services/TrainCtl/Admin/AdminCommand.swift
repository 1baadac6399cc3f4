import ArgumentParser
import Foundation
import NIOCore
import RPCRuntime
import TrainingWire

/// `trainctl admin …`: the operator's view of a service's event outbox (docs/events.md).
///
/// Exit codes: 0 done; 1 the service could not be reached or answered an error (NOT_FOUND
/// for an unknown event, UNIMPLEMENTED for a service that produces no events); 64 a usage error.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Look at a service's undelivered and parked events; send an event again.",
        subcommands: [EventsCommand.self, ReplayCommand.self])
}

/// The service an admin command talks to, by its short name.
enum AdminService: String, ExpressibleByArgument, CaseIterable, Sendable {
    case intake, scheduling, review

    /// Its socket, as `ServiceEndpoints` resolves it (flags, environment, default).
    func endpoint(_ endpoints: ServiceEndpoints) -> ServiceEndpoints.Endpoint {
        let all = endpoints.all
        switch self {
        case .intake: return all[0]
        case .scheduling: return all[1]
        case .review: return all[2]
        }
    }
}

/// `--state pending|parked|delivered|all`.
enum AdminStateFilter: String, ExpressibleByArgument, CaseIterable, Sendable {
    case pending, parked, delivered, all

    var states: [OutboxDeliveryState] {
        switch self {
        case .pending: [.deliveryPending]
        case .parked: [.deliveryParked]
        case .delivered: [.deliveryDelivered]
        case .all: [.deliveryPending, .deliveryParked, .deliveryDelivered]
        }
    }
}

/// Which service, where, and how long to wait.
struct AdminTarget: ParsableArguments {
    @Option(name: .long, help: "The service whose outbox to use.")
    var service: AdminService
    @OptionGroup var endpoints: ServiceEndpoints
    @Option(name: .customLong("timeout-ms"), help: "How long to wait for the call, in milliseconds.")
    var timeoutMs: Int64 = 10_000

    func validate() throws {
        guard timeoutMs > 0 else { throw ValidationError("--timeout-ms must be positive") }
    }

    /// Connects, calls `method` once and closes; a failure is reported on standard error
    /// and becomes exit code 1.
    func call<Request, Response>(_ method: RPCMethod<Request, Response>, _ request: Request) async throws -> Response {
        let endpoint = service.endpoint(endpoints)
        let client: RPCClient
        do {
            client = try await RPCClient.connect(socketPath: endpoint.socketPath, caller: "trainctl")
        } catch {
            StandardError.line("error: cannot connect to \(endpoint.executableName) at \(endpoint.socketPath): \(error)")
            StandardError.line("  Is it running? Point --\(service.rawValue)-socket at its socket.")
            throw ExitCode.failure
        }
        do {
            let response = try await client.call(method, request, options: CallOptions(timeout: .milliseconds(timeoutMs)))
            await client.close()
            return response
        } catch {
            await client.close()
            ServiceSession.report(error, method: method.path)
            if (error as? RPCError)?.code == .unimplemented {
                StandardError.line("  \(endpoint.executableName) produces no events: it has no outbox to look at.")
            }
            throw ExitCode.failure
        }
    }
}

/// `trainctl admin events --service intake [--state …] [--consumer NAME]`
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List a service's event deliveries (default: pending and parked), oldest first.")

    @OptionGroup var target: AdminTarget
    @Option(name: .long, help: "Which deliveries (default: pending and parked).")
    var state: AdminStateFilter?
    @Option(name: .long, help: "Only the deliveries to this consumer.")
    var consumer: String?
    @Option(name: .long, help: "At most this many rows, 1 to 1000 (default 100).")
    var limit: Int?
    @Option(name: .customLong("after-sequence"), help: "Only events after this sequence (to page on).")
    var afterSequence: UInt64?
    @OptionGroup var output: JSONOutput

    func validate() throws {
        if let limit, !(1...1000).contains(limit) { throw ValidationError("--limit must be 1 to 1000 (got \(limit))") }
    }

    func run() async throws {
        let request = ListEventsRequest(
            states: state?.states ?? [], consumer: consumer ?? "", limit: UInt32(clamping: limit ?? 0),
            afterSequence: afterSequence ?? 0)
        let response = try await target.call(EventAdminMethods.listEvents, request)
        let service = target.service.endpoint(target.endpoints).executableName
        if output.json {
            printJSON(.object([
                "service": .string(service), "deliveries": .array(response.deliveries.map(\.json)),
                "truncated": .bool(response.truncated),
            ]))
            return
        }
        let what = state.map { $0 == .all ? "" : "\($0.rawValue) " } ?? "pending or parked "
        guard !response.deliveries.isEmpty else {
            print("\(service): no \(what)deliveries\(consumer.map { " to \($0)" } ?? "").")
            return
        }
        print(OutboxDelivery.table(response.deliveries))
        if response.truncated, let last = response.deliveries.last {
            print("")
            print("More match: add --after-sequence \(last.sequence) for the next page.")
        }
    }
}

/// `trainctl admin replay EVENT_ID --service intake [--consumer NAME]`
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Send an event again (after fixing why it was parked): its delivery goes back to pending.")

    @Argument(help: "The event id, as `admin events` shows it (e.g. training.v1.ScoringIntake/42).")
    var eventId: String
    @OptionGroup var target: AdminTarget
    @Option(name: .long, help: "Only to this consumer (default: every consumer of the event).")
    var consumer: String?
    @OptionGroup var output: JSONOutput

    func run() async throws {
        let response = try await target.call(
            EventAdminMethods.replayEvent, ReplayEventRequest(eventId: eventId, consumer: consumer ?? ""))
        if output.json {
            printJSON(.object(["event_id": .string(eventId), "deliveries": .array(response.deliveries.map(\.json))]))
            return
        }
        let consumers = response.deliveries.map(\.consumer).joined(separator: ", ")
        print("\(eventId) is pending again for \(consumers): it is sent in outbox order; a consumer that had applied it "
            + "acknowledges a duplicate.")
        print("")
        print(OutboxDelivery.table(response.deliveries))
    }
}

extension OutboxDeliveryState {
    /// "pending", "delivered", "parked"; "-" for UNSPECIFIED.
    var cliName: String {
        switch self {
        case .deliveryPending: "pending"
        case .deliveryDelivered: "delivered"
        case .deliveryParked: "parked"
        case .unspecified: "-"
        }
    }
}

extension OutboxDelivery {
    /// Field names of the contract; instants both as Unix milliseconds and RFC 3339 (null when not set).
    var json: JSONValue {
        .object([
            "event_id": .string(eventId), "type": .string(type), "subject": .string(subject),
            "sequence": .integer(Int64(clamping: sequence)), "occurred_at_unix_ms": .integer(occurredAtUnixMs),
            "occurred_at": instantJSON(occurredAtUnixMs), "consumer": .string(consumer),
            "state": state == .unspecified ? .null : .string(state.cliName), "attempts": .integer(Int64(attempts)),
            "next_attempt_at_unix_ms": nextAttemptAtUnixMs == 0 ? .null : .integer(nextAttemptAtUnixMs),
            "next_attempt_at": instantJSON(nextAttemptAtUnixMs), "last_error": .optionalString(lastError),
            "delivered_at_unix_ms": deliveredAtUnixMs == 0 ? .null : .integer(deliveredAtUnixMs),
            "delivered_at": instantJSON(deliveredAtUnixMs),
        ])
    }

    /// One row per delivery; the last error last, unpadded, on one line.
    static func table(_ deliveries: [OutboxDelivery]) -> String {
        Table(
            header: ["EVENT", "TYPE", "SUBJECT", "OCCURRED", "CONSUMER", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "DELIVERED", "LAST ERROR"],
            rows: deliveries.map { delivery in
                [delivery.eventId, delivery.type.replacingOccurrences(of: "training.v1.", with: ""), delivery.subject,
                 Format.localTime(unixMilliseconds: delivery.occurredAtUnixMs), delivery.consumer, delivery.state.cliName,
                 String(delivery.attempts),
                 delivery.state == .deliveryPending ? Format.localTime(unixMilliseconds: delivery.nextAttemptAtUnixMs) : "-",
                 Format.localTime(unixMilliseconds: delivery.deliveredAtUnixMs),
                 delivery.lastError.isEmpty ? "-" : delivery.lastError.replacingOccurrences(of: "\n", with: " ")]
            }).rendered
    }
}
