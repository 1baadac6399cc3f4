import Dispatch
import Foundation
import SQLiteStorage
import Synchronization
import Testing

@Suite struct MigrationTests {
    struct Record: Equatable {
        let version: Int
        let name: String
        let appliedAt: String
    }

    func records(_ database: SQLiteDatabase) async throws -> [Record] {
        try await database.read { connection in
            try connection.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version") {
                Record(version: $0.int(at: 0), name: $0.text(at: 1), appliedAt: $0.text(at: 2))
            }
        }
    }

    @Test func migrationsAreAppliedOnceAndRecorded() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let first = try openItems(scratch.path())
        #expect(first.schemaVersion == 2)
        let recorded = try await records(first)
        #expect(recorded.map(\.version) == [1, 2])
        #expect(recorded.map(\.name) == ["create items", "index labels"])
        #expect(recorded.allSatisfy { $0.appliedAt.hasPrefix("20") && $0.appliedAt.hasSuffix("Z") })
        first.close()

        // Reopening runs nothing again: CREATE TABLE items would fail if it did.
        let second = try openItems(scratch.path())
        #expect(second.schemaVersion == 2)
        #expect(try await records(second) == recorded)
        second.close()
    }

    @Test func reopeningAppliesOnlyNewMigrations() async throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let old = try SQLiteDatabase(path: scratch.path(), migrations: [itemMigrations[0]], logger: quietLogger)
        #expect(old.schemaVersion == 1)
        try await old.write { try $0.run("INSERT INTO items(label) VALUES (?)", ["kept"]) }
        let before = try await records(old)
        old.close()

        let newer = itemMigrations + [
            Migration(version: 3, name: "add weight", sql: "ALTER TABLE items ADD COLUMN weight REAL NOT NULL DEFAULT 1.5")
        ]
        let upgraded = try SQLiteDatabase(path: scratch.path(), migrations: newer, logger: quietLogger)
        #expect(upgraded.schemaVersion == 3)
        let after = try await records(upgraded)
        #expect(after.map(\.version) == [1, 2, 3])
        #expect(after.first == before.first)
        let rows = try await upgraded.read { connection in
            try connection.query("SELECT label, weight FROM items") { "\($0.text(at: 0)):\($0.double(at: 1))" }
        }
        #expect(rows == ["kept:1.5"])
        upgraded.close()
    }

    @Test func databaseNewerThanTheBuildIsRefused() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let future = itemMigrations + [Migration(version: 3, name: "future", sql: "CREATE TABLE later(x)")]
        try SQLiteDatabase(path: scratch.path(), migrations: future, logger: quietLogger).close()

        let error = #expect(throws: StorageError.self) {
            _ = try openItems(scratch.path())
        }
        #expect(error == .schemaNewerThanBuild(databaseVersion: 3, buildVersion: 2))
        #expect(error?.description == "database schema version 3 is newer than this build (2); upgrade the service")
    }

    @Test func failingMigrationRollsBackEverythingAndIsNamed() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let broken = [
            itemMigrations[0],
            Migration(
                version: 2, name: "fill labels",
                sql: "CREATE TABLE labels(x TEXT); INSERT INTO no_such_table VALUES (1);"),
        ]
        let error = #expect(throws: StorageError.self) {
            _ = try SQLiteDatabase(path: scratch.path(), migrations: broken, logger: quietLogger)
        }
        guard case .migrationFailed(let version, let name, let underlying) = error else {
            Issue.record("expected migrationFailed, got \(String(describing: error))")
            return
        }
        #expect(version == 2)
        #expect(name == "fill labels")
        #expect(underlying.message.contains("no_such_table"))
        #expect(error?.description.contains("'fill labels'") == true)

        // Migration 1 ran in the same transaction, so nothing at all was kept.
        let connection = try SQLiteConnection(path: scratch.path(), readOnly: true)
        let tables = try connection.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.text(at: 0) }
        #expect(tables == [])
        try connection.close()

        let fixed = try SQLiteDatabase(path: scratch.path(), migrations: [itemMigrations[0]], logger: quietLogger)
        #expect(fixed.schemaVersion == 1)
        fixed.close()
    }

    @Test func versionsMustBeStrictlyIncreasing() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let swapped = [itemMigrations[1], itemMigrations[0]]
        #expect(throws: StorageError.invalidMigrationOrder(version: 1, name: "create items", previousVersion: 2)) {
            _ = try SQLiteDatabase(path: scratch.path(), migrations: swapped, logger: quietLogger)
        }
        let repeated = [itemMigrations[0], Migration(version: 1, name: "again", sql: "SELECT 1")]
        #expect(throws: StorageError.invalidMigrationOrder(version: 1, name: "again", previousVersion: 1)) {
            _ = try SQLiteDatabase(path: scratch.path(), migrations: repeated, logger: quietLogger)
        }
        // Rejected before the file was created.
        #expect(!FileManager.default.fileExists(atPath: scratch.path()))
    }

    @Test func twoOpenersOfOneFileMigrateOnce() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path()
        let versions = Mutex<[Result<Int, any Error>]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let result = Result { () throws -> Int in
                let database = try openItems(path)
                defer { database.close() }
                return database.schemaVersion
            }
            versions.withLock { $0.append(result) }
        }
        let results = versions.withLock { $0 }
        #expect(results.count == 2)
        for result in results {
            #expect(try result.get() == 2)
        }
        let connection = try SQLiteConnection(path: path, readOnly: true)
        #expect(try connection.query("SELECT count(*) FROM schema_migrations") { $0.int(at: 0) } == [2])
        try connection.close()
    }
}
