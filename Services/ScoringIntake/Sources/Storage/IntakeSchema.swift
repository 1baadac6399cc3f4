import SQLiteStorage
import ServiceKit

/// The scoring intake's database, oldest migration first. Never edit an applied one.
///
/// Evaluations are one row per revision, with `counting = 1` on the one that counts (the
/// latest revision, not void). The partial index on counting rows ordered by month and
/// agent is what makes a month close a single index range scan.
enum IntakeSchema {
    static let migrations: [Migration] = [
        IdempotentWrites.migration,
        Migration(
            version: 2, name: "reference data, evaluations, tiers",
            sql: """
                CREATE TABLE center_calendar (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    time_zone TEXT NOT NULL,
                    updated_ms INTEGER NOT NULL
                );
                CREATE TABLE calendar_years (year INTEGER PRIMARY KEY, imported_ms INTEGER NOT NULL);
                CREATE TABLE calendar_days (day INTEGER PRIMARY KEY, kind INTEGER NOT NULL, name TEXT NOT NULL);

                CREATE TABLE roster_versions (
                    agent_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    effective_day INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    team_id TEXT NOT NULL,
                    team_leader_id TEXT NOT NULL,
                    department TEXT NOT NULL,
                    site TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    hire_day INTEGER NOT NULL,
                    status INTEGER NOT NULL,
                    left_day INTEGER,
                    recorded_ms INTEGER NOT NULL,
                    PRIMARY KEY (agent_id, seq)
                ) WITHOUT ROWID;

                CREATE TABLE scorecards (
                    scorecard_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    total_is_weighted_sum INTEGER NOT NULL,
                    PRIMARY KEY (scorecard_id, version)
                ) WITHOUT ROWID;
                CREATE TABLE scorecard_criteria (
                    scorecard_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    criterion_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    max_score REAL NOT NULL,
                    weight REAL NOT NULL,
                    critical INTEGER NOT NULL,
                    PRIMARY KEY (scorecard_id, version, position)
                ) WITHOUT ROWID;

                CREATE TABLE metrics (
                    metric_id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    direction INTEGER NOT NULL,
                    aggregation INTEGER NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE evaluations (
                    evaluation_id TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    agent_id TEXT NOT NULL,
                    call_id TEXT NOT NULL,
                    evaluator_id TEXT NOT NULL,
                    call_started_ms INTEGER NOT NULL,
                    scored_ms INTEGER NOT NULL,
                    scorecard_id TEXT NOT NULL,
                    scorecard_version INTEGER NOT NULL,
                    total REAL NOT NULL,
                    channel INTEGER NOT NULL,
                    items BLOB NOT NULL,
                    digest INTEGER NOT NULL,
                    local_day INTEGER NOT NULL,
                    local_month INTEGER NOT NULL,
                    counting INTEGER NOT NULL,
                    received_ms INTEGER NOT NULL,
                    PRIMARY KEY (evaluation_id, revision)
                ) WITHOUT ROWID;
                CREATE INDEX evaluations_counting ON evaluations (local_month, agent_id, local_day, total) WHERE counting = 1;

                CREATE TABLE evaluation_voids (
                    evaluation_id TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    reason INTEGER NOT NULL,
                    note TEXT NOT NULL,
                    caller TEXT NOT NULL,
                    voided_ms INTEGER NOT NULL,
                    PRIMARY KEY (evaluation_id, revision)
                ) WITHOUT ROWID;

                CREATE TABLE kpi_samples (
                    agent_id TEXT NOT NULL,
                    metric_id TEXT NOT NULL,
                    start_day INTEGER NOT NULL,
                    end_day INTEGER NOT NULL,
                    value REAL NOT NULL,
                    recorded_ms INTEGER NOT NULL,
                    PRIMARY KEY (agent_id, metric_id, start_day, end_day)
                ) WITHOUT ROWID;

                CREATE TABLE tier_policies (
                    version INTEGER PRIMARY KEY,
                    advanced REAL NOT NULL,
                    coaching REAL NOT NULL,
                    minimum INTEGER NOT NULL,
                    decimals INTEGER NOT NULL,
                    set_by TEXT NOT NULL,
                    set_ms INTEGER NOT NULL
                );
                INSERT INTO tier_policies VALUES (1, 95, 86, 4, 1, 'default', 0);

                CREATE TABLE month_closes (
                    month INTEGER NOT NULL,
                    revision INTEGER NOT NULL,
                    policy_version INTEGER NOT NULL,
                    closed_ms INTEGER NOT NULL,
                    caller TEXT NOT NULL,
                    PRIMARY KEY (month, revision)
                );
                CREATE TABLE tier_assignments (
                    month INTEGER NOT NULL,
                    revision INTEGER NOT NULL,
                    agent_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    team_id TEXT NOT NULL,
                    team_leader_id TEXT NOT NULL,
                    department TEXT NOT NULL,
                    site TEXT NOT NULL,
                    tier INTEGER NOT NULL,
                    average REAL NOT NULL,
                    count INTEGER NOT NULL,
                    standard_error REAL NOT NULL,
                    borderline INTEGER NOT NULL,
                    due_day INTEGER,
                    previous_tier INTEGER,
                    PRIMARY KEY (month, revision, agent_id)
                ) WITHOUT ROWID;

                CREATE TABLE watch_summaries (
                    week_monday INTEGER NOT NULL,
                    agent_id TEXT NOT NULL,
                    author_id TEXT NOT NULL,
                    text TEXT NOT NULL,
                    first_submitted_ms INTEGER NOT NULL,
                    updated_ms INTEGER NOT NULL,
                    PRIMARY KEY (week_monday, agent_id)
                ) WITHOUT ROWID;
                """),
        Migration(
            version: 3, name: "running monthly totals per agent",
            sql: """
                CREATE TABLE agent_month_totals (
                    month INTEGER NOT NULL,
                    agent_id TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    total_sum REAL NOT NULL,
                    total_sum_of_squares REAL NOT NULL,
                    PRIMARY KEY (month, agent_id)
                ) WITHOUT ROWID;
                INSERT INTO agent_month_totals (month, agent_id, count, total_sum, total_sum_of_squares)
                    SELECT local_month, agent_id, COUNT(*), SUM(total), SUM(total * total)
                    FROM evaluations WHERE counting = 1 GROUP BY local_month, agent_id;
                """),
        Migration(version: 4, name: "event outbox", sql: EventOutbox.schema),
    ]
}

/// Item scores packed into one blob per evaluation: a whole batch of 1,000 evaluations
/// with 6 items each is then 1,000 rows, not 7,000.
enum ItemsBlob {
    static func encode(_ items: [ItemScore]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(items.count * 48)
        appendInteger(UInt64(items.count), to: &bytes)
        for item in items {
            appendString(item.criterionID, to: &bytes)
            appendString(item.name, to: &bytes)
            appendInteger(item.score.bitPattern, to: &bytes)
            appendInteger(item.maxScore.bitPattern, to: &bytes)
            bytes.append(item.critical ? 1 : 0)
        }
        return bytes
    }

    static func decode(_ bytes: [UInt8]) -> [ItemScore] {
        var offset = 0
        guard let count = readInteger(bytes, &offset) else { return [] }
        var items: [ItemScore] = []
        for _ in 0..<count {
            guard let id = readString(bytes, &offset), let name = readString(bytes, &offset),
                let score = readInteger(bytes, &offset), let maximum = readInteger(bytes, &offset), offset < bytes.count
            else { return items }
            let critical = bytes[offset] == 1
            offset += 1
            items.append(ItemScore(criterionID: id, name: name, score: Double(bitPattern: score), maxScore: Double(bitPattern: maximum), critical: critical))
        }
        return items
    }

    private static func appendInteger(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private static func appendString(_ value: String, to bytes: inout [UInt8]) {
        appendInteger(UInt64(value.utf8.count), to: &bytes)
        bytes.append(contentsOf: value.utf8)
    }

    private static func readInteger(_ bytes: [UInt8], _ offset: inout Int) -> UInt64? {
        guard offset + 8 <= bytes.count else { return nil }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << UInt64(index * 8) }
        offset += 8
        return value
    }

    private static func readString(_ bytes: [UInt8], _ offset: inout Int) -> String? {
        guard let length = readInteger(bytes, &offset), length <= UInt64(bytes.count - offset) else { return nil }
        let text = String(decoding: bytes[offset..<(offset + Int(length))], as: UTF8.self)
        offset += Int(length)
        return text
    }
}
