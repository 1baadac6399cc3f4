import Foundation

/// One unit of work for a storage thread, with its result delivery split in two so that the
/// writer can run a job now and acknowledge it only after the group's `COMMIT`.
struct Job: Sendable {
    /// Monotonic nanoseconds (`DispatchTime.now().uptimeNanoseconds`) after which the job is
    /// not started.
    let deadline: UInt64?
    /// Runs the caller's body; on success returns the call that delivers its value.
    let body: @Sendable (SQLiteConnection) throws -> @Sendable () -> Void
    /// Delivers a failure.
    let fail: @Sendable (any Error) -> Void

    func isExpired(now: UInt64) -> Bool {
        guard let deadline else { return false }
        return now >= deadline
    }
}

/// A FIFO of jobs that storage threads sleep on.
///
/// `@unchecked Sendable` is sound because every stored property is read and written only
/// while holding `condition`'s lock; the lock is what makes it safe to share across threads,
/// which the compiler cannot see through `NSCondition`.
final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [Job] = []
    private var isClosed = false

    /// Queues `job`; `false` once the queue is closed (the caller then fails the job itself).
    func enqueue(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !isClosed else { return false }
        pending.append(job)
        condition.signal()
        return true
    }

    /// Waits for work and takes up to `maximum` jobs in arrival order. Returns `nil` once the
    /// queue is closed and drained, which is the thread's signal to finish.
    func take(maximum: Int) -> [Job]? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !isClosed {
            condition.wait()
        }
        if pending.isEmpty { return nil }
        if pending.count <= maximum {
            defer { pending = [] }
            return pending
        }
        let taken = Array(pending.prefix(maximum))
        pending.removeFirst(maximum)
        return taken
    }

    /// Refuses new jobs; jobs already queued are still handed out.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        isClosed = true
        condition.broadcast()
    }
}

/// A value set once by one thread and waited for by others.
///
/// `@unchecked Sendable`: `value` is only touched while holding `condition`'s lock.
final class OneShot<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Value?

    func set(_ newValue: Value) {
        condition.lock()
        defer { condition.unlock() }
        value = newValue
        condition.broadcast()
    }

    func wait() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let value { return value }
            condition.wait()
        }
    }
}

/// A dedicated OS thread that can be joined.
///
/// SQLite calls block (fsync, busy waits), so they must not run on NIO event loops or on the
/// Swift concurrency pool; each connection gets a thread of its own instead.
final class StorageThread: Sendable {
    private let finished = OneShot<Void>()

    init(name: String, body: @escaping @Sendable () -> Void) {
        let finished = self.finished
        let thread = Thread {
            body()
            finished.set(())
        }
        thread.name = name
        thread.start()
    }

    /// Waits until the thread's body has returned. Safe to call more than once.
    func join() {
        finished.wait()
    }
}
