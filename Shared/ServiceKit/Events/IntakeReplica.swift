import SQLiteStorage
import TrainingWire

/// What the scheduling and review services keep of the scoring intake's state: the
/// latest tiers of each closed month and the newest roster entry of each agent, fed by
/// the intake's `MonthClosed` and `RosterChanged` events.
///
/// Why a replica and not calls: each service must keep working while the intake is down,
/// and must never poll it. Both consumers keep the same tables, so the code lives here.
public enum IntakeReplica {
    /// The tables, for the consumer's migrations (after `EventInbox.schema`).
    public static let schema = """
        CREATE TABLE replica_month_closes (
            month TEXT PRIMARY KEY,
            applies_to_month TEXT NOT NULL,
            revision INTEGER NOT NULL,
            policy_version INTEGER NOT NULL,
            occurred_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE replica_tiers (
            month TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            tier INTEGER NOT NULL,
            average REAL NOT NULL,
            count INTEGER NOT NULL,
            standard_error REAL NOT NULL,
            borderline INTEGER NOT NULL,
            problem_summary_due TEXT NOT NULL,
            team_id TEXT NOT NULL,
            team_leader_id TEXT NOT NULL,
            department TEXT NOT NULL,
            site TEXT NOT NULL,
            PRIMARY KEY (month, agent_id)
        ) WITHOUT ROWID;
        CREATE TABLE replica_agents (
            agent_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            team_id TEXT NOT NULL,
            team_leader_id TEXT NOT NULL,
            department TEXT NOT NULL,
            site TEXT NOT NULL,
            queue TEXT NOT NULL,
            hire_date TEXT NOT NULL,
            status INTEGER NOT NULL,
            left_on TEXT NOT NULL,
            effective_date TEXT NOT NULL
        ) WITHOUT ROWID;
        """

    /// The effects to register with `EventInbox`.
    public static let effects: [String: EventEffect] = [
        MonthClosed.protoName: applyMonthClosed,
        RosterChanged.protoName: applyRosterChanged,
    ]

    /// Keeps the newest revision of each month: an older one arriving late changes nothing.
    public static func applyMonthClosed(_ envelope: EventEnvelope, _ db: SQLiteConnection) throws {
        let event = try MonthClosed(serializedBytes: envelope.payload)
        let stored = try db.query("SELECT revision FROM replica_month_closes WHERE month = ?", [.text(event.month)]) { $0.int(at: 0) }.first
        if let stored, stored >= Int(event.revision) { return }
        try db.run("DELETE FROM replica_tiers WHERE month = ?", [.text(event.month)])
        try db.run("""
            INSERT OR REPLACE INTO replica_month_closes (month, applies_to_month, revision, policy_version, occurred_ms)
            VALUES (?, ?, ?, ?, ?)
            """, [.text(event.month), .text(event.appliesToMonth), .integer(Int64(event.revision)),
                  .integer(Int64(event.policyVersion)), .integer(envelope.occurredAtUnixMs)])
        let insert = try db.statement("""
            INSERT INTO replica_tiers (month, agent_id, tier, average, count, standard_error, borderline, problem_summary_due,
                team_id, team_leader_id, department, site)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for assignment in event.assignments {
            try insert.run([
                .text(event.month), .text(assignment.agentId), .integer(Int64(assignment.tier.rawValue)), .real(assignment.average),
                .integer(Int64(assignment.count)), .real(assignment.standardError), .integer(assignment.borderline ? 1 : 0),
                .text(assignment.problemSummaryDue), .text(assignment.teamId), .text(assignment.teamLeaderId),
                .text(assignment.department), .text(assignment.site),
            ])
        }
    }

    /// Keeps each agent's newest entry by effective date.
    public static func applyRosterChanged(_ envelope: EventEnvelope, _ db: SQLiteConnection) throws {
        let event = try RosterChanged(serializedBytes: envelope.payload)
        guard let entry = event.entry, !entry.agentId.isEmpty else { throw ReplicaError("RosterChanged without an entry") }
        let stored = try db.query("SELECT effective_date FROM replica_agents WHERE agent_id = ?", [.text(entry.agentId)]) { $0.text(at: 0) }.first
        if let stored, stored > entry.effectiveDate { return }
        try db.run("""
            INSERT OR REPLACE INTO replica_agents (agent_id, name, team_id, team_leader_id, department, site, queue, hire_date,
                status, left_on, effective_date)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(entry.agentId), .text(entry.name), .text(entry.teamId), .text(entry.teamLeaderId), .text(entry.department),
                  .text(entry.site), .text(entry.queue), .text(entry.hireDate), .integer(Int64(entry.status.rawValue)),
                  .text(entry.leftOn), .text(entry.effectiveDate)])
    }
}

/// An event a replica cannot apply; its description is the rejection reason.
struct ReplicaError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
