import CalendarDates
import Foundation
import SQLiteStorage

/// The intake's SQL, one function per unit of work, each run inside a transaction the
/// caller owns (a group commit on the writer, or a read snapshot on a reader).
///
/// Why functions on a connection: the rules live in the domain; this type only loads
/// what a rule needs and stores what it decided, with cached prepared statements on the
/// ingest path.
struct IntakeRepository: Sendable {
    let rules = EvaluationRules()

    // MARK: Calendar

    func calendar(_ db: SQLiteConnection) throws -> CenterCalendar? {
        guard let zone = try timeZoneIdentifier(db) else { return nil }
        let years = Set(try db.query("SELECT year FROM calendar_years", [], row: { $0.int(at: 0) }))
        var exceptions: [LocalDate: DayKind] = [:]
        for (day, kind) in try db.query("SELECT day, kind FROM calendar_days", [], row: { ($0.int(at: 0), $0.int(at: 1)) }) {
            exceptions[LocalDate(dayNumber: day)] = DayKind(rawValue: kind)
        }
        do {
            return try CenterCalendar(timeZoneIdentifier: zone, years: years, exceptions: exceptions)
        } catch {
            throw IntakeError.precondition("calendar", "the stored time zone \(zone) is not known to this system")
        }
    }

    /// Only the center's time zone identifier: what placing a call in a local day needs.
    func timeZoneIdentifier(_ db: SQLiteConnection) throws -> String? {
        try db.query("SELECT time_zone FROM center_calendar WHERE singleton = 1", [], row: { $0.text(at: 0) }).first
    }

    func requireCalendar(_ db: SQLiteConnection) throws -> CenterCalendar {
        guard let calendar = try calendar(db) else {
            throw IntakeError.precondition("calendar", "no calendar is imported; import the center's calendar (PutCalendar) first")
        }
        return calendar
    }

    /// Replaces one year of the calendar. The time zone may change only while no evaluation is
    /// stored: every stored evaluation was placed in a local day with the zone in force.
    func putCalendar(timeZone: String, year: Int, days: [(LocalDate, DayKind, String)], now: Int64, _ db: SQLiteConnection) throws -> Int {
        let current = try timeZoneIdentifier(db)
        if let current, current != timeZone {
            let stored = try db.query("SELECT 1 FROM evaluations LIMIT 1", [], row: { $0.int(at: 0) })
            if !stored.isEmpty {
                throw IntakeError.precondition("time_zone", "is \(current) and evaluations are stored in it; it cannot change to \(timeZone)")
            }
        }
        try db.run("INSERT INTO center_calendar (singleton, time_zone, updated_ms) VALUES (1, ?, ?) ON CONFLICT (singleton) DO UPDATE SET time_zone = excluded.time_zone, updated_ms = excluded.updated_ms",
                   [.text(timeZone), .integer(now)])
        guard let first = LocalDate(year: year, month: 1, day: 1), let last = LocalDate(year: year, month: 12, day: 31) else {
            throw IntakeError.invalid("year", "must be from 1900 to 2200")
        }
        try db.run("DELETE FROM calendar_days WHERE day BETWEEN ? AND ?", [.integer(Int64(first.dayNumber)), .integer(Int64(last.dayNumber))])
        let insert = try db.statement("INSERT INTO calendar_days (day, kind, name) VALUES (?, ?, ?)")
        var kinds: [Int: DayKind] = [:]
        for (date, kind, name) in days {
            try insert.run([.integer(Int64(date.dayNumber)), .integer(Int64(kind.rawValue)), .text(name)])
            kinds[date.dayNumber] = kind
        }
        try db.run("INSERT OR REPLACE INTO calendar_years (year, imported_ms) VALUES (?, ?)", [.integer(Int64(year)), .integer(now)])
        return (first.dayNumber...last.dayNumber).filter { day in
            kinds[day].map(\.isWorking) ?? !LocalDate(dayNumber: day).isWeekend
        }.count
    }

    // MARK: Roster

    func history(of agentID: String, _ db: SQLiteConnection) throws -> [RosterEntry] {
        try db.query(
            "SELECT \(Self.rosterColumns) FROM roster_versions WHERE agent_id = ? ORDER BY effective_day, seq", [.text(agentID)],
            row: Self.rosterEntry)
    }

    /// Every agent's versions, oldest first, grouped by agent.
    func allHistories(_ db: SQLiteConnection) throws -> [String: [RosterEntry]] {
        let entries = try db.query("SELECT \(Self.rosterColumns) FROM roster_versions ORDER BY agent_id, effective_day, seq", [], row: Self.rosterEntry)
        return Dictionary(grouping: entries, by: \.agentID)
    }

    /// Each submission's outcome, with the entry it stored (for accepted and replaced ones).
    func upsertRoster(
        _ submissions: [RosterSubmission], today: LocalDate, now: Int64, _ db: SQLiteConnection
    ) throws -> [(outcome: RecordOutcome, stored: RosterEntry?)] {
        let newest = try db.statement("SELECT \(Self.rosterColumns), seq FROM roster_versions WHERE agent_id = ? ORDER BY effective_day DESC, seq DESC LIMIT 1")
        let insert = try db.statement("""
            INSERT INTO roster_versions (agent_id, seq, effective_day, name, team_id, team_leader_id, department, site, queue,
                hire_day, status, left_day, recorded_ms)
            VALUES (?, COALESCE((SELECT MAX(seq) FROM roster_versions WHERE agent_id = ?), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        return try submissions.map { submission in
            let entry: RosterEntry
            switch submission.validated(today: today) {
            case .success(let valid): entry = valid
            case .failure(.invalid(let violations)): return (.rejected(violations), nil)
            case .failure(let other): return (.rejected([DomainViolation("agent", "\(other)")]), nil)
            }
            try newest.bind([.text(entry.agentID)])
            let stored = try newest.step() ? Self.rosterEntry(newest) : nil
            try newest.reset()
            let outcome = RosterDecision.outcome(for: entry, newest: stored)
            if outcome == .accepted || outcome == .replaced {
                try insert.run([
                    .text(entry.agentID), .text(entry.agentID), .integer(Int64(entry.effectiveDate.dayNumber)), .text(entry.name),
                    .text(entry.teamID), .text(entry.teamLeaderID), .text(entry.department), .text(entry.site), .text(entry.queue),
                    .integer(Int64(entry.hireDate.dayNumber)), .integer(Int64(entry.status.rawValue)),
                    entry.leftOn.map { .integer(Int64($0.dayNumber)) } ?? .null, .integer(now),
                ])
                return (outcome, entry)
            }
            return (outcome, nil)
        }
    }

    static let rosterColumns = "agent_id, name, team_id, team_leader_id, department, site, queue, hire_day, status, left_day, effective_day"

    static func rosterEntry(_ row: Statement) -> RosterEntry {
        RosterEntry(
            agentID: row.text(at: 0), name: row.text(at: 1), teamID: row.text(at: 2), teamLeaderID: row.text(at: 3),
            department: row.text(at: 4), site: row.text(at: 5), queue: row.text(at: 6),
            hireDate: LocalDate(dayNumber: row.int(at: 7)), status: AgentStatus(rawValue: row.int(at: 8)) ?? .inService,
            leftOn: row.isNull(at: 9) ? nil : LocalDate(dayNumber: row.int(at: 9)), effectiveDate: LocalDate(dayNumber: row.int(at: 10)))
    }

    func agentExists(_ agentID: String, _ db: SQLiteConnection) throws -> Bool {
        let statement = try db.statement("SELECT 1 FROM roster_versions WHERE agent_id = ? LIMIT 1")
        try statement.bind([.text(agentID)])
        defer { try? statement.reset() }
        return try statement.step()
    }

    // MARK: Scorecards and metrics

    /// True when stored, false when the identical version was already there.
    func putScorecard(_ scorecard: Scorecard, _ db: SQLiteConnection) throws -> Bool {
        if let stored = try self.scorecard(scorecard.scorecardID, version: scorecard.version, db) {
            if stored == scorecard { return false }
            throw IntakeError.alreadyExists("scorecard \(scorecard.scorecardID) version \(scorecard.version) is stored with other content; publish a new version")
        }
        try db.run("INSERT INTO scorecards (scorecard_id, version, name, total_is_weighted_sum) VALUES (?, ?, ?, ?)",
                   [.text(scorecard.scorecardID), .integer(Int64(scorecard.version)), .text(scorecard.name), .integer(scorecard.totalIsWeightedSum ? 1 : 0)])
        let insert = try db.statement("INSERT INTO scorecard_criteria (scorecard_id, version, position, criterion_id, name, max_score, weight, critical) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for (position, criterion) in scorecard.criteria.enumerated() {
            try insert.run([
                .text(scorecard.scorecardID), .integer(Int64(scorecard.version)), .integer(Int64(position)), .text(criterion.criterionID),
                .text(criterion.name), .real(criterion.maxScore), .real(criterion.weight), .integer(criterion.critical ? 1 : 0),
            ])
        }
        return true
    }

    func scorecard(_ id: String, version: Int, _ db: SQLiteConnection) throws -> Scorecard? {
        let header = try db.statement("SELECT name, total_is_weighted_sum FROM scorecards WHERE scorecard_id = ? AND version = ?")
        try header.bind([.text(id), .integer(Int64(version))])
        guard try header.step() else {
            try header.reset()
            return nil
        }
        let name = header.text(at: 0)
        let weighted = header.int(at: 1) == 1
        try header.reset()
        let criteria = try db.query(
            "SELECT criterion_id, name, max_score, weight, critical FROM scorecard_criteria WHERE scorecard_id = ? AND version = ? ORDER BY position",
            [.text(id), .integer(Int64(version))]
        ) { row in
            Scorecard.Criterion(criterionID: row.text(at: 0), name: row.text(at: 1), maxScore: row.double(at: 2), weight: row.double(at: 3), critical: row.int(at: 4) == 1)
        }
        return Scorecard(scorecardID: id, version: version, name: name, criteria: criteria, totalIsWeightedSum: weighted)
    }

    func putMetrics(_ metrics: [MetricDefinition], _ db: SQLiteConnection) throws -> [RecordOutcome] {
        try metrics.map { metric in
            let violations = metric.violations
            guard violations.isEmpty, let direction = metric.direction, let aggregation = metric.aggregation else {
                return .rejected(violations)
            }
            let stored = try self.metric(metric.metricID, db)
            if stored == metric { return .duplicate }
            try db.run("INSERT OR REPLACE INTO metrics (metric_id, name, unit, direction, aggregation) VALUES (?, ?, ?, ?, ?)",
                       [.text(metric.metricID), .text(metric.name), .text(metric.unit), .integer(Int64(direction.rawValue)), .integer(Int64(aggregation.rawValue))])
            return stored == nil ? .accepted : .replaced
        }
    }

    func metric(_ id: String, _ db: SQLiteConnection) throws -> MetricDefinition? {
        try db.query("SELECT metric_id, name, unit, direction, aggregation FROM metrics WHERE metric_id = ?", [.text(id)]) { row in
            MetricDefinition(metricID: row.text(at: 0), name: row.text(at: 1), unit: row.text(at: 2),
                             direction: MetricDirection(rawValue: row.int(at: 3)), aggregation: MetricAggregation(rawValue: row.int(at: 4)))
        }.first
    }

    // MARK: Evaluations

    /// Judges every record of a batch against the rules, off the writer thread, with the
    /// reference data in memory. Valid records come back prepared for storing.
    func prepare(_ evaluations: [Evaluation], reference: ReferenceData.Snapshot, now: Int64) throws -> [Result<PreparedEvaluation, IntakeError>] {
        guard let timeZone = reference.timeZone else {
            throw IntakeError.precondition("calendar", "no calendar is imported; import the center's calendar (PutCalendar) first")
        }
        return evaluations.map { evaluation in
            let scorecard = evaluation.scorecardID.isEmpty
                ? nil : reference.scorecards[ReferenceData.ScorecardKey(id: evaluation.scorecardID, version: evaluation.scorecardVersion)]
            let violations = rules.violations(
                of: evaluation, agentKnown: reference.agents.contains(evaluation.agentID), scorecard: scorecard, now: now)
            guard violations.isEmpty else { return .failure(.invalid(violations)) }
            return .success(PreparedEvaluation(
                evaluation: evaluation, digest: evaluation.contentDigest, items: ItemsBlob.encode(evaluation.items),
                day: CenterCalendar.localDate(unixMilliseconds: evaluation.callStartedAt, in: timeZone), timeZone: timeZone.identifier))
        }
    }

    /// Stores prepared records in the caller's transaction: each one decided against what is
    /// stored (duplicate, correction, stale), the monthly totals kept in step.
    func store(_ prepared: [Result<PreparedEvaluation, IntakeError>], now: Int64, _ db: SQLiteConnection) throws -> [RecordOutcome] {
        guard let zone = try timeZoneIdentifier(db) else {
            throw IntakeError.precondition("calendar", "no calendar is imported; import the center's calendar (PutCalendar) first")
        }
        // Prepared under another time zone (a PutCalendar committed in between): place the calls again.
        let replacementZone = prepared.contains { (try? $0.get().timeZone).map { $0 != zone } ?? false } ? TimeZone(identifier: zone) : nil
        let latest = try db.statement(
            "SELECT revision, digest, counting, local_month, total FROM evaluations WHERE evaluation_id = ? ORDER BY revision DESC LIMIT 1")
        let retire = try db.statement("UPDATE evaluations SET counting = 0 WHERE evaluation_id = ? AND counting = 1")
        let insert = try db.statement("""
            INSERT INTO evaluations (evaluation_id, revision, agent_id, call_id, evaluator_id, call_started_ms, scored_ms,
                scorecard_id, scorecard_version, total, channel, items, digest, local_day, local_month, counting, received_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
            """)
        var totals = MonthTotals()
        var outcomes: [RecordOutcome] = []
        outcomes.reserveCapacity(prepared.count)
        for record in prepared {
            guard case .success(var ready) = record else {
                if case .failure(.invalid(let violations)) = record { outcomes.append(.rejected(violations)) }
                else { outcomes.append(.rejected([DomainViolation("evaluation", "could not be prepared")])) }
                continue
            }
            if ready.timeZone != zone, let replacementZone {
                ready.day = CenterCalendar.localDate(unixMilliseconds: ready.evaluation.callStartedAt, in: replacementZone)
            }
            let evaluation = ready.evaluation
            try latest.bind([.text(evaluation.evaluationID)])
            var stored: StoredRevision?
            var storedCounting: (month: Int, total: Double)?
            if try latest.step() {
                stored = StoredRevision(revision: latest.int(at: 0), contentDigest: latest.int64(at: 1))
                if latest.int(at: 2) == 1 { storedCounting = (latest.int(at: 3), latest.double(at: 4)) }
            }
            try latest.reset()
            let outcome = RevisionDecision.outcome(for: evaluation, digest: ready.digest, stored: stored)
            if outcome == .replaced, let storedCounting {
                try retire.run([.text(evaluation.evaluationID)])
                totals.remove(month: storedCounting.month, agent: evaluation.agentID, total: storedCounting.total)
            }
            if outcome == .accepted || outcome == .replaced {
                let month = ready.day.yearMonth.index
                try insert.bind(.text(evaluation.evaluationID), at: 1)
                try insert.bind(evaluation.revision, at: 2)
                try insert.bind(evaluation.agentID, at: 3)
                try insert.bind(evaluation.callID, at: 4)
                try insert.bind(evaluation.evaluatorID, at: 5)
                try insert.bind(evaluation.callStartedAt, at: 6)
                try insert.bind(evaluation.scoredAt, at: 7)
                try insert.bind(evaluation.scorecardID, at: 8)
                try insert.bind(evaluation.scorecardVersion, at: 9)
                try insert.bind(evaluation.totalScore, at: 10)
                try insert.bind(evaluation.channel?.rawValue ?? 0, at: 11)
                try insert.bind(ready.items, at: 12)
                try insert.bind(ready.digest, at: 13)
                try insert.bind(ready.day.dayNumber, at: 14)
                try insert.bind(month, at: 15)
                try insert.bind(now, at: 16)
                try insert.run()
                totals.add(month: month, agent: evaluation.agentID, total: evaluation.totalScore)
            }
            outcomes.append(outcome)
        }
        try totals.apply(db)
        return outcomes
    }

    /// Voids the counting revision of an evaluation (or reports it void already).
    func void(_ evaluationID: String, reason: Int, note: String, caller: String, now: Int64, _ db: SQLiteConnection) throws -> (alreadyVoid: Bool, revision: Int) {
        let rows = try db.query(
            "SELECT revision, counting, agent_id, local_month, total FROM evaluations WHERE evaluation_id = ? ORDER BY revision DESC LIMIT 1",
            [.text(evaluationID)]
        ) { ($0.int(at: 0), $0.int(at: 1) == 1, $0.text(at: 2), $0.int(at: 3), $0.double(at: 4)) }
        guard let (revision, counting, agent, month, total) = rows.first else {
            throw IntakeError.notFound("evaluation \(evaluationID) is not stored")
        }
        guard counting else { return (true, revision) }
        try db.run("UPDATE evaluations SET counting = 0 WHERE evaluation_id = ? AND revision = ?", [.text(evaluationID), .integer(Int64(revision))])
        var totals = MonthTotals()
        totals.remove(month: month, agent: agent, total: total)
        try totals.apply(db)
        try db.run("INSERT OR REPLACE INTO evaluation_voids (evaluation_id, revision, reason, note, caller, voided_ms) VALUES (?, ?, ?, ?, ?, ?)",
                   [.text(evaluationID), .integer(Int64(revision)), .integer(Int64(reason)), .text(note), .text(caller), .integer(now)])
        return (false, revision)
    }

    // MARK: KPIs

    func submitKpis(_ samples: [KpiSample], now: Int64, _ db: SQLiteConnection) throws -> [RecordOutcome] {
        var metrics: [String: MetricDefinition?] = [:]
        var agents: [String: Bool] = [:]
        let existing = try db.statement("SELECT value FROM kpi_samples WHERE agent_id = ? AND metric_id = ? AND start_day = ? AND end_day = ?")
        let upsert = try db.statement("INSERT OR REPLACE INTO kpi_samples (agent_id, metric_id, start_day, end_day, value, recorded_ms) VALUES (?, ?, ?, ?, ?, ?)")
        return try samples.map { sample in
            if metrics[sample.metricID] == nil { metrics[sample.metricID] = .some(try metric(sample.metricID, db)) }
            if agents[sample.agentID] == nil { agents[sample.agentID] = try agentExists(sample.agentID, db) }
            let violations = sample.violations(agentKnown: agents[sample.agentID] ?? false, metric: metrics[sample.metricID] ?? nil)
            guard violations.isEmpty, let start = LocalDate(sample.periodStart), let end = LocalDate(sample.periodEnd) else {
                return .rejected(violations)
            }
            let key: [SQLValue] = [.text(sample.agentID), .text(sample.metricID), .integer(Int64(start.dayNumber)), .integer(Int64(end.dayNumber))]
            try existing.bind(key)
            let stored: Double? = try existing.step() ? existing.double(at: 0) : nil
            try existing.reset()
            if stored == sample.value { return .duplicate }
            try upsert.run(key + [.real(sample.value), .integer(now)])
            return stored == nil ? .accepted : .replaced
        }
    }

    // MARK: Scores

    /// Per-agent statistics of the counting evaluations of a month, from the running totals
    /// (a month close reads 10,000 rows, not a million).
    func monthStatistics(_ month: YearMonth, _ db: SQLiteConnection) throws -> [String: ScoreStatistics] {
        var result: [String: ScoreStatistics] = [:]
        let rows = try db.query(
            "SELECT agent_id, count, total_sum, total_sum_of_squares FROM agent_month_totals WHERE month = ? AND count > 0",
            [.integer(Int64(month.index))]
        ) { ($0.text(at: 0), ScoreStatistics(count: $0.int(at: 1), sum: $0.double(at: 2), sumOfSquares: $0.double(at: 3))) }
        for (agent, statistics) in rows { result[agent] = statistics }
        return result
    }

    struct CountingEvaluation: Sendable {
        var evaluationID: String
        var revision: Int
        var agentID: String
        var callStartedAt: Int64
        var total: Double
        var channel: Int
        var items: [ItemScore]
        var day: LocalDate
    }

    /// Counting evaluations whose local day lies in [from, to], optionally of one agent.
    func countingEvaluations(from: LocalDate, to: LocalDate, agentID: String?, _ db: SQLiteConnection) throws -> [CountingEvaluation] {
        let months = (from.yearMonth.index...to.yearMonth.index).map { String($0) }.joined(separator: ",")
        var sql = """
            SELECT evaluation_id, revision, agent_id, call_started_ms, total, channel, items, local_day FROM evaluations
            WHERE counting = 1 AND local_month IN (\(months)) AND local_day BETWEEN ? AND ?
            """
        var values: [SQLValue] = [.integer(Int64(from.dayNumber)), .integer(Int64(to.dayNumber))]
        if let agentID {
            sql += " AND agent_id = ?"
            values.append(.text(agentID))
        }
        sql += " ORDER BY call_started_ms, evaluation_id"
        return try db.query(sql, values) { row in
            CountingEvaluation(
                evaluationID: row.text(at: 0), revision: row.int(at: 1), agentID: row.text(at: 2), callStartedAt: row.int64(at: 3),
                total: row.double(at: 4), channel: row.int(at: 5), items: ItemsBlob.decode(row.blob(at: 6)), day: LocalDate(dayNumber: row.int(at: 7)))
        }
    }

    // MARK: Tier policy

    func currentPolicy(_ db: SQLiteConnection) throws -> TierPolicy {
        guard let policy = try db.query(
            "SELECT version, advanced, coaching, minimum, decimals, set_by, set_ms FROM tier_policies ORDER BY version DESC LIMIT 1", [],
            row: { TierPolicy(version: $0.int(at: 0), advancedThreshold: $0.double(at: 1), coachingThreshold: $0.double(at: 2),
                              minimumEvaluations: $0.int(at: 3), roundingDecimals: $0.int(at: 4), setBy: $0.text(at: 5), setAtUnixMilliseconds: $0.int64(at: 6)) }
        ).first else { return .defaults }
        return policy
    }

    func setPolicy(_ policy: TierPolicy, _ db: SQLiteConnection) throws -> TierPolicy {
        var stored = policy
        stored.version = try currentPolicy(db).version + 1
        try db.run("INSERT INTO tier_policies (version, advanced, coaching, minimum, decimals, set_by, set_ms) VALUES (?, ?, ?, ?, ?, ?, ?)", [
            .integer(Int64(stored.version)), .real(stored.advancedThreshold), .real(stored.coachingThreshold),
            .integer(Int64(stored.minimumEvaluations)), .integer(Int64(stored.roundingDecimals)), .text(stored.setBy),
            .integer(stored.setAtUnixMilliseconds),
        ])
        return stored
    }

    // MARK: Month close

    struct ClosedMonth: Sendable {
        var month: YearMonth
        var revision: Int
        var policyVersion: Int
        var closedAt: Int64
        var assignments: [TierAssignment]
    }

    /// What a close of `month` would assign at `now`: the center's calendar, the current
    /// policy, the month's counting evaluations and each agent's roster standing on the
    /// month's last day. Both `closeMonth` (which stores it) and the month-to-date read
    /// (which does not) compute tiers here and nowhere else.
    struct ComputedTiers: Sendable {
        /// Today on the center's calendar, at `now`.
        var today: LocalDate
        var policy: TierPolicy
        /// Sorted by agent id.
        var assignments: [TierAssignment]
    }

    /// - Parameters:
    ///   - mustHaveEnded: true for a close that is not forced: a month not yet over on the
    ///     center's calendar is FAILED_PRECONDITION (subject "month").
    ///   - previous: the tiers of the month's latest stored revision, to mark changes (empty: none).
    func computeTiers(
        _ month: YearMonth, now: Int64, mustHaveEnded: Bool, previous: [String: Tier], _ db: SQLiteConnection
    ) throws -> ComputedTiers {
        let calendar = try requireCalendar(db)
        let today = calendar.localDate(unixMilliseconds: now)
        if mustHaveEnded && !MonthClose.hasEnded(month, today: today) {
            throw IntakeError.precondition("month", "\(month) has not ended (today is \(today) in \(calendar.timeZoneIdentifier)); pass force to close it early")
        }
        let policy = try currentPolicy(db)
        let statistics = try monthStatistics(month, db)
        let agents = try allHistories(db).compactMap { _, history -> AgentMonth? in
            guard let entry = RosterDecision.standing(on: month.lastDay, in: history) else { return nil }
            return AgentMonth(entry: entry, statistics: statistics[entry.agentID] ?? ScoreStatistics())
        }
        do throws(CenterCalendar.Problem) {
            let assignments = try MonthClose.assignments(month: month, agents: agents, policy: policy, calendar: calendar, previous: previous)
            return ComputedTiers(today: today, policy: policy, assignments: assignments)
        } catch let problem {
            throw Self.calendarProblem(problem)
        }
    }

    func closeMonth(_ month: YearMonth, force: Bool, now: Int64, caller: String, _ db: SQLiteConnection) throws -> ClosedMonth {
        let previousRevision = try db.query("SELECT MAX(revision) FROM month_closes WHERE month = ?", [.integer(Int64(month.index))]) {
            $0.isNull(at: 0) ? 0 : $0.int(at: 0)
        }.first ?? 0
        var previous: [String: Tier] = [:]
        if previousRevision > 0 {
            for (agent, tier) in try db.query(
                "SELECT agent_id, tier FROM tier_assignments WHERE month = ? AND revision = ?",
                [.integer(Int64(month.index)), .integer(Int64(previousRevision))], row: { ($0.text(at: 0), $0.int(at: 1)) })
            {
                previous[agent] = Tier(rawValue: tier)
            }
        }
        let computed = try computeTiers(month, now: now, mustHaveEnded: !force, previous: previous, db)
        let policy = computed.policy
        let assignments = computed.assignments
        let revision = previousRevision + 1
        try db.run("INSERT INTO month_closes (month, revision, policy_version, closed_ms, caller) VALUES (?, ?, ?, ?, ?)",
                   [.integer(Int64(month.index)), .integer(Int64(revision)), .integer(Int64(policy.version)), .integer(now), .text(caller)])
        let insert = try db.statement("""
            INSERT INTO tier_assignments (month, revision, agent_id, name, team_id, team_leader_id, department, site, tier, average,
                count, standard_error, borderline, due_day, previous_tier)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for assignment in assignments {
            try insert.run([
                .integer(Int64(month.index)), .integer(Int64(revision)), .text(assignment.agentID), .text(assignment.name),
                .text(assignment.teamID), .text(assignment.teamLeaderID), .text(assignment.department), .text(assignment.site),
                .integer(Int64(assignment.tier.rawValue)), .real(assignment.average), .integer(Int64(assignment.count)),
                .real(assignment.standardError), .integer(assignment.borderline ? 1 : 0),
                assignment.problemSummaryDue.map { .integer(Int64($0.dayNumber)) } ?? .null,
                assignment.previousTier.map { .integer(Int64($0.rawValue)) } ?? .null,
            ])
        }
        return ClosedMonth(month: month, revision: revision, policyVersion: policy.version, closedAt: now, assignments: assignments)
    }

    static func calendarProblem(_ problem: CenterCalendar.Problem) -> IntakeError {
        switch problem {
        case .yearNotImported(let year):
            .precondition("calendar", "the calendar of \(year) is not imported; import it (PutCalendar) first")
        case .unknownTimeZone(let zone):
            .precondition("calendar", "the time zone \(zone) is not known to this system")
        }
    }

    /// A stored revision of a month close; revision 0 means the latest.
    func closedMonth(_ month: YearMonth, revision: Int, _ db: SQLiteConnection) throws -> ClosedMonth {
        let header = try db.query(
            revision == 0
                ? "SELECT revision, policy_version, closed_ms FROM month_closes WHERE month = ? ORDER BY revision DESC LIMIT 1"
                : "SELECT revision, policy_version, closed_ms FROM month_closes WHERE month = ? AND revision = ?",
            revision == 0 ? [.integer(Int64(month.index))] : [.integer(Int64(month.index)), .integer(Int64(revision))]
        ) { ($0.int(at: 0), $0.int(at: 1), $0.int64(at: 2)) }
        guard let (found, policyVersion, closedAt) = header.first else {
            throw IntakeError.notFound(revision == 0 ? "month \(month) was never closed" : "month \(month) has no revision \(revision)")
        }
        let assignments = try db.query("""
            SELECT agent_id, name, team_id, team_leader_id, department, site, tier, average, count, standard_error, borderline, due_day, previous_tier
            FROM tier_assignments WHERE month = ? AND revision = ? ORDER BY agent_id
            """, [.integer(Int64(month.index)), .integer(Int64(found))]
        ) { row in
            TierAssignment(
                agentID: row.text(at: 0), name: row.text(at: 1), teamID: row.text(at: 2), teamLeaderID: row.text(at: 3),
                department: row.text(at: 4), site: row.text(at: 5), tier: Tier(rawValue: row.int(at: 6)) ?? .insufficientData,
                average: row.double(at: 7), count: row.int(at: 8), standardError: row.double(at: 9), borderline: row.int(at: 10) == 1,
                problemSummaryDue: row.isNull(at: 11) ? nil : LocalDate(dayNumber: row.int(at: 11)),
                previousTier: row.isNull(at: 12) ? nil : Tier(rawValue: row.int(at: 12)))
        }
        return ClosedMonth(month: month, revision: found, policyVersion: policyVersion, closedAt: closedAt, assignments: assignments)
    }

    // MARK: Watch list

    struct Summary: Sendable {
        var authorID: String
        var text: String
        var firstSubmittedAt: Int64
    }

    func summaries(week: ISOWeek, _ db: SQLiteConnection) throws -> [String: Summary] {
        var result: [String: Summary] = [:]
        for (agent, summary) in try db.query(
            "SELECT agent_id, author_id, text, first_submitted_ms FROM watch_summaries WHERE week_monday = ?", [.integer(Int64(week.monday.dayNumber))],
            row: { ($0.text(at: 0), Summary(authorID: $0.text(at: 1), text: $0.text(at: 2), firstSubmittedAt: $0.int64(at: 3))) })
        {
            result[agent] = summary
        }
        return result
    }

    /// Records a summary; a second one for the same week and agent replaces the text and keeps the first time.
    func submitSummary(week: ISOWeek, agentID: String, authorID: String, text: String, now: Int64, _ db: SQLiteConnection) throws -> Int64 {
        try db.run("""
            INSERT INTO watch_summaries (week_monday, agent_id, author_id, text, first_submitted_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (week_monday, agent_id) DO UPDATE SET author_id = excluded.author_id, text = excluded.text, updated_ms = excluded.updated_ms
            """, [.integer(Int64(week.monday.dayNumber)), .text(agentID), .text(authorID), .text(text), .integer(now), .integer(now)])
        return try db.query("SELECT first_submitted_ms FROM watch_summaries WHERE week_monday = ? AND agent_id = ?",
                            [.integer(Int64(week.monday.dayNumber)), .text(agentID)]) { $0.int64(at: 0) }.first ?? now
    }
}

/// Changes to the per-agent monthly totals made by one unit of work, applied as one upsert
/// per agent and month rather than one per evaluation.
struct MonthTotals {
    private struct Key: Hashable {
        var month: Int
        var agent: String
    }

    private var deltas: [Key: ScoreStatistics.Delta] = [:]

    mutating func add(month: Int, agent: String, total: Double) {
        deltas[Key(month: month, agent: agent), default: .init()].add(total)
    }

    mutating func remove(month: Int, agent: String, total: Double) {
        deltas[Key(month: month, agent: agent), default: .init()].remove(total)
    }

    func apply(_ db: SQLiteConnection) throws {
        guard !deltas.isEmpty else { return }
        let upsert = try db.statement("""
            INSERT INTO agent_month_totals (month, agent_id, count, total_sum, total_sum_of_squares) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (month, agent_id) DO UPDATE SET count = count + excluded.count, total_sum = total_sum + excluded.total_sum,
                total_sum_of_squares = total_sum_of_squares + excluded.total_sum_of_squares
            """)
        for (key, delta) in deltas {
            try upsert.run([.integer(Int64(key.month)), .text(key.agent), .integer(Int64(delta.count)), .real(delta.sum), .real(delta.sumOfSquares)])
        }
    }
}
