import Dispatch
import Foundation
import Logging
import Synchronization

/// A service's SQLite database: one writer thread that commits jobs in groups, and a few
/// reader threads, all behind a callback or `async` API that never blocks the caller.
///
/// Why this shape:
/// - The RPC layer runs on event loops that must never block, and SQLite blocks (fsync, lock
///   waits). So every SQLite call runs on threads this type owns; callers only enqueue.
/// - SQLite allows one writer at a time, and a durable commit costs an fsync. The writer thread
///   therefore takes every job waiting for it (up to `maximumGroupSize`), runs them in one
///   `BEGIN IMMEDIATE … COMMIT`, and pays one fsync for the whole group. Each job runs inside its
///   own `SAVEPOINT`, so a job that throws is undone and fails alone while the rest commit.
///   Completions are called only after `COMMIT` has returned: an acknowledged write is durable
///   (with `synchronous = .full`).
/// - WAL mode lets the reader threads read committed data while the writer writes.
/// - Deadlines are checked when a thread reaches a job, so work nobody waits for any more is
///   dropped instead of adding to an overload.
///
/// Deadlines are absolute times in nanoseconds on the monotonic clock read by
/// `DispatchTime.now().uptimeNanoseconds`, the same clock as NIO's `NIODeadline.uptimeNanoseconds`.
///
/// Completions run on a storage thread (the writer's, after commit, or a reader's). Keep them
/// cheap and non-blocking, e.g. hop to an event loop or resume a continuation: while a
/// completion runs, the thread serves nobody else. Never wait in a completion for another job
/// of the same database, and never call `close()` from one.
public final class SQLiteDatabase: Sendable {
    /// Tuning that a service reads from its configuration.
    public struct Configuration: Sendable, Hashable {
        /// `.full` (the default) makes every acknowledged commit survive power loss.
        public var synchronous: SQLiteConnection.SynchronousMode
        /// How long a connection waits for a lock held by another process before failing
        /// with `SQLITE_BUSY`.
        public var busyTimeoutMilliseconds: Int32
        /// Number of read-only connections, each on its own thread (at least 1).
        public var readerCount: Int
        /// The most jobs committed in one transaction; bounds the latency one group adds.
        public var maximumGroupSize: Int

        public init(
            synchronous: SQLiteConnection.SynchronousMode = .full, busyTimeoutMilliseconds: Int32 = 5000,
            readerCount: Int = 2, maximumGroupSize: Int = 256
        ) {
            self.synchronous = synchronous
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.readerCount = readerCount
            self.maximumGroupSize = maximumGroupSize
        }
    }

    /// Counters of the writer's work, for metrics and for tests that check grouping.
    public struct Statistics: Sendable, Hashable {
        /// Group transactions committed (one fsync each).
        public var committedGroups = 0
        /// Write jobs acknowledged as committed.
        public var committedWrites = 0
        /// Write jobs that failed (their own error, a deadline, or a failed commit).
        public var failedWrites = 0
        /// The most jobs committed together so far.
        public var largestGroup = 0

        public init() {}
    }

    /// The file path.
    public let path: String
    /// The schema version after migrations: the newest version this build knows.
    public let schemaVersion: Int
    public let configuration: Configuration

    private let writerQueue = JobQueue()
    private let readerQueue = JobQueue()
    private let threads: [StorageThread]
    private let counters: Counters
    private let logger: Logger

    /// Opens (creating if needed) the database at `path`, applies missing `migrations` and
    /// starts the writer and reader threads. Blocks until they are ready: call it at startup,
    /// not on an event loop.
    ///
    /// - Throws: `StorageError` for bad migrations or configuration and for a schema newer
    ///   than this build; `SQLiteError` when the file cannot be opened or is not a database.
    public init(
        path: String, migrations: [Migration], configuration: Configuration = .init(), logger: Logger
    ) throws {
        guard configuration.readerCount >= 1 else {
            throw StorageError.invalidConfiguration("readerCount must be at least 1, got \(configuration.readerCount)")
        }
        guard configuration.maximumGroupSize >= 1 else {
            throw StorageError.invalidConfiguration(
                "maximumGroupSize must be at least 1, got \(configuration.maximumGroupSize)")
        }
        guard configuration.busyTimeoutMilliseconds >= 0 else {
            throw StorageError.invalidConfiguration("busyTimeoutMilliseconds must not be negative")
        }
        try Migration.validate(migrations)

        let logger = {
            var logger = logger
            logger[metadataKey: "sqlite.path"] = "\(path)"
            return logger
        }()
        self.path = path
        self.configuration = configuration
        self.logger = logger
        let counters = Counters()
        self.counters = counters

        let writerQueue = self.writerQueue
        let writerReady = OneShot<Result<MigrationOutcome, any Error>>()
        let writer = StorageThread(name: "sqlite-writer") {
            Self.runWriter(
                path: path, migrations: migrations, configuration: configuration, queue: writerQueue,
                counters: counters, logger: logger, ready: writerReady)
        }
        let outcome: MigrationOutcome
        switch writerReady.wait() {
        case .success(let value):
            outcome = value
        case .failure(let error):
            writerQueue.close()
            writer.join()
            throw error
        }

        let readerQueue = self.readerQueue
        var threads = [writer]
        var readerFailure: (any Error)?
        for number in 1...configuration.readerCount {
            let ready = OneShot<Result<Void, any Error>>()
            threads.append(
                StorageThread(name: "sqlite-reader-\(number)") {
                    Self.runReader(
                        path: path, configuration: configuration, queue: readerQueue, logger: logger, ready: ready)
                })
            if case .failure(let error) = ready.wait() {
                readerFailure = error
                break
            }
        }
        if let readerFailure {
            writerQueue.close()
            readerQueue.close()
            for thread in threads { thread.join() }
            throw readerFailure
        }
        self.threads = threads
        self.schemaVersion = outcome.schemaVersion
        logger.info(
            "opened database",
            metadata: [
                "sqlite.schema_version": "\(outcome.schemaVersion)",
                "sqlite.migrations_applied": "\(outcome.applied)",
                "sqlite.readers": "\(configuration.readerCount)",
            ])
    }

    /// Does not wait (a deinit must not block, and may run on a storage thread when a completion
    /// held the last reference): it only closes the queues, so the threads finish the queued
    /// jobs, close their connections and end by themselves. Call `close()` to wait for that.
    deinit {
        writerQueue.close()
        readerQueue.close()
    }

    /// A snapshot of the writer's counters.
    public var statistics: Statistics {
        counters.snapshot()
    }

    // MARK: Writing

    /// Runs `body` on the writer thread inside the next group transaction and calls
    /// `completion` once that transaction has committed (or with the failure).
    ///
    /// `body` must not begin or end transactions, and must not keep the connection. If it
    /// throws, its changes are rolled back and only this job fails. Returns at once; if the
    /// database is closed, `completion` is called on the calling thread with
    /// `StorageError.closed`.
    ///
    /// - Parameter deadline: `DispatchTime.now().uptimeNanoseconds`-based; if it has passed when
    ///   the writer reaches the job, `body` is not run and the job fails with
    ///   `StorageError.deadlineExceeded`.
    public func write<T: Sendable>(
        deadline: UInt64? = nil, _ body: @escaping @Sendable (SQLiteConnection) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        submit(to: writerQueue, deadline: deadline, body, completion: completion)
    }

    /// `write(deadline:_:completion:)` for `async` callers.
    public func write<T: Sendable>(
        deadline: UInt64? = nil, _ body: @escaping @Sendable (SQLiteConnection) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            write(deadline: deadline, body) { continuation.resume(with: $0) }
        }
    }

    // MARK: Reading

    /// Runs `body` on a reader thread inside a read transaction, so that all its statements see
    /// one consistent snapshot including every write acknowledged before this call.
    ///
    /// The connection is read-only; writes through it fail with `SQLITE_READONLY`. Deadline,
    /// completion and closing behave as for `write`.
    public func read<T: Sendable>(
        deadline: UInt64? = nil, _ body: @escaping @Sendable (SQLiteConnection) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        submit(to: readerQueue, deadline: deadline, body, completion: completion)
    }

    /// `read(deadline:_:completion:)` for `async` callers.
    public func read<T: Sendable>(
        deadline: UInt64? = nil, _ body: @escaping @Sendable (SQLiteConnection) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            read(deadline: deadline, body) { continuation.resume(with: $0) }
        }
    }

    // MARK: Closing

    /// Stops accepting jobs (new ones fail with `StorageError.closed`), finishes the jobs already
    /// queued, waits for the threads to end and closes the connections. Idempotent, and safe to
    /// call from several threads. Blocks: call it during shutdown, not on an event loop, and
    /// never from a job or completion (it would wait for its own thread).
    public func close() {
        precondition(
            Thread.current.threadDictionary[storageThreadMarker] == nil,
            "SQLiteDatabase.close() called on one of its own threads; it would wait for itself")
        writerQueue.close()
        readerQueue.close()
        for thread in threads { thread.join() }
        logger.debug("closed database")
    }

    // MARK: Internals

    private func submit<T: Sendable>(
        to queue: JobQueue, deadline: UInt64?, _ body: @escaping @Sendable (SQLiteConnection) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void
    ) {
        let job = Job(
            deadline: deadline,
            body: { connection in
                let value = try body(connection)
                return { completion(.success(value)) }
            },
            fail: { completion(.failure($0)) })
        if !queue.enqueue(job) {
            completion(.failure(StorageError.closed))
        }
    }

    private static func runWriter(
        path: String, migrations: [Migration], configuration: Configuration, queue: JobQueue,
        counters: Counters, logger: Logger, ready: OneShot<Result<MigrationOutcome, any Error>>
    ) {
        markStorageThread()
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(
                path: path, readOnly: false, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds,
                synchronous: configuration.synchronous)
        } catch {
            ready.set(.failure(error))
            return
        }
        do {
            ready.set(.success(try connection.migrate(migrations)))
        } catch {
            close(connection, logger: logger)
            ready.set(.failure(error))
            return
        }
        let group = GroupCommit(connection: connection, counters: counters, logger: logger)
        while let jobs = queue.take(maximum: configuration.maximumGroupSize) {
            group.run(jobs)
        }
        close(connection, logger: logger)
    }

    private static func runReader(
        path: String, configuration: Configuration, queue: JobQueue, logger: Logger,
        ready: OneShot<Result<Void, any Error>>
    ) {
        markStorageThread()
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(
                path: path, readOnly: true, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds,
                synchronous: configuration.synchronous)
        } catch {
            ready.set(.failure(error))
            return
        }
        ready.set(.success(()))
        // One job at a time, so that a slow read does not hold up reads another reader could serve.
        while let jobs = queue.take(maximum: 1) {
            for job in jobs { runRead(job, on: connection, logger: logger) }
        }
        close(connection, logger: logger)
    }

    private static func runRead(_ job: Job, on connection: SQLiteConnection, logger: Logger) {
        if job.isExpired(now: DispatchTime.now().uptimeNanoseconds) {
            job.fail(StorageError.deadlineExceeded)
            return
        }
        let deliver: @Sendable () -> Void
        do {
            try connection.run("BEGIN DEFERRED")
            deliver = try job.body(connection)
            connection.resetActiveStatements()
            try connection.run("COMMIT")
        } catch {
            connection.resetActiveStatements()
            if connection.isInTransaction {
                do {
                    try connection.run("ROLLBACK")
                } catch let rollbackError {
                    logger.error("could not end read transaction", metadata: ["error": "\(rollbackError)"])
                }
            }
            job.fail(error)
            return
        }
        deliver()
    }

    private static func close(_ connection: SQLiteConnection, logger: Logger) {
        do {
            try connection.close()
        } catch {
            logger.error("closing connection failed", metadata: ["error": "\(error)"])
        }
    }

    private static func markStorageThread() {
        Thread.current.threadDictionary[storageThreadMarker] = true
    }
}

private let storageThreadMarker = "SQLiteStorage.thread"

/// The writer's counters behind a lock, readable from any thread.
final class Counters: Sendable {
    private let state = Mutex(SQLiteDatabase.Statistics())

    func snapshot() -> SQLiteDatabase.Statistics {
        state.withLock { $0 }
    }

    func record(committed: Int, failed: Int) {
        state.withLock { statistics in
            if committed > 0 {
                statistics.committedGroups += 1
                statistics.committedWrites += committed
                statistics.largestGroup = max(statistics.largestGroup, committed)
            }
            statistics.failedWrites += failed
        }
    }
}
