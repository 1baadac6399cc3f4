import Dispatch
import Logging

/// Runs one batch of write jobs as a single transaction on the writer thread.
///
/// The order of events is what makes acknowledgements honest: a job's success is delivered
/// only after `COMMIT` has returned, and anything that ends the transaction early fails every
/// job still waiting for that commit.
struct GroupCommit {
    let connection: SQLiteConnection
    let counters: Counters
    let logger: Logger

    /// Jobs that ran successfully in the open transaction and wait for its commit.
    private final class Waiting {
        var jobs: [(job: Job, deliver: @Sendable () -> Void)] = []
        var failed = 0
    }

    func run(_ jobs: [Job]) {
        let waiting = Waiting()
        for (position, job) in jobs.enumerated() {
            if job.isExpired(now: DispatchTime.now().uptimeNanoseconds) {
                fail(job, StorageError.deadlineExceeded, waiting)
                continue
            }
            if !connection.isInTransaction {
                do {
                    try connection.run("BEGIN IMMEDIATE")
                } catch {
                    // Usually another process holding the lock past the busy timeout: do not make
                    // every remaining job wait that long again.
                    logger.error("could not begin write transaction", metadata: ["error": "\(error)"])
                    for remaining in jobs[position...] { fail(remaining, error, waiting) }
                    break
                }
            }
            runInSavepoint(job, waiting)
        }
        finish(waiting)
    }

    private func runInSavepoint(_ job: Job, _ waiting: Waiting) {
        do {
            try connection.run("SAVEPOINT job")
        } catch {
            fail(job, error, waiting)
            return
        }
        do {
            let deliver = try job.body(connection)
            connection.resetActiveStatements()
            guard connection.isInTransaction else {
                // The job ran COMMIT, ROLLBACK or END itself.
                abandonGroup(
                    StorageError.transactionInterrupted("a write job ended the transaction itself"), waiting)
                fail(job, StorageError.transactionInterrupted("jobs must not begin or end transactions"), waiting)
                return
            }
            try connection.run("RELEASE SAVEPOINT job")
            waiting.jobs.append((job, deliver))
        } catch {
            connection.resetActiveStatements()
            if connection.isInTransaction {
                do {
                    try connection.run("ROLLBACK TO SAVEPOINT job")
                    try connection.run("RELEASE SAVEPOINT job")
                } catch let rollbackError {
                    logger.error("could not roll back a failed job", metadata: ["error": "\(rollbackError)"])
                    rollBackGroup()
                    abandonGroup(rollbackError, waiting)
                }
            } else {
                // SQLite rolled back the whole transaction (disk full, I/O error, ...).
                abandonGroup(StorageError.transactionInterrupted("\(error)"), waiting)
            }
            fail(job, error, waiting)
        }
    }

    private func finish(_ waiting: Waiting) {
        guard connection.isInTransaction else {
            counters.record(committed: 0, failed: waiting.failed)
            return
        }
        guard !waiting.jobs.isEmpty else {
            rollBackGroup()  // nothing to keep; skip the fsync
            counters.record(committed: 0, failed: waiting.failed)
            return
        }
        do {
            try connection.run("COMMIT")
        } catch {
            logger.error(
                "group commit failed", metadata: ["error": "\(error)", "sqlite.jobs": "\(waiting.jobs.count)"])
            rollBackGroup()
            abandonGroup(error, waiting)
            counters.record(committed: 0, failed: waiting.failed)
            return
        }
        counters.record(committed: waiting.jobs.count, failed: waiting.failed)
        for entry in waiting.jobs { entry.deliver() }
    }

    private func fail(_ job: Job, _ error: any Error, _ waiting: Waiting) {
        waiting.failed += 1
        job.fail(error)
    }

    /// Fails every job waiting for the commit of a transaction that will not commit.
    private func abandonGroup(_ error: any Error, _ waiting: Waiting) {
        let abandoned = waiting.jobs
        waiting.jobs.removeAll()
        for entry in abandoned { fail(entry.job, error, waiting) }
    }

    private func rollBackGroup() {
        guard connection.isInTransaction else { return }
        do {
            try connection.run("ROLLBACK")
        } catch {
            logger.error("could not roll back write transaction", metadata: ["error": "\(error)"])
        }
    }
}
