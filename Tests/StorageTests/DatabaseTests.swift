import Dispatch
import Foundation
import SQLiteStorage
import Synchronization
import Testing

struct Boom: Error, Equatable {}

@Suite struct DatabaseTests {
    func labels(_ database: SQLiteDatabase) async throws -> [String] {
        try await database.read { try $0.query("SELECT label FROM items ORDER BY id") { $0.text(at: 0) } }
    }

    @Test func concurrentWritesFromManyThreadsAllCommitInFewGroups() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let database = try openItems(scratch.path())
        defer { database.close() }

        let gate = WriterGate(database)
        let outcomes = Outcomes<Int64>()
        DispatchQueue.concurrentPerform(iterations: 200) { number in
            database.write({ connection in
                try connection.run("INSERT INTO items(id, label) VALUES (?, ?)", [.integer(Int64(number + 1)), .text("w\(number)")])
                return connection.lastInsertRowID
            }, completion: outcomes.completion(number))
        }
        gate.open()
        let results = outcomes.wait()

        #expect(results.count == 200)
        let rowIDs = Set(results.values.compactMap { try? $0.get() })
        #expect(rowIDs == Set(1...200))
        let statistics = database.statistics
        #expect(statistics.committedWrites == 201)  // the gate's job too
        #expect(statistics.failedWrites == 0)
        // The gate's group, then the 200 waiting jobs in at most one group of 256.
        #expect(statistics.committedGroups == 2)
        #expect(statistics.largestGroup == 200)
        #expect(try await labels(database).count == 200)
    }

    @Test func groupSizeIsBounded() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let database = try openItems(scratch.path(), .init(maximumGroupSize: 16))
        defer { database.close() }
        let gate = WriterGate(database)
        let outcomes = Outcomes<Void>()
        for number in 0..<40 {
            database.write({ try $0.run("INSERT INTO items(label) VALUES (?)", [.text("\(number)")]) },
                           completion: outcomes.completion(number))
        }
        gate.open()
        #expect(outcomes.wait().values.allSatisfy { $0.isSuccess })
        let statistics = database.statistics
        #expect(statistics.largestGroup == 16)
        #expect(statistics.committedGroups == 1 + 3)  // 16 + 16 + 8
    }

    @Test func throwingJobFailsAloneWhileItsGroupCommits() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let database = try openItems(scratch.path())
        defer { database.close() }

        let gate = WriterGate(database)
        let outcomes = Outcomes<Void>()
        for (number, label) in ["first", "doomed", "third"].enumerated() {
            database.write({ connection in
                try connection.run("INSERT INTO items(label) VALUES (?)", [.text(label)])
                if label == "doomed" { throw Boom() }
            }, completion: outcomes.completion(number))
        }
        // A job that fails inside SQLite, after a change of its own, is undone the same way.
        database.write({ connection in
            try connection.run("INSERT INTO items(label) VALUES ('also doomed')")
            try connection.run("INSERT INTO items(id, label) VALUES (1, 'duplicate id')")
        }, completion: outcomes.completion(3))
        gate.open()
        let results = outcomes.wait()

        #expect(results[0]?.isSuccess == true)
        #expect(results[1]?.failure is Boom)
        #expect(results[2]?.isSuccess == true)
        #expect((results[3]?.failure as? SQLiteError)?.isConstraintViolation == true)
        #expect(try await labels(database) == ["first", "third"])
        let statistics = database.statistics
        #expect(statistics.largestGroup == 2)
        #expect(statistics.committedGroups == 2)
        #expect(statistics.failedWrites == 2)
    }

    @Test func jobPastItsDeadlineIsNotRun() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let database = try openItems(scratch.path())
        defer { database.close() }
        let ran = Mutex<[String]>([])

        // Already expired when submitted.
        await #expect(throws: StorageError.deadlineExceeded) {
            try await database.write(deadline: now() - 1) { _ in ran.withLock { $0.append("expired write") } }
        }
        await #expect(throws: StorageError.deadlineExceeded) {
            try await database.read(deadline: now() - 1) { _ in ran.withLock { $0.append("expired read") } }
        }

        // Expires while queued behind a busy writer; its group neighbour still commits.
        let gate = WriterGate(database)
        let deadline = now() + 20_000_000
        let outcomes = Outcomes<Void>()
        database.write(deadline: deadline, { connection in
            ran.withLock { $0.append("late write") }
            try connection.run("INSERT INTO items(label) VALUES ('late')")
        }, completion: outcomes.completion(0))
        database.write(deadline: now() + 60_000_000_000, { connection in
            try connection.run("INSERT INTO items(label) VALUES ('in time')")
        }, completion: outcomes.completion(1))
        while now() <= deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        gate.open()
        let results = outcomes.wait()

        #expect(results[0]?.failure as? StorageError == .deadlineExceeded)
        #expect(results[1]?.isSuccess == true)
        #expect(ran.withLock { $0 } == [])
        #expect(try await labels(database) == ["in time"])
    }

    @Test func dataSurvivesCloseAndReopen() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let database = try openItems(scratch.path())
        let id = try await database.write { connection in
            try connection.run("INSERT INTO items(label) VALUES (?)", ["durable"])
            return connection.lastInsertRowID
        }
        database.close()
        database.close()  // idempotent

        // A closed database refuses work at once, on the calling thread.
        let refused = Mutex<(any Error)?>(nil)
        database.write({ _ in 1 }, completion: { result in refused.withLock { $0 = result.failure } })
        #expect(refused.withLock { $0 } as? StorageError == .closed)
        await #expect(throws: StorageError.closed) { try await database.read { _ in 1 } }

        let reopened = try openItems(scratch.path())
        defer { reopened.close() }
        let rows = try await reopened.read { connection in
            try connection.query("SELECT id, label FROM items") { [$0.value(at: 0), $0.value(at: 1)] }
        }
        #expect(rows == [[.integer(id), .text("durable")]])
    }

    @Test func closeFinishesQueuedJobs() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let database = try openItems(scratch.path())
        let gate = WriterGate(database)
        let outcomes = Outcomes<Void>()
        for number in 0..<50 {
            database.write({ try $0.run("INSERT INTO items(label) VALUES (?)", [.text("q\(number)")]) },
                           completion: outcomes.completion(number))
        }
        let closed = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            database.close()
            closed.signal()
        }
        gate.open()
        closed.wait()
        let results = outcomes.wait()
        #expect(results.count == 50)
        #expect(results.values.allSatisfy { $0.isSuccess })

        let reopened = try openItems(scratch.path())
        defer { reopened.close() }
        #expect(try await labels(reopened).count == 50)
    }

    @Test func readersSeeCommittedWrites() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let database = try openItems(scratch.path(), .init(readerCount: 3))
        defer { database.close() }
        for round in 1...20 {
            try await database.write { try $0.run("INSERT INTO items(label) VALUES (?)", [.text("r\(round)")]) }
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await database.read { try $0.query("SELECT count(*) FROM items") { $0.int(at: 0) }[0] }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(counts == [round, round, round])
        }
    }

    @Test func readersCannotWrite() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let database = try openItems(scratch.path())
        defer { database.close() }
        let error = await #expect(throws: SQLiteError.self) {
            try await database.read { try $0.run("INSERT INTO items(label) VALUES ('x')") }
        }
        #expect(error?.code == 8)  // SQLITE_READONLY
    }

    @Test func jobThatEndsTheTransactionFailsAndDoesNotBreakTheWriter() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let database = try openItems(scratch.path())
        defer { database.close() }
        let error = await #expect(throws: StorageError.self) {
            try await database.write { try $0.execute("COMMIT") }
        }
        guard case .transactionInterrupted = error else {
            Issue.record("expected transactionInterrupted, got \(String(describing: error))")
            return
        }
        try await database.write { try $0.run("INSERT INTO items(label) VALUES ('after')") }
        #expect(try await labels(database) == ["after"])
    }

    @Test func invalidConfigurationIsRejected() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        #expect(throws: StorageError.invalidConfiguration("readerCount must be at least 1, got 0")) {
            _ = try openItems(scratch.path(), .init(readerCount: 0))
        }
        #expect(throws: StorageError.self) { _ = try openItems(scratch.path(), .init(maximumGroupSize: 0)) }
    }
}
