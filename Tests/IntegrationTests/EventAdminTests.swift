import Foundation
import RPCRuntime
import SQLiteStorage
import Synchronization
import TestSupport
import Testing
import TrainingWire

/// The operator's window on the intake's outbox (`/training.v1.EventAdmin`): what is
/// pending, delivered or parked for which consumer, and sending an event again.
@Suite("Event administration", .serialized)
struct EventAdminTests {
    static let producer = "training.v1.ScoringIntake"

    func startIntake(_ directory: TemporaryDirectory, consumer: String) throws -> ServiceProcess {
        try ServiceProcess(
            "scoring-intake", in: directory,
            arguments: EventDeliveryTests().clock + ["--consumer", consumer])
    }

    func list(_ client: RPCClient, _ states: [OutboxDeliveryState] = [], consumer: String = "") async throws -> ListEventsResponse {
        try await client.call(EventAdminMethods.listEvents, ListEventsRequest(states: states, consumer: consumer))
    }

    /// The MonthClosed delivery to `consumer`, whatever its state.
    func monthClosed(_ client: RPCClient, consumer: String) async throws -> OutboxDelivery? {
        let all: [OutboxDeliveryState] = [.deliveryPending, .deliveryDelivered, .deliveryParked]
        return try await list(client, all, consumer: consumer).deliveries.first { $0.type == MonthClosed.protoName }
    }

    /// Polls until the MonthClosed delivery to `consumer` satisfies `done`.
    func waitForMonthClosed(
        _ client: RPCClient, consumer: String, timeout: Duration = .seconds(20), _ done: (OutboxDelivery) -> Bool
    ) async throws -> OutboxDelivery? {
        let deadline = ContinuousClock.now + timeout
        var last: OutboxDelivery?
        while ContinuousClock.now < deadline {
            last = try await monthClosed(client, consumer: consumer)
            if let last, done(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("MonthClosed to \(consumer) never got there; last seen: \(String(describing: last))")
        return nil
    }

    func statusCode(of body: () async throws -> some Sendable) async -> StatusCode? {
        do {
            _ = try await body()
            return .ok
        } catch let error as RPCError {
            return error.code
        } catch {
            return nil
        }
    }

    /// The consumer's inbox record of `eventID` (read-only): its received time, once.
    func inboxReceipts(_ database: String, _ eventID: String) throws -> [Int64] {
        let connection = try SQLiteConnection(path: database, readOnly: true)
        defer { try? connection.close() }
        return try connection.query("SELECT received_ms FROM inbox_events WHERE event_id = ?", [.text(eventID)]) { $0.int64(at: 0) }
    }

    @Test func pendingWhileTheConsumerIsDownThenDeliveredReplayedAndDeliveredAgain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let intake = try startIntake(directory, consumer: "training-scheduling=\(directory.file("t.sock"))")
        try await intake.waitUntilServing()
        _ = try await EventDeliveryTests().closeOctober(intake)  // the consumer's socket has no server
        let client = try await RPCClient.connect(socketPath: intake.socketPath, caller: "test")

        // Down: pending, and the outage does not count against the event.
        let waiting = try #require(try await monthClosed(client, consumer: "training-scheduling"))
        #expect(waiting.state == .deliveryPending)
        #expect(waiting.attempts == 0)
        #expect(waiting.eventId == "\(Self.producer)/\(waiting.sequence)")
        #expect(waiting.subject == "month:2026-10")
        #expect(waiting.deliveredAtUnixMs == 0)
        // The default filter (pending and parked) shows it; the roster changes before it wait too.
        let defaults = try await list(client)
        #expect(defaults.deliveries.contains(waiting))
        #expect(defaults.deliveries.allSatisfy { $0.state == .deliveryPending && $0.consumer == "training-scheduling" })
        #expect(defaults.deliveries.map(\.sequence) == defaults.deliveries.map(\.sequence).sorted())
        #expect(try await list(client, consumer: "nobody").deliveries.isEmpty)

        // The consumer comes up: delivered, once.
        let scheduling = try ServiceProcess("training-scheduling", in: directory, socketName: "t")
        try await scheduling.waitUntilServing()
        let delivered = try #require(try await waitForMonthClosed(client, consumer: "training-scheduling") { $0.state == .deliveryDelivered })
        #expect(delivered.deliveredAtUnixMs > 0)
        #expect(try await list(client).deliveries.isEmpty)  // nothing pending or parked is left
        let firstReceipt = try inboxReceipts(scheduling.databasePath, delivered.eventId)
        #expect(firstReceipt.count == 1)

        // Replayed: pending again with attempts 0 and its next attempt now, then delivered again;
        // the consumer acknowledges a duplicate and its inbox is unchanged.
        let replayed = try await client.call(EventAdminMethods.replayEvent, ReplayEventRequest(eventId: delivered.eventId))
        let reset = try #require(replayed.deliveries.first)
        #expect(replayed.deliveries.count == 1)
        #expect(reset.consumer == "training-scheduling")
        #expect(reset.state == .deliveryPending)
        #expect(reset.attempts == 0)
        #expect(reset.deliveredAtUnixMs == 0)
        #expect(reset.nextAttemptAtUnixMs >= delivered.deliveredAtUnixMs)
        let again = try #require(try await waitForMonthClosed(client, consumer: "training-scheduling") {
            $0.state == .deliveryDelivered && $0.deliveredAtUnixMs >= reset.nextAttemptAtUnixMs
        })
        #expect(again.attempts == 0)
        #expect(again.lastError.isEmpty)
        #expect(try inboxReceipts(scheduling.databasePath, delivered.eventId) == firstReceipt)

        // By consumer name too.
        let named = try await client.call(
            EventAdminMethods.replayEvent, ReplayEventRequest(eventId: delivered.eventId, consumer: "training-scheduling"))
        #expect(named.deliveries.map(\.consumer) == ["training-scheduling"])
        _ = try await waitForMonthClosed(client, consumer: "training-scheduling") { $0.state == .deliveryDelivered }

        // Unknown events and consumers: NOT_FOUND. Malformed ids and filters: INVALID_ARGUMENT.
        for request in [
            ReplayEventRequest(eventId: "\(Self.producer)/999999"),
            ReplayEventRequest(eventId: delivered.eventId, consumer: "nobody"),
        ] {
            #expect(await statusCode { try await client.call(EventAdminMethods.replayEvent, request) } == .notFound, "\(request)")
        }
        for eventID in ["", "42", "\(Self.producer)/", "\(Self.producer)/abc", "\(Self.producer)/0", "\(Self.producer)/-3",
                        "\(Self.producer)/+3", "\(Self.producer)/007", "\(Self.producer)/99999999999999999999",
                        "training.v1.TrainingScheduling/\(delivered.sequence)"] {
            let request = ReplayEventRequest(eventId: eventID)
            #expect(await statusCode { try await client.call(EventAdminMethods.replayEvent, request) } == .invalidArgument, "\(eventID)")
        }
        for request in [
            ListEventsRequest(limit: 1001), ListEventsRequest(states: [.unspecified]),
            ListEventsRequest(states: [.deliveryParked, .deliveryParked]),
        ] {
            #expect(await statusCode { try await client.call(EventAdminMethods.listEvents, request) } == .invalidArgument, "\(request)")
        }
        let page = try await client.call(
            EventAdminMethods.listEvents, ListEventsRequest(states: [.deliveryDelivered], limit: 1))
        #expect(page.deliveries.count == 1)
        #expect(page.truncated)
        let next = try await client.call(
            EventAdminMethods.listEvents,
            ListEventsRequest(states: [.deliveryDelivered], limit: 1000, afterSequence: page.deliveries[0].sequence))
        #expect(!next.truncated)
        #expect(next.deliveries.allSatisfy { $0.sequence > page.deliveries[0].sequence })

        // trainctl, as a script would use it.
        let flags = ["--intake-socket", intake.socketPath, "--scheduling-socket", scheduling.socketPath]
        let listed = try runTrainctl(["admin", "events", "--service", "intake", "--state", "all", "--json"] + flags)
        #expect(listed.status == 0, "\(listed.error)")
        let document = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any]
        #expect(document?["service"] as? String == "scoring-intake")
        #expect(document?["truncated"] as? Bool == false)
        let rows = document?["deliveries"] as? [[String: Any]] ?? []
        let row = try #require(rows.first { $0["type"] as? String == MonthClosed.protoName })
        #expect(row["event_id"] as? String == delivered.eventId)
        #expect(row["consumer"] as? String == "training-scheduling")
        #expect(row["state"] as? String == "delivered")
        #expect((row["attempts"] as? NSNumber)?.intValue == 0)
        #expect(row["subject"] as? String == "month:2026-10")
        #expect(((row["delivered_at_unix_ms"] as? NSNumber)?.int64Value ?? 0) > 0)
        #expect(row["last_error"] is NSNull)
        let open = try runTrainctl(["admin", "events", "--service", "intake", "--json"] + flags)
        #expect(open.status == 0)
        let openDocument = try JSONSerialization.jsonObject(with: Data(open.output.utf8)) as? [String: Any]
        #expect((openDocument?["deliveries"] as? [Any])?.isEmpty == true)
        let table = try runTrainctl(["admin", "events", "--service", "intake", "--state", "delivered"] + flags)
        #expect(table.status == 0)
        #expect(table.output.contains("EVENT") && table.output.contains(delivered.eventId))
        let replay = try runTrainctl(["admin", "replay", delivered.eventId, "--service", "intake", "--json"] + flags)
        #expect(replay.status == 0, "\(replay.error)")
        #expect(replay.output.contains("\"state\": \"pending\""))
        let unknown = try runTrainctl(["admin", "replay", "\(Self.producer)/999999", "--service", "intake"] + flags)
        #expect(unknown.status == 1)
        #expect(unknown.error.contains("NOT_FOUND"))
        // Scheduling produces events too now (sessions completed, coaching delivered); with no
        // consumer configured it has no deliveries.
        let scheduler = try runTrainctl(["admin", "events", "--service", "scheduling", "--json"] + flags)
        #expect(scheduler.status == 0, "\(scheduler.error)")
        #expect(((try? JSONSerialization.jsonObject(with: Data(scheduler.output.utf8))) as? [String: Any])?["deliveries"] as? [Any] != nil)
        _ = try await waitForMonthClosed(client, consumer: "training-scheduling") { $0.state == .deliveryDelivered }

        await client.close()
        for process in [intake, scheduling] { #expect(try await process.stop() == 0) }
    }

    /// A consumer that rejects MonthClosed until it is "fixed": the event is parked after five
    /// rejections with the consumer's reason, and a replay after the fix delivers it.
    @Test func aParkedEventIsReplayedAfterTheFix() async throws {
        let fixed = Switch()
        var router = RPCRouter()
        router.registerAsync(EventInboxMethods.deliver) { request, _ in
            let accepting = fixed.isOn
            var blocked: Set<String> = []
            var acks: [EventAck] = []
            for event in request.events where !blocked.contains(event.subject) {
                if event.type == MonthClosed.protoName, !accepting {
                    blocked.insert(event.subject)
                    acks.append(EventAck(eventId: event.eventId, disposition: .eventRejected, reason: "no such month table"))
                } else {
                    acks.append(EventAck(eventId: event.eventId, disposition: .eventApplied))
                }
            }
            return DeliverEventsResponse(acks: acks)
        }
        try await withInProcessServer(router: router) { socketPath, _ in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let intake = try startIntake(directory, consumer: "strict=\(socketPath)")
            try await intake.waitUntilServing()
            _ = try await EventDeliveryTests().closeOctober(intake)
            let client = try await RPCClient.connect(socketPath: intake.socketPath, caller: "test")

            let parked = try #require(try await waitForMonthClosed(client, consumer: "strict") { $0.state == .deliveryParked })
            #expect(parked.attempts == 5)
            #expect(parked.lastError == "no such month table")
            let listed = try await client.call(EventAdminMethods.listEvents, ListEventsRequest(states: [.deliveryParked]))
            #expect(listed.deliveries == [parked])

            fixed.turnOn()
            let replayed = try await client.call(EventAdminMethods.replayEvent, ReplayEventRequest(eventId: parked.eventId))
            #expect(replayed.deliveries.map(\.state) == [.deliveryPending])
            #expect(replayed.deliveries.map(\.attempts) == [0])
            #expect(replayed.deliveries.map(\.lastError) == [""])
            let delivered = try #require(try await waitForMonthClosed(client, consumer: "strict") { $0.state == .deliveryDelivered })
            #expect(delivered.attempts == 0)
            #expect(try await list(client).deliveries.isEmpty)

            await client.close()
            #expect(try await intake.stop() == 0)
        }
    }

    /// Whether the test consumer has been "fixed".
    final class Switch: Sendable {
        private let state = Mutex(false)
        var isOn: Bool { state.withLock { $0 } }
        func turnOn() { state.withLock { $0 = true } }
    }

    func runTrainctl(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ServiceProcess.executable("trainctl"))
        process.arguments = arguments
        let outPath = directory.file("out"), errPath = directory.file("err")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
