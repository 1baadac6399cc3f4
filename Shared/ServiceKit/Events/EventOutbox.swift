import SQLiteStorage
import TrainingWire

/// Where a producer's events go: a consumer's name and its socket.
public struct EventConsumer: Sendable, Hashable {
    public let name: String
    public let socketPath: String

    public init(name: String, socketPath: String) {
        self.name = name
        self.socketPath = socketPath
    }
}

/// The producer's side of event delivery: events written in the same transaction as the
/// change that causes them.
///
/// Why an outbox: a service that changed its state and then called a peer could crash in
/// between, or find the peer down; the change would be made and the event lost. Written in
/// one transaction with the change, the event exists exactly when the change does, and
/// `EventDelivery` sends it whenever the consumer can take it.
public struct EventOutbox: Sendable {
    /// The producing service, e.g. `training.v1.ScoringIntake`; prefixes every event id.
    public let producer: String
    /// Who receives every event this producer writes.
    public let consumers: [EventConsumer]

    public init(producer: String, consumers: [EventConsumer]) {
        self.producer = producer
        self.consumers = consumers
    }

    /// The tables, for the producer's migrations.
    public static let schema = """
        CREATE TABLE outbox_events (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            subject TEXT NOT NULL,
            occurred_ms INTEGER NOT NULL,
            payload BLOB NOT NULL
        );
        CREATE TABLE outbox_deliveries (
            consumer TEXT NOT NULL,
            sequence INTEGER NOT NULL REFERENCES outbox_events (sequence),
            state INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_ms INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            delivered_ms INTEGER,
            PRIMARY KEY (consumer, sequence)
        ) WITHOUT ROWID;
        CREATE INDEX outbox_pending ON outbox_deliveries (consumer, sequence) WHERE state = 0;
        """

    /// Writes `event` for every consumer, inside the caller's transaction.
    /// Returns the event id.
    @discardableResult
    public func append<Event: WireMessage>(_ event: Event, subject: String, occurredAt: Int64, _ db: SQLiteConnection) throws -> String {
        try db.statement("INSERT INTO outbox_events (type, subject, occurred_ms, payload) VALUES (?, ?, ?, ?)")
            .run([.text(Event.protoName), .text(subject), .integer(occurredAt), .blob(event.serializedBytes())])
        let sequence = db.lastInsertRowID
        let delivery = try db.statement("INSERT INTO outbox_deliveries (consumer, sequence, state) VALUES (?, ?, 0)")
        for consumer in consumers {
            try delivery.run([.text(consumer.name), .integer(sequence)])
        }
        return Self.eventID(producer: producer, sequence: sequence)
    }

    static func eventID(producer: String, sequence: Int64) -> String {
        "\(producer)/\(sequence)"
    }
}

/// Where a delivery stands.
public enum DeliveryState: Int, Sendable, Hashable {
    case pending = 0
    case delivered = 1
    /// The consumer rejected it too often; an operator looks at it (`trainctl admin events`).
    case parked = 2
}
