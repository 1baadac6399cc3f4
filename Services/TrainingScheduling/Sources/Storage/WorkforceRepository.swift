import SQLiteStorage

/// Queues, shifts and interval forecasts: the workforce-management export, kept per month.
///
/// Times: shifts are stored in minutes since the start of their month (the month their
/// start falls in), forecasts by 30-minute interval index of their month, as the domain
/// uses them.
struct WorkforceRepository: Sendable {
    /// Part of migration 4.
    static let schema = """
        CREATE TABLE service_queues (
            queue_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            service_level_percent INTEGER NOT NULL,
            answer_within_seconds INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE shifts (
            month TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            start_minute INTEGER NOT NULL,  -- minutes since the month's start
            end_minute INTEGER NOT NULL,
            PRIMARY KEY (month, agent_id, start_minute)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE forecasts (
            month TEXT NOT NULL,
            queue_id TEXT NOT NULL,
            interval_index INTEGER NOT NULL,  -- 30-minute intervals since the month's start
            expected_contacts REAL NOT NULL,
            average_handle_seconds REAL NOT NULL,
            shrinkage REAL NOT NULL,
            PRIMARY KEY (month, queue_id, interval_index)
        ) STRICT, WITHOUT ROWID;
        """

    struct QueueRecord: Sendable {
        var queue: ServiceQueue
        var percent: Int
        var answerWithinSeconds: Int
    }

    func putQueues(_ records: [Result<QueueRecord, FieldViolations>], now: Int64, _ db: SQLiteConnection) throws -> [CatalogueOutcome] {
        let find = "SELECT name, service_level_percent, answer_within_seconds FROM service_queues WHERE queue_id = ?"
        let upsert = """
            INSERT INTO service_queues (queue_id, name, service_level_percent, answer_within_seconds, updated_ms) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (queue_id) DO UPDATE SET name = excluded.name, service_level_percent = excluded.service_level_percent,
                answer_within_seconds = excluded.answer_within_seconds, updated_ms = excluded.updated_ms
            """
        return try records.map { record in
            guard case .success(let q) = record else {
                if case .failure(let problems) = record { return .rejected(problems.violations) }
                return .rejected([])
            }
            let stored = try db.query(find, [.text(q.queue.id.rawValue)]) { ($0.text(at: 0), $0.int(at: 1), $0.int(at: 2)) }.first
            if let stored, stored == (q.queue.name, q.percent, q.answerWithinSeconds) { return .duplicate }
            try db.run(upsert, [.text(q.queue.id.rawValue), .text(q.queue.name), .integer(Int64(q.percent)),
                            .integer(Int64(q.answerWithinSeconds)), .integer(now)])
            return stored == nil ? .accepted : .replaced
        }
    }

    func queues(_ db: SQLiteConnection) throws -> [QueueID: ServiceQueue] {
        var queues: [QueueID: ServiceQueue] = [:]
        for queue in try db.query("SELECT queue_id, name, service_level_percent, answer_within_seconds FROM service_queues", [], row: { row in
            ServiceQueue(
                id: QueueID(row.text(at: 0)), name: row.text(at: 1),
                target: ServiceLevelTarget(fraction: Double(row.int(at: 2)) / 100, answerWithinSeconds: Double(row.int(at: 3))))
        }) {
            queues[queue.id] = queue
        }
        return queues
    }

    /// Replaces each listed agent's shifts of the month.
    func putShifts(month: String, _ records: [Result<(AgentID, [MinuteRange]), FieldViolations>], _ db: SQLiteConnection) throws -> [CatalogueOutcome] {
        let find = "SELECT start_minute, end_minute FROM shifts WHERE month = ? AND agent_id = ? ORDER BY start_minute"
        let insert = try db.statement("INSERT INTO shifts (month, agent_id, start_minute, end_minute) VALUES (?, ?, ?, ?)")
        return try records.map { record in
            let agent: AgentID, shifts: [MinuteRange]
            switch record {
            case .failure(let problems): return .rejected(problems.violations)
            case .success(let found): (agent, shifts) = found
            }
            let stored = try db.query(find, [.text(month), .text(agent.rawValue)]) { MinuteRange(start: $0.int(at: 0), end: $0.int(at: 1)) }
            let sorted = shifts.sorted()
            if !stored.isEmpty && stored == sorted { return .duplicate }
            try db.run("DELETE FROM shifts WHERE month = ? AND agent_id = ?", [.text(month), .text(agent.rawValue)])
            for shift in sorted {
                try insert.run([.text(month), .text(agent.rawValue), .integer(Int64(shift.start)), .integer(Int64(shift.end))])
            }
            return stored.isEmpty ? .accepted : .replaced
        }
    }

    func shifts(month: String, _ db: SQLiteConnection) throws -> [Shift] {
        try db.query("SELECT agent_id, start_minute, end_minute FROM shifts WHERE month = ?", [.text(month)]) { row in
            Shift(agent: AgentID(row.text(at: 0)), start: row.int(at: 1), end: row.int(at: 2))
        }
    }

    struct ForecastRecord: Sendable {
        var queue: QueueID
        var interval: Interval
        var volume: IntervalVolume
    }

    /// Adds or overwrites forecasts; a forecast of a queue not stored is rejected.
    func putForecasts(month: String, _ records: [Result<ForecastRecord, FieldViolations>], _ db: SQLiteConnection) throws -> [CatalogueOutcome] {
        let known = Set(try queues(db).keys)
        let find = "SELECT expected_contacts, average_handle_seconds, shrinkage FROM forecasts WHERE month = ? AND queue_id = ? AND interval_index = ?"
        let upsert = """
            INSERT INTO forecasts (month, queue_id, interval_index, expected_contacts, average_handle_seconds, shrinkage) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (month, queue_id, interval_index) DO UPDATE SET expected_contacts = excluded.expected_contacts,
                average_handle_seconds = excluded.average_handle_seconds, shrinkage = excluded.shrinkage
            """
        return try records.map { record in
            let f: ForecastRecord
            switch record {
            case .failure(let problems): return .rejected(problems.violations)
            case .success(let found): f = found
            }
            guard known.contains(f.queue) else {
                return .rejected([FieldViolation(subject: "queue_id", description: "queue \(f.queue) is not stored; import it (PutQueues) first")])
            }
            let key: [SQLValue] = [.text(month), .text(f.queue.rawValue), .integer(Int64(f.interval.index))]
            let stored = try db.query(find, key) {
                IntervalVolume(expectedContacts: $0.double(at: 0), averageHandleSeconds: $0.double(at: 1), shrinkage: $0.double(at: 2))
            }.first
            if stored == f.volume { return .duplicate }
            try db.run(upsert, key + [.real(f.volume.expectedContacts), .real(f.volume.averageHandleSeconds), .real(f.volume.shrinkage)])
            return stored == nil ? .accepted : .replaced
        }
    }

    /// The month's forecasts with their queues' targets; forecasts of a queue since removed
    /// cannot exist (queues are never deleted).
    func forecasts(month: String, _ db: SQLiteConnection) throws -> [QueueForecast] {
        let queues = try queues(db)
        return try db.query(
            "SELECT queue_id, interval_index, expected_contacts, average_handle_seconds, shrinkage FROM forecasts WHERE month = ?",
            [.text(month)]
        ) { row -> QueueForecast? in
            guard let queue = queues[QueueID(row.text(at: 0))] else { return nil }
            return IntervalVolume(expectedContacts: row.double(at: 2), averageHandleSeconds: row.double(at: 3), shrinkage: row.double(at: 4))
                .forecast(queue: queue, interval: Interval(row.int(at: 1)))
        }.compactMap { $0 }
    }
}
