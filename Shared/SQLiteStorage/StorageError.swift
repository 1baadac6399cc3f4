/// Failures of the storage layer that are not a single SQLite call going wrong.
///
/// They are typed so that the layer above can map each to a status deliberately: `closed` and
/// `deadlineExceeded` are ordinary outcomes under shutdown and overload, while the migration
/// cases mean the service must not start at all.
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database was closed before the job could be queued.
    case closed
    /// The job's deadline had passed when a storage thread reached it, so it was not run.
    case deadlineExceeded
    /// The configuration cannot work (for example no reader threads).
    case invalidConfiguration(String)
    /// Migration versions must be positive and strictly increasing; `version` (named `name`)
    /// does not follow `previousVersion`.
    case invalidMigrationOrder(version: Int, name: String, previousVersion: Int)
    /// The file was migrated by a newer build. Running older code on it could corrupt data,
    /// so the database is refused.
    case schemaNewerThanBuild(databaseVersion: Int, buildVersion: Int)
    /// The file records a migration this build does not have (a numbering mix-up between builds).
    case unknownAppliedMigration(version: Int)
    /// A migration's SQL failed; nothing of this opening's migrations was kept.
    case migrationFailed(version: Int, name: String, underlying: SQLiteError)
    /// The group transaction this write belonged to ended before it could commit: a disk or I/O
    /// error made SQLite roll it back, or a job ran `COMMIT`/`ROLLBACK` itself. The write was not
    /// acknowledged; whether its changes are durable is unknown, so treat it as failed.
    case transactionInterrupted(String)

    public var description: String {
        switch self {
        case .closed:
            return "the database is closed"
        case .deadlineExceeded:
            return "the deadline passed before the storage job could run"
        case .invalidConfiguration(let reason):
            return "invalid storage configuration: \(reason)"
        case .invalidMigrationOrder(let version, let name, let previousVersion):
            return "migration \(version) '\(name)' must have a positive version greater than \(previousVersion)"
        case .schemaNewerThanBuild(let databaseVersion, let buildVersion):
            return "database schema version \(databaseVersion) is newer than this build (\(buildVersion)); upgrade the service"
        case .unknownAppliedMigration(let version):
            return "database records migration \(version), which this build does not know; wrong build for this file"
        case .migrationFailed(let version, let name, let underlying):
            return "migration \(version) '\(name)' failed: \(underlying)"
        case .transactionInterrupted(let reason):
            return "the write transaction ended before this job was committed: \(reason)"
        }
    }
}
