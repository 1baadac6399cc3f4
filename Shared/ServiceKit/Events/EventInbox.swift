import RPCRuntime
import SQLiteStorage
import TrainingWire

/// Applies one event's effect inside the consumer's transaction. Throwing rejects the
/// event (its effect is rolled back); the thrown error's description is the reason.
public typealias EventEffect = @Sendable (_ envelope: EventEnvelope, _ db: SQLiteConnection) throws -> Void

/// The consumer's side of event delivery: each event id is recorded in the same
/// transaction as the event's effect.
///
/// Why: delivery is at least once (the producer resends whatever it has no
/// acknowledgement for, after a crash on either side), so the consumer makes it exactly
/// once: an id already recorded is acknowledged as a duplicate and changes nothing.
public struct EventInbox: Sendable {
    public let effects: [String: EventEffect]

    /// - Parameter effects: by event type (`training.v1.MonthClosed`). Types without an
    ///   effect are acknowledged and recorded: this consumer has nothing to do for them.
    public init(effects: [String: EventEffect]) {
        self.effects = effects
    }

    /// The table, for the consumer's migrations.
    public static let schema = """
        CREATE TABLE inbox_events (
            event_id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            producer TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            received_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    /// Registers `/training.v1.EventInbox/Deliver`.
    public func register(in router: inout RPCRouter, database: SQLiteDatabase, clock: ServiceClock) {
        let effects = self.effects
        router.registerAsync(EventInboxMethods.deliver) { request, context in
            guard (1...1000).contains(request.events.count) else {
                throw RPCError.invalidArgument("events", "must hold 1 to 1000 events (it holds \(request.events.count))")
            }
            let now = Int64(clock.now().timeIntervalSince1970 * 1000)
            let acks = try await database.write(deadline: context.deadline.uptimeNanoseconds) { db in
                // After a rejection, later events of the same subject are left unacknowledged
                // (the producer sends them again after the rejected one): order per subject holds.
                var blocked: Set<String> = []
                var acks: [EventAck] = []
                for envelope in request.events where !blocked.contains(envelope.subject) {
                    let ack = try Self.apply(envelope, effects: effects, now: now, db)
                    if ack.disposition == .eventRejected { blocked.insert(envelope.subject) }
                    acks.append(ack)
                }
                return acks
            }
            return DeliverEventsResponse(acks: acks)
        }
    }

    static func apply(_ envelope: EventEnvelope, effects: [String: EventEffect], now: Int64, _ db: SQLiteConnection) throws -> EventAck {
        let seen = try db.statement("SELECT 1 FROM inbox_events WHERE event_id = ?")
        try seen.bind([.text(envelope.eventId)])
        let duplicate = try seen.step()
        try seen.reset()
        if duplicate { return EventAck(eventId: envelope.eventId, disposition: .eventDuplicate) }
        guard !envelope.eventId.isEmpty else {
            return EventAck(eventId: envelope.eventId, disposition: .eventRejected, reason: "event_id is empty")
        }
        try db.run("SAVEPOINT event")
        do {
            try effects[envelope.type]?(envelope, db)
            try db.statement("INSERT INTO inbox_events (event_id, type, producer, sequence, received_ms) VALUES (?, ?, ?, ?, ?)")
                .run([.text(envelope.eventId), .text(envelope.type), .text(envelope.producer),
                      .integer(Int64(bitPattern: envelope.sequence)), .integer(now)])
            try db.run("RELEASE SAVEPOINT event")
            return EventAck(eventId: envelope.eventId, disposition: .eventApplied)
        } catch {
            try db.run("ROLLBACK TO SAVEPOINT event")
            try db.run("RELEASE SAVEPOINT event")
            return EventAck(eventId: envelope.eventId, disposition: .eventRejected, reason: "\(error)")
        }
    }
}
