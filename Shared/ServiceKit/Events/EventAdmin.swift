import RPCRuntime
import SQLiteStorage
import TrainingWire

/// `/training.v1.EventAdmin`: what an operator sees of a producer's outbox and how an
/// event is sent again (`trainctl admin events`, `trainctl admin replay`).
///
/// Why: a parked event stops being sent and a consumer that is down leaves a backlog;
/// both are in the producer's own database, which nobody else may open. These two methods
/// are the operator's window on it and the one lever (set a delivery back to pending):
/// the delivery loop does the sending, in outbox order, as it does for any pending event.
public struct EventAdmin: Sendable {
    /// The producing service, e.g. `training.v1.ScoringIntake`: the prefix of its event ids.
    public let producer: String

    /// Rows of a ListEvents answer without a limit, and the most a limit may ask for.
    public static let defaultLimit = 100
    public static let maximumLimit = 1000

    public init(producer: String) {
        self.producer = producer
    }

    /// Registers ListEvents and ReplayEvent. The database must hold `EventOutbox.schema`
    /// (and `IdempotentWrites.migration`, for replays sent with an idempotency key).
    public func register(in router: inout RPCRouter, database: SQLiteDatabase, clock: ServiceClock) {
        let producer = self.producer
        router.registerAsync(EventAdminMethods.listEvents) { request, context in
            let filter = try Self.filter(request)
            return try await database.read(context) { db in try Self.list(filter, producer: producer, db) }
        }
        router.registerAsync(EventAdminMethods.replayEvent) { request, context in
            let sequence = try Self.sequence(ofEventID: request.eventId, producer: producer)
            let consumer = request.consumer
            let now = Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down))
            return try await database.idempotentWrite(context, now: now) { db in
                try Self.replay(sequence: sequence, eventID: request.eventId, consumer: consumer, now: now, producer: producer, db)
            }
        }
    }

    // MARK: Requests

    struct Filter: Sendable {
        var states: [DeliveryState]
        var consumer: String
        var limit: Int
        var afterSequence: Int64
    }

    static func filter(_ request: ListEventsRequest) throws -> Filter {
        var states: [DeliveryState] = []
        for (index, state) in request.states.enumerated() {
            let stored: DeliveryState
            switch state {
            case .deliveryPending: stored = .pending
            case .deliveryDelivered: stored = .delivered
            case .deliveryParked: stored = .parked
            case .unspecified: throw RPCError.invalidArgument("states[\(index)]", "must be a state, not OUTBOX_DELIVERY_STATE_UNSPECIFIED")
            }
            guard !states.contains(stored) else { throw RPCError.invalidArgument("states[\(index)]", "\(state.protoName) is listed twice") }
            states.append(stored)
        }
        if states.isEmpty { states = [.pending, .parked] }
        guard request.limit <= maximumLimit else {
            throw RPCError.invalidArgument("limit", "must be at most \(maximumLimit) (got \(request.limit))")
        }
        // Sequences are SQLite integers: anything above Int64.max is after every event.
        let after = Int64(exactly: request.afterSequence) ?? Int64.max
        return Filter(states: states, consumer: request.consumer,
                      limit: request.limit == 0 ? defaultLimit : Int(request.limit), afterSequence: after)
    }

    /// The outbox sequence of `eventID`, which must be `"<producer>/<sequence>"` with this
    /// service as the producer and a canonical positive decimal sequence.
    static func sequence(ofEventID eventID: String, producer: String) throws -> Int64 {
        guard !eventID.isEmpty else { throw RPCError.invalidArgument("event_id", "is required") }
        guard let slash = eventID.lastIndex(of: "/") else {
            throw RPCError.invalidArgument("event_id", "must be <producer>/<sequence>, e.g. \(producer)/42 (got \(eventID))")
        }
        let prefix = eventID[..<slash]
        let digits = eventID[eventID.index(after: slash)...]
        guard prefix == producer else {
            throw RPCError.invalidArgument(
                "event_id", "is an event of \(prefix.isEmpty ? "no producer" : String(prefix)), not of \(producer): ask the service that produced it")
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              digits.first != "0", let sequence = Int64(digits) else {
            throw RPCError.invalidArgument("event_id", "must end in a positive sequence number, e.g. \(producer)/42 (got \(eventID))")
        }
        return sequence
    }

    // MARK: Storage

    private static let columns = """
        SELECT e.sequence, e.type, e.subject, e.occurred_ms, d.consumer, d.state, d.attempts, d.next_attempt_ms,
            d.last_error, d.delivered_ms
        FROM outbox_deliveries d JOIN outbox_events e ON e.sequence = d.sequence
        """

    static func list(_ filter: Filter, producer: String, _ db: SQLiteConnection) throws -> ListEventsResponse {
        var sql = columns + " WHERE d.sequence > ? AND d.state IN (\(filter.states.map { String($0.rawValue) }.joined(separator: ", ")))"
        var values: [SQLValue] = [.integer(filter.afterSequence)]
        if !filter.consumer.isEmpty {
            sql += " AND d.consumer = ?"
            values.append(.text(filter.consumer))
        }
        sql += " ORDER BY d.sequence, d.consumer LIMIT ?"
        values.append(.integer(Int64(filter.limit + 1)))
        var rows = try db.query(sql, values) { try row($0, producer: producer) }
        let truncated = rows.count > filter.limit
        if truncated { rows.removeLast(rows.count - filter.limit) }
        return ListEventsResponse(deliveries: rows, truncated: truncated)
    }

    static func replay(
        sequence: Int64, eventID: String, consumer: String, now: Int64, producer: String, _ db: SQLiteConnection
    ) throws -> ReplayEventResponse {
        let exists = try db.query("SELECT 1 FROM outbox_events WHERE sequence = ?", [.integer(sequence)]) { _ in true }
        guard !exists.isEmpty else { throw notFound("event_id", "event \(eventID) is not in the outbox") }
        var condition = "sequence = ?"
        var values: [SQLValue] = [.integer(sequence)]
        if !consumer.isEmpty {
            condition += " AND consumer = ?"
            values.append(.text(consumer))
        }
        try db.run("""
            UPDATE outbox_deliveries SET state = \(DeliveryState.pending.rawValue), attempts = 0, next_attempt_ms = ?,
                last_error = '', delivered_ms = NULL
            WHERE \(condition)
            """, [.integer(now)] + values)
        guard db.changes > 0 else {
            if consumer.isEmpty {
                throw notFound("event_id", "event \(eventID) has no consumer (none was configured when it was written)")
            }
            throw notFound("consumer", "event \(eventID) has no delivery to consumer \(consumer)")
        }
        let rows = try db.query(columns + " WHERE d.\(condition) ORDER BY d.consumer", values) { try row($0, producer: producer) }
        return ReplayEventResponse(deliveries: rows)
    }

    private static func row(_ row: Statement, producer: String) throws -> OutboxDelivery {
        let sequence = row.int64(at: 0)
        let state: OutboxDeliveryState
        switch DeliveryState(rawValue: row.int(at: 5)) {
        case .pending: state = .deliveryPending
        case .delivered: state = .deliveryDelivered
        case .parked: state = .deliveryParked
        case nil: throw EventAdminError(description: "event \(sequence) has an unknown delivery state \(row.int(at: 5))")
        }
        return OutboxDelivery(
            eventId: EventOutbox.eventID(producer: producer, sequence: sequence), type: row.text(at: 1), subject: row.text(at: 2),
            sequence: UInt64(clamping: sequence), occurredAtUnixMs: row.int64(at: 3), consumer: row.text(at: 4), state: state,
            attempts: UInt32(clamping: row.int64(at: 6)), nextAttemptAtUnixMs: row.int64(at: 7), lastError: row.text(at: 8),
            deliveredAtUnixMs: row.isNull(at: 9) ? 0 : row.int64(at: 9))
    }

    private static func notFound(_ subject: String, _ message: String) -> RPCError {
        RPCError(.notFound, message, violations: [Violation(subject: subject, description: message)])
    }
}

/// A stored delivery this build cannot read: a server bug (INTERNAL).
struct EventAdminError: Error, CustomStringConvertible {
    let description: String
}
