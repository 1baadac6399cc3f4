import Dispatch
import Foundation
import Logging
import SQLiteStorage
import Synchronization

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("storage-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String = "test.sqlite") -> String {
        url.appendingPathComponent(name).path
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

let quietLogger = Logger(label: "storage-tests", factory: { _ in SwiftLogNoOpLogHandler() })

let itemMigrations = [
    Migration(version: 1, name: "create items", sql: "CREATE TABLE items(id INTEGER PRIMARY KEY, label TEXT NOT NULL)"),
    Migration(version: 2, name: "index labels", sql: "CREATE INDEX items_label ON items(label)"),
]

func openItems(_ path: String, _ configuration: SQLiteDatabase.Configuration = .init()) throws -> SQLiteDatabase {
    try SQLiteDatabase(path: path, migrations: itemMigrations, configuration: configuration, logger: quietLogger)
}

/// Holds the writer thread inside a job until `open()`, so that the jobs submitted meanwhile
/// are all waiting together and the next group contains them all, without timing guesses.
final class WriterGate: Sendable {
    private let entered = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)

    init(_ database: SQLiteDatabase) {
        database.write({ [entered, released] _ in
            entered.signal()
            released.wait()
        }, completion: { _ in })
        entered.wait()
    }

    func open() {
        released.signal()
    }
}

/// Collects callback results from many threads.
final class Outcomes<Value: Sendable>: Sendable {
    private let results = Mutex<[Int: Result<Value, any Error>]>([:])
    private let group = DispatchGroup()

    /// A completion for job `key`; call once per job before submitting it.
    func completion(_ key: Int) -> @Sendable (Result<Value, any Error>) -> Void {
        group.enter()
        return { result in
            self.results.withLock { $0[key] = result }
            self.group.leave()
        }
    }

    /// Waits (bounded) for every completion handed out.
    func wait() -> [Int: Result<Value, any Error>] {
        _ = group.wait(timeout: .now() + .seconds(60))
        return results.withLock { $0 }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var isSuccess: Bool { failure == nil }
}

func now() -> UInt64 {
    DispatchTime.now().uptimeNanoseconds
}
