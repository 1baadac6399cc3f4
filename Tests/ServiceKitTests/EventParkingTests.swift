import Foundation
import Logging
import NIOCore
import RPCRuntime
import SQLiteStorage
import ServiceKit
import ServiceLifecycle
import TestSupport
import Testing
import TrainingWire

/// A consumer that rejects some events: they are retried, then parked after the
/// configured number of rejections, and the events behind them still arrive, in order.
@Suite("Event delivery: rejections and parking")
struct EventParkingTests {
    struct Rejected: Error, CustomStringConvertible {
        var description: String { "this consumer cannot take month bad" }
    }

    @Test func aRejectedEventIsParkedAndTheOthersArriveOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let logger = {
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            return logger
        }()
        let consumerDatabase = try SQLiteDatabase(
            path: directory.file("consumer.sqlite"),
            migrations: [Migration(version: 1, name: "inbox", sql: EventInbox.schema + "CREATE TABLE applied (month TEXT NOT NULL);")],
            logger: logger)
        defer { consumerDatabase.close() }
        let effects: [String: EventEffect] = [
            MonthClosed.protoName: { envelope, db in
                let event = try MonthClosed(serializedBytes: envelope.payload)
                if event.month == "bad" { throw Rejected() }
                try db.run("INSERT INTO applied (month) VALUES (?)", [.text(event.month)])
            }
        ]
        var router = RPCRouter()
        EventInbox(effects: effects).register(in: &router, database: consumerDatabase, clock: .system)

        try await withInProcessServer(router: router) { socket, _ in
            let producerDatabase = try SQLiteDatabase(
                path: directory.file("producer.sqlite"), migrations: [Migration(version: 1, name: "outbox", sql: EventOutbox.schema)],
                logger: logger)
            defer { producerDatabase.close() }
            let outbox = EventOutbox(producer: "test.Producer", consumers: [EventConsumer(name: "consumer", socketPath: socket)])
            // ok-1, then bad and bad's follower of the same subject, then ok-2 of another subject.
            try await producerDatabase.write { db in
                try outbox.append(MonthClosed(month: "ok-1"), subject: "a", occurredAt: 1, db)
                try outbox.append(MonthClosed(month: "bad"), subject: "b", occurredAt: 2, db)
                try outbox.append(MonthClosed(month: "after-bad"), subject: "b", occurredAt: 3, db)
                try outbox.append(MonthClosed(month: "ok-2"), subject: "c", occurredAt: 4, db)
            }
            var settings = EventDelivery.Settings()
            settings.maximumRejections = 3
            settings.initialBackoff = .milliseconds(5)
            settings.maximumBackoff = .milliseconds(20)
            settings.pollInterval = .milliseconds(10)
            let delivery = EventDelivery(outbox: outbox, database: producerDatabase, clock: .system, settings: settings, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [.init(service: delivery)], logger: logger))

            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let deadline = ContinuousClock.now + .seconds(20)
                var states: [Int] = []
                while ContinuousClock.now < deadline {
                    states = try await producerDatabase.read { db in
                        try db.query("SELECT state FROM outbox_deliveries ORDER BY sequence", [], row: { $0.int(at: 0) })
                    }
                    if states == [1, 2, 1, 1] { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(states == [1, 2, 1, 1])  // delivered, parked, delivered, delivered
                let parked = try await producerDatabase.read { db in
                    try db.query("SELECT attempts, last_error FROM outbox_deliveries WHERE state = 2", [], row: { ($0.int(at: 0), $0.text(at: 1)) })
                }
                #expect(parked.first?.0 == 3)
                #expect(parked.first?.1.contains("cannot take month bad") == true)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let applied = try await consumerDatabase.read { db in
                try db.query("SELECT month FROM applied ORDER BY rowid", [], row: { $0.text(at: 0) })
            }
            // Each once; the follower of the parked event (same subject) only after it was parked,
            // while the event of another subject did not wait.
            #expect(applied == ["ok-1", "ok-2", "after-bad"])
        }
    }

    @Test func deliverRejectsAnEmptyOrOversizedBatchAndAppliesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let logger = Logger(label: "test")
        let database = try SQLiteDatabase(
            path: directory.file("consumer.sqlite"), migrations: [Migration(version: 1, name: "inbox", sql: EventInbox.schema)], logger: logger)
        defer { database.close() }
        var router = RPCRouter()
        EventInbox(effects: [:]).register(in: &router, database: database, clock: .system)
        try await withInProcessServer(router: router) { socket, _ in
            let client = try await RPCClient.connect(socketPath: socket)
            let oversized = (0...1000).map { EventEnvelope(eventId: "p/\($0)", type: "x", producer: "p", subject: "s", sequence: UInt64($0)) }
            for events in [[], oversized] {
                do {
                    _ = try await client.call(EventInboxMethods.deliver, DeliverEventsRequest(events: events))
                    Issue.record("a batch of \(events.count) events must be refused")
                } catch let error as RPCError {
                    #expect(error.code == .invalidArgument)
                    #expect(error.violations.map(\.subject) == ["events"])
                }
            }
            // An envelope without an id is rejected alone; nothing is recorded for it.
            let answer = try await client.call(EventInboxMethods.deliver, DeliverEventsRequest(events: [
                EventEnvelope(eventId: "", type: "x", producer: "p", subject: "s"),
                EventEnvelope(eventId: "p/1", type: "x", producer: "p", subject: "t", sequence: 1),
            ]))
            #expect(answer.acks.map(\.disposition) == [.eventRejected, .eventApplied])
            await client.close()
        }
        let recorded = try await database.read { db in try db.query("SELECT event_id FROM inbox_events", [], row: { $0.text(at: 0) }) }
        #expect(recorded == ["p/1"])
    }
}
