import Logging
import NIOCore
import RPCRuntime
import SQLiteStorage
import ServiceLifecycle
import TrainingWire

/// Sends a producer's outbox to its consumers, one loop per consumer, in outbox order.
///
/// Why one ordered stream per consumer: events of one subject (an agent, a month) must
/// arrive in the order they happened. The loop sends the oldest undelivered events first
/// and never passes one that is still waiting for a retry, so order holds per subject (and
/// in fact per producer). A consumer that is down or answers UNAVAILABLE is retried with
/// exponential backoff and jitter, without counting against the event; an event the
/// consumer rejects is retried too, and parked after `maximumRejections`.
public final class EventDelivery: Service, Sendable {
    public struct Settings: Sendable {
        public var batchSize = 200
        /// How often an idle loop looks for new events.
        public var pollInterval: TimeAmount = .milliseconds(100)
        public var initialBackoff: TimeAmount = .milliseconds(100)
        public var maximumBackoff: TimeAmount = .seconds(10)
        /// Rejections (not outages) after which an event is parked for an operator.
        public var maximumRejections = 5
        public var callTimeout: TimeAmount = .seconds(10)

        public init() {}
    }

    private let outbox: EventOutbox
    private let database: SQLiteDatabase
    private let clock: ServiceClock
    private let settings: Settings
    private let logger: Logger

    public init(outbox: EventOutbox, database: SQLiteDatabase, clock: ServiceClock, settings: Settings = Settings(), logger: Logger) {
        self.outbox = outbox
        self.database = database
        self.clock = clock
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for consumer in self.outbox.consumers {
                    group.addTask { await self.deliver(to: consumer) }
                }
            }
        }
    }

    private var now: Int64 { Int64(clock.now().timeIntervalSince1970 * 1000) }

    /// The loop for one consumer, until cancelled.
    private func deliver(to consumer: EventConsumer) async {
        var client: RPCClient?
        var backoff = Backoff(initial: settings.initialBackoff, maximum: settings.maximumBackoff)
        while !Task.isCancelled {
            do {
                let batch = try await pending(for: consumer)
                guard let head = batch.first else {
                    try await Task.sleep(for: .nanoseconds(settings.pollInterval.nanoseconds))
                    continue
                }
                // The oldest event waits for its retry time, and everything behind it waits too.
                if head.nextAttempt > now {
                    try await Task.sleep(for: .milliseconds(min(head.nextAttempt - now, 10_000)))
                    continue
                }
                let connected: RPCClient
                if let client {
                    connected = client
                } else {
                    connected = try await RPCClient.connect(socketPath: consumer.socketPath, caller: outbox.producer)
                    client = connected
                }
                let response = try await connected.call(
                    EventInboxMethods.deliver, DeliverEventsRequest(events: batch.map(\.envelope)),
                    options: CallOptions(timeout: settings.callTimeout))
                let rejected = try await record(response.acks, of: batch, consumer: consumer, backoff: backoff.current)
                if rejected { try await Task.sleep(for: .nanoseconds(backoff.next().nanoseconds)) } else { backoff.reset() }
            } catch is CancellationError {
                break
            } catch {
                // Down, unreachable, shutting down or timed out: nothing is lost, try again later.
                if let open = client { await open.close() }
                client = nil
                let wait = backoff.next()
                logger.debug("event consumer unavailable", metadata: [
                    "consumer": "\(consumer.name)", "error": "\(error)", "retry_ms": "\(wait.nanoseconds / 1_000_000)",
                ])
                do { try await Task.sleep(for: .nanoseconds(wait.nanoseconds)) } catch { break }
            }
        }
        if let client { await client.close() }
    }

    struct Pending: Sendable {
        var envelope: EventEnvelope
        var nextAttempt: Int64
        var attempts: Int
    }

    /// The oldest undelivered events for `consumer`, in outbox order.
    private func pending(for consumer: EventConsumer) async throws -> [Pending] {
        let producer = outbox.producer
        let limit = settings.batchSize
        return try await database.read(deadline: nil) { db in
            try db.query("""
                SELECT e.sequence, e.type, e.subject, e.occurred_ms, e.payload, d.next_attempt_ms, d.attempts
                FROM outbox_deliveries d JOIN outbox_events e ON e.sequence = d.sequence
                WHERE d.consumer = ? AND d.state = 0 ORDER BY d.sequence LIMIT ?
                """, [.text(consumer.name), .integer(Int64(limit))]
            ) { row in
                let sequence = row.int64(at: 0)
                return Pending(
                    envelope: EventEnvelope(
                        eventId: EventOutbox.eventID(producer: producer, sequence: sequence), type: row.text(at: 1),
                        producer: producer, subject: row.text(at: 2), sequence: UInt64(sequence),
                        occurredAtUnixMs: row.int64(at: 3), payload: row.blob(at: 4)),
                    nextAttempt: row.int64(at: 5), attempts: row.int(at: 6))
            }
        }
    }

    /// Marks what the consumer acknowledged. Returns whether any event was rejected.
    private func record(_ acks: [EventAck], of batch: [Pending], consumer: EventConsumer, backoff: TimeAmount) async throws -> Bool {
        let byID = Dictionary(acks.map { ($0.eventId, $0) }, uniquingKeysWith: { first, _ in first })
        let now = self.now
        let maximum = settings.maximumRejections
        let retryAt = now + backoff.nanoseconds / 1_000_000
        let logger = self.logger
        return try await database.write(deadline: nil) { db in
            var rejected = false
            for pending in batch {
                guard let ack = byID[pending.envelope.eventId] else { continue }  // not acknowledged: sent again
                switch ack.disposition {
                case .eventApplied, .eventDuplicate:
                    try db.run("UPDATE outbox_deliveries SET state = 1, delivered_ms = ? WHERE consumer = ? AND sequence = ?",
                               [.integer(now), .text(consumer.name), .integer(Int64(pending.envelope.sequence))])
                case .eventRejected, .unspecified:
                    rejected = true
                    let attempts = pending.attempts + 1
                    let state: DeliveryState = attempts >= maximum ? .parked : .pending
                    if state == .parked {
                        logger.error("event parked", metadata: [
                            "event_id": "\(pending.envelope.eventId)", "consumer": "\(consumer.name)", "reason": "\(ack.reason)",
                        ])
                    }
                    try db.run("""
                        UPDATE outbox_deliveries SET state = ?, attempts = ?, last_error = ?, next_attempt_ms = ?
                        WHERE consumer = ? AND sequence = ?
                        """, [.integer(Int64(state.rawValue)), .integer(Int64(attempts)), .text(ack.reason), .integer(retryAt),
                              .text(consumer.name), .integer(Int64(pending.envelope.sequence))])
                }
            }
            return rejected
        }
    }
}

/// Exponential backoff with full jitter: waits are random in [0, current], and current
/// doubles up to the maximum, so that many producers do not retry in step.
struct Backoff {
    let initial: TimeAmount
    let maximum: TimeAmount
    private(set) var current: TimeAmount

    init(initial: TimeAmount, maximum: TimeAmount) {
        self.initial = initial
        self.maximum = maximum
        self.current = initial
    }

    mutating func next() -> TimeAmount {
        let wait = TimeAmount.nanoseconds(Int64.random(in: (current.nanoseconds / 2)...max(current.nanoseconds, 1)))
        current = min(current * 2, maximum)
        return wait
    }

    mutating func reset() {
        current = initial
    }
}
