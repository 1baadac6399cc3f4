/// One step of a database's schema history.
///
/// Each service lists its migrations in code, in ascending `version` order, and never edits
/// one that has shipped: the database records which versions it has applied, so the list is
/// the single source of truth for what the schema should be and a file can be opened by any
/// build at least as new as the one that last migrated it. `sql` may hold several statements
/// but must not begin or end transactions: all pending migrations run in one transaction.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

extension Migration {
    /// Rejects a list whose versions are not positive and strictly increasing, before any file
    /// is touched.
    static func validate(_ migrations: [Migration]) throws {
        var previous = 0
        for migration in migrations {
            guard migration.version > previous else {
                throw StorageError.invalidMigrationOrder(
                    version: migration.version, name: migration.name, previousVersion: previous)
            }
            previous = migration.version
        }
    }
}

/// What applying migrations at open did, for the log.
struct MigrationOutcome: Sendable {
    var schemaVersion: Int
    var applied: [Int]
}

extension SQLiteConnection {
    /// Brings the database up to `migrations` under `BEGIN IMMEDIATE`, so that two processes
    /// opening the same file cannot both migrate: the second waits for the write lock (busy
    /// timeout) and then finds the versions already recorded.
    func migrate(_ migrations: [Migration]) throws -> MigrationOutcome {
        try Migration.validate(migrations)
        try execute("BEGIN IMMEDIATE")
        do {
            let outcome = try applyPending(migrations)
            try execute("COMMIT")
            return outcome
        } catch {
            if isInTransaction {
                // The original error is the one worth reporting; a failed rollback still
                // leaves nothing committed, because SQLite rolls back when the connection closes.
                try? execute("ROLLBACK")
            }
            throw error
        }
    }

    private func applyPending(_ migrations: [Migration]) throws -> MigrationOutcome {
        try execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations(
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """)
        let recorded = Set(try query("SELECT version FROM schema_migrations") { $0.int(at: 0) })
        let newestKnown = migrations.last?.version ?? 0
        let newestRecorded = recorded.max() ?? 0
        if newestRecorded > newestKnown {
            throw StorageError.schemaNewerThanBuild(databaseVersion: newestRecorded, buildVersion: newestKnown)
        }
        let known = Set(migrations.map(\.version))
        if let unknown = recorded.subtracting(known).min() {
            throw StorageError.unknownAppliedMigration(version: unknown)
        }
        var applied: [Int] = []
        for migration in migrations where !recorded.contains(migration.version) {
            do {
                try execute(migration.sql)
            } catch let error as SQLiteError {
                throw StorageError.migrationFailed(version: migration.version, name: migration.name, underlying: error)
            }
            try run(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                [.integer(Int64(migration.version)), .text(migration.name)])
            applied.append(migration.version)
        }
        return MigrationOutcome(schemaVersion: max(newestKnown, newestRecorded), applied: applied)
    }
}
