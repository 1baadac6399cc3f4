import CalendarDates
import Foundation
import RPCRuntime
import SQLiteStorage
import ServiceKit
import TrainingWire

/// The ScoringIntake methods: each checks its request, runs one unit of work on the
/// database (mutations in the writer's group commit, queries on a reader) and maps the
/// result to the wire. Errors are typed (`IntakeError`, storage errors) and become
/// statuses in one place.
struct IntakeHandlers: Sendable {
    let database: SQLiteDatabase
    let clock: ServiceClock
    let repository = IntakeRepository()
    let reference = ReferenceData()
    let outbox: EventOutbox

    private init(database: SQLiteDatabase, clock: ServiceClock, outbox: EventOutbox) {
        self.database = database
        self.clock = clock
        self.outbox = outbox
    }

    /// The handlers with their reference data loaded; called once before the socket opens.
    static func load(database: SQLiteDatabase, clock: ServiceClock, outbox: EventOutbox) async throws -> IntakeHandlers {
        let handlers = IntakeHandlers(database: database, clock: clock, outbox: outbox)
        let reference = handlers.reference
        let repository = handlers.repository
        try await database.read(deadline: nil) { db in try reference.load(db, repository: repository) }
        return handlers
    }

    var now: Int64 { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }

    func register(in router: inout RPCRouter) {
        router.registerAsync(ScoringIntakeMethods.upsertRoster, handler: upsertRoster)
        router.registerAsync(ScoringIntakeMethods.getAgent, handler: getAgent)
        router.registerAsync(ScoringIntakeMethods.putScorecard, handler: putScorecard)
        router.registerAsync(ScoringIntakeMethods.putMetricDefinitions, handler: putMetricDefinitions)
        router.registerAsync(ScoringIntakeMethods.putCalendar, handler: putCalendar)
        router.registerAsync(ScoringIntakeMethods.getCalendar, handler: getCalendar)
        router.registerAsync(ScoringIntakeMethods.submitEvaluations, handler: submitEvaluations)
        router.registerAsync(ScoringIntakeMethods.voidEvaluation, handler: voidEvaluation)
        router.registerAsync(ScoringIntakeMethods.submitKpiSamples, handler: submitKpiSamples)
        router.registerAsync(ScoringIntakeMethods.getAgentScores, handler: getAgentScores)
        router.registerAsync(ScoringIntakeMethods.getMonthlyAverages, handler: getMonthlyAverages)
        router.registerAsync(ScoringIntakeMethods.getTierPolicy, handler: getTierPolicy)
        router.registerAsync(ScoringIntakeMethods.setTierPolicy, handler: setTierPolicy)
        router.registerAsync(ScoringIntakeMethods.closeMonth, handler: closeMonth)
        router.registerAsync(ScoringIntakeMethods.listTierAssignments, handler: listTierAssignments)
        router.registerAsync(ScoringIntakeMethods.getMonthToDateTiers, handler: getMonthToDateTiers)
        router.registerAsync(ScoringIntakeMethods.getWeeklyWatchList, handler: getWeeklyWatchList)
        router.registerAsync(ScoringIntakeMethods.submitWatchListSummary, handler: submitWatchListSummary)
    }

    // MARK: Roster

    func upsertRoster(_ request: UpsertRosterRequest, _ context: CallContext) async throws -> BatchResponse {
        try BatchResults.checkSize(request.agents.count, field: "agents")
        let submissions = request.agents.map(RosterSubmission.init(wire:))
        let now = self.now
        let response = try await database.idempotentWrite(context, now: now) { db in
            // Today in the center's time zone (UTC until a calendar is imported).
            let zone = try repository.timeZoneIdentifier(db).flatMap { TimeZone(identifier: $0) }
            let today = zone.map { CenterCalendar.localDate(unixMilliseconds: now, in: $0) } ?? CenterCalendar.utcDate(unixMilliseconds: now)
            let results = try repository.upsertRoster(submissions, today: today, now: now, db)
            for entry in results.compactMap(\.stored) {
                try outbox.append(RosterChanged(entry: entry.wire), subject: entry.agentID, occurredAt: now, db)
            }
            return BatchResults.response(results.map(\.outcome), ids: submissions.map(\.agentID))
        }
        reference.addAgents(response.results.filter { $0.outcome == .accepted || $0.outcome == .replaced }.map(\.id))
        return response
    }

    func getAgent(_ request: GetAgentRequest, _ context: CallContext) async throws -> GetAgentResponse {
        guard !request.agentId.isEmpty else { throw IntakeError.invalid("agent_id", "is required") }
        var asOf: LocalDate?
        if !request.asOf.isEmpty {
            guard let date = LocalDate(request.asOf) else { throw IntakeError.invalid("as_of", "must be a date YYYY-MM-DD or empty") }
            asOf = date
        }
        let history = try await database.read(context) { db in try repository.history(of: request.agentId, db) }
        guard let newest = history.last else { throw IntakeError.notFound("agent \(request.agentId) is not on the roster") }
        let version = asOf.map { RosterDecision.standing(on: $0, in: history) } ?? newest
        guard let version else { throw IntakeError.notFound("agent \(request.agentId) was not hired by \(request.asOf)") }
        return GetAgentResponse(agent: version.wire, history: history.map(\.wire))
    }

    // MARK: Reference data

    func putScorecard(_ request: PutScorecardRequest, _ context: CallContext) async throws -> PutScorecardResponse {
        guard let wire = request.scorecard else { throw IntakeError.invalid("scorecard", "is required") }
        let scorecard = Scorecard(wire: wire)
        let violations = scorecard.violations
        guard violations.isEmpty else { throw IntakeError.invalid(violations).under("scorecard") }
        let response = try await database.idempotentWrite(context, now: now) { db in
            PutScorecardResponse(created: try repository.putScorecard(scorecard, db))
        }
        reference.addScorecard(scorecard)
        return response
    }

    func putMetricDefinitions(_ request: PutMetricDefinitionsRequest, _ context: CallContext) async throws -> BatchResponse {
        try BatchResults.checkSize(request.metrics.count, field: "metrics", limit: 1000)
        let metrics = request.metrics.map(MetricDefinition.init(wire:))
        return try await database.idempotentWrite(context, now: now) { db in
            BatchResults.response(try repository.putMetrics(metrics, db), ids: metrics.map(\.metricID))
        }
    }

    func putCalendar(_ request: PutCalendarRequest, _ context: CallContext) async throws -> PutCalendarResponse {
        var violations: [DomainViolation] = []
        if !CenterCalendar.isKnownTimeZone(request.timeZone) {
            violations.append(DomainViolation("time_zone", "\"\(request.timeZone)\" is not an IANA time zone such as Asia/Shanghai"))
        }
        let year = Int(request.year)
        if !(1900...2200).contains(year) { violations.append(DomainViolation("year", "must be from 1900 to 2200")) }
        var days: [(LocalDate, DayKind, String)] = []
        var seen: Set<LocalDate> = []
        for (index, day) in request.days.enumerated() {
            let path = "days[\(index)]"
            guard let date = LocalDate(day.date) else {
                violations.append(DomainViolation("\(path).date", "must be a date YYYY-MM-DD"))
                continue
            }
            if date.year != year { violations.append(DomainViolation("\(path).date", "is not in \(year)")) }
            if !seen.insert(date).inserted { violations.append(DomainViolation("\(path).date", "\(date) is listed twice")) }
            violations += FieldRules.optionalText(day.name, "\(path).name", maximum: 200)
            guard let kind = DayKind(wire: day.kind) else {
                violations.append(DomainViolation("\(path).kind", "must be working_day, rest_day, holiday or makeup_working_day"))
                continue
            }
            days.append((date, kind, day.name))
        }
        guard violations.isEmpty else { throw IntakeError.invalid(violations) }
        let accepted = days
        let response = try await database.idempotentWrite(context, now: now) { db in
            PutCalendarResponse(workingDays: UInt32(try repository.putCalendar(timeZone: request.timeZone, year: year, days: accepted, now: now, db)))
        }
        reference.setTimeZone(request.timeZone)
        return response
    }

    func getCalendar(_ request: GetCalendarRequest, _ context: CallContext) async throws -> GetCalendarResponse {
        let (from, to) = try Self.dateRange(request.fromDate, request.toDate, limit: 400)
        return try await database.read(context) { db in
            let calendar = try repository.requireCalendar(db)
            let names = Dictionary(
                try db.query("SELECT day, name FROM calendar_days WHERE day BETWEEN ? AND ?",
                             [.integer(Int64(from.dayNumber)), .integer(Int64(to.dayNumber))], row: { ($0.int(at: 0), $0.text(at: 1)) }),
                uniquingKeysWith: { first, _ in first })
            var days: [CalendarDay] = []
            for number in from.dayNumber...to.dayNumber {
                let date = LocalDate(dayNumber: number)
                do throws(CenterCalendar.Problem) {
                    days.append(CalendarDay(date: date.description, kind: try calendar.kind(of: date).wire, name: names[number] ?? ""))
                } catch {
                    throw IntakeRepository.calendarProblem(error)
                }
            }
            return GetCalendarResponse(timeZone: calendar.timeZoneIdentifier, days: days)
        }
    }

    // MARK: Evaluations and KPIs

    func submitEvaluations(_ request: SubmitEvaluationsRequest, _ context: CallContext) async throws -> BatchResponse {
        try BatchResults.checkSize(request.evaluations.count, field: "evaluations")
        let evaluations = request.evaluations.map(Evaluation.init(wire:))
        let now = self.now
        // The rules run here, in parallel with other calls; the writer only stores.
        let prepared = try repository.prepare(evaluations, reference: reference.snapshot, now: now)
        return try await database.idempotentWrite(context, now: now) { db in
            BatchResults.response(try repository.store(prepared, now: now, db), ids: evaluations.map(\.evaluationID))
        }
    }

    func voidEvaluation(_ request: VoidEvaluationRequest, _ context: CallContext) async throws -> VoidEvaluationResponse {
        var violations = FieldRules.identifier(request.evaluationId, "evaluation_id")
        if request.reason == .unspecified { violations.append(DomainViolation("reason", "must be dispute_upheld, calibration or wrong_agent")) }
        violations += FieldRules.optionalText(request.note, "note", maximum: 2000)
        guard violations.isEmpty else { throw IntakeError.invalid(violations) }
        let now = self.now
        let caller = context.caller
        return try await database.idempotentWrite(context, now: now) { db in
            let result = try repository.void(request.evaluationId, reason: Int(request.reason.rawValue), note: request.note, caller: caller, now: now, db)
            return VoidEvaluationResponse(alreadyVoid: result.alreadyVoid, revision: UInt32(result.revision))
        }
    }

    func submitKpiSamples(_ request: SubmitKpiSamplesRequest, _ context: CallContext) async throws -> BatchResponse {
        try BatchResults.checkSize(request.samples.count, field: "samples")
        let samples = request.samples.map(KpiSample.init(wire:))
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            BatchResults.response(try repository.submitKpis(samples, now: now, db), ids: samples.map(\.agentID))
        }
    }

    // MARK: Scores

    func getAgentScores(_ request: GetAgentScoresRequest, _ context: CallContext) async throws -> GetAgentScoresResponse {
        guard !request.agentId.isEmpty else { throw IntakeError.invalid("agent_id", "is required") }
        let (from, to) = try Self.dateRange(request.fromDate, request.toDate, limit: 3660)
        return try await database.read(context) { db in
            guard try repository.agentExists(request.agentId, db) else {
                throw IntakeError.notFound("agent \(request.agentId) is not on the roster")
            }
            let evaluations = try repository.countingEvaluations(from: from, to: to, agentID: request.agentId, db)
            var statistics = ScoreStatistics()
            for evaluation in evaluations { statistics.add(evaluation.total) }
            let criteria = WatchList.weakestCriteria(evaluations.map(\.items), limit: Int.max).sorted { $0.criterionID < $1.criterionID }
            return GetAgentScoresResponse(
                agentId: request.agentId, count: UInt32(statistics.count), average: statistics.displayMean,
                standardError: statistics.standardError,
                criteria: criteria.map { CriterionAverage(criterionId: $0.criterionID, name: $0.name, average: $0.average, count: UInt32($0.count)) },
                evaluations: evaluations.map {
                    EvaluationSummary(evaluationId: $0.evaluationID, revision: UInt32($0.revision), callStartedAtUnixMs: $0.callStartedAt,
                                      totalScore: $0.total, channel: TrainingWire.ContactChannel(rawValue: Int32($0.channel)) ?? .unspecified)
                })
        }
    }

    func getMonthlyAverages(_ request: GetMonthlyAveragesRequest, _ context: CallContext) async throws -> GetMonthlyAveragesResponse {
        guard let month = YearMonth(request.month) else { throw IntakeError.invalid("month", "must be a month YYYY-MM") }
        let groupBy = request.groupBy
        return try await database.read(context) { db in
            let histories = try repository.allHistories(db)
            func group(_ agent: String, in month: YearMonth) -> String {
                guard let history = histories[agent], let entry = RosterDecision.standing(on: month.lastDay, in: history) else { return "unknown" }
                switch groupBy {
                case .team: return entry.teamID
                case .department: return entry.department
                case .site: return entry.site
                case .unspecified: return "center"
                }
            }
            func grouped(_ month: YearMonth) throws -> [String: (agents: Int, statistics: ScoreStatistics)] {
                var groups: [String: (agents: Int, statistics: ScoreStatistics)] = [:]
                for (agent, statistics) in try repository.monthStatistics(month, db) {
                    let key = group(agent, in: month)
                    var entry = groups[key] ?? (0, ScoreStatistics())
                    entry.agents += 1
                    entry.statistics.merge(statistics)
                    groups[key] = entry
                }
                return groups
            }
            let current = try grouped(month)
            let previous = try grouped(month.previous)
            let groups = current.keys.sorted().compactMap { key -> GroupAverage? in
                guard let entry = current[key] else { return nil }
                let before = previous[key]
                return GroupAverage(
                    group: key, agents: UInt32(entry.agents), count: UInt32(entry.statistics.count), average: entry.statistics.displayMean,
                    standardError: entry.statistics.standardError, hasPrevious: before != nil,
                    previousAverage: before?.statistics.displayMean ?? 0,
                    change: before.map { entry.statistics.displayMean - $0.statistics.displayMean } ?? 0)
            }
            return GetMonthlyAveragesResponse(month: month.description, groupBy: groupBy, groups: groups)
        }
    }

    // MARK: Tiers

    func getTierPolicy(_ request: GetTierPolicyRequest, _ context: CallContext) async throws -> TrainingWire.TierPolicy {
        try await database.read(context) { db in try repository.currentPolicy(db).wire }
    }

    func setTierPolicy(_ request: SetTierPolicyRequest, _ context: CallContext) async throws -> TrainingWire.TierPolicy {
        let now = self.now
        let policy = TierPolicy(
            version: 0, advancedThreshold: request.advancedThreshold, coachingThreshold: request.coachingThreshold,
            minimumEvaluations: Int(request.minimumEvaluations), roundingDecimals: Int(request.roundingDecimals),
            setBy: context.caller.isEmpty ? "uid \(context.peer.map { String($0.uid) } ?? "?")" : context.caller, setAtUnixMilliseconds: now)
        let violations = policy.violations
        guard violations.isEmpty else { throw IntakeError.invalid(violations) }
        return try await database.idempotentWrite(context, now: now) { db in try repository.setPolicy(policy, db).wire }
    }

    func closeMonth(_ request: CloseMonthRequest, _ context: CallContext) async throws -> CloseMonthResponse {
        guard let month = YearMonth(request.month) else { throw IntakeError.invalid("month", "must be a month YYYY-MM") }
        let now = self.now
        let caller = context.caller
        return try await database.idempotentWrite(context, now: now) { db in
            let closed = try repository.closeMonth(month, force: request.force, now: now, caller: caller, db)
            try outbox.append(
                MonthClosed(
                    month: month.description, appliesToMonth: month.next.description, revision: UInt32(closed.revision),
                    policyVersion: UInt32(closed.policyVersion), assignments: closed.assignments.map(\.wire)),
                subject: "month:\(month)", occurredAt: now, db)
            let counts = Tier.allCases.map { tier in
                TierCount(tier: tier.wire, agents: UInt32(closed.assignments.filter { $0.tier == tier }.count))
            }
            return CloseMonthResponse(
                month: month.description, appliesToMonth: month.next.description, revision: UInt32(closed.revision),
                policyVersion: UInt32(closed.policyVersion), closedAtUnixMs: closed.closedAt, counts: counts,
                changed: closed.revision > 1 ? closed.assignments.filter { $0.previousTier != $0.tier }.map(\.wire) : [],
                assigned: UInt32(closed.assignments.count))
        }
    }

    func listTierAssignments(_ request: ListTierAssignmentsRequest, _ context: CallContext) async throws -> ListTierAssignmentsResponse {
        guard let month = YearMonth(request.month) else { throw IntakeError.invalid("month", "must be a month YYYY-MM") }
        let tierFilter = Tier(wire: request.tier)
        let closed = try await database.read(context) { db in try repository.closedMonth(month, revision: Int(request.revision), db) }
        let assignments = closed.assignments.filter { assignment in
            (request.teamId.isEmpty || assignment.teamID == request.teamId)
                && (request.department.isEmpty || assignment.department == request.department)
                && (tierFilter == nil || assignment.tier == tierFilter)
        }
        return ListTierAssignmentsResponse(
            month: month.description, appliesToMonth: month.next.description, revision: UInt32(closed.revision),
            policyVersion: UInt32(closed.policyVersion), closedAtUnixMs: closed.closedAt, assignments: assignments.map(\.wire))
    }

    /// The tiers a close of the month would assign now, computed as `CloseMonth` computes
    /// them (the same repository function) and stored nowhere: a read on a reader.
    func getMonthToDateTiers(_ request: GetMonthToDateTiersRequest, _ context: CallContext) async throws -> GetMonthToDateTiersResponse {
        guard let month = YearMonth(request.month) else { throw IntakeError.invalid("month", "must be a month YYYY-MM") }
        let now = self.now
        let computed = try await database.read(context) { db in
            try repository.computeTiers(month, now: now, mustHaveEnded: false, previous: [:], db)
        }
        return GetMonthToDateTiersResponse(
            month: month.description, appliesToMonth: month.next.description, policyVersion: UInt32(computed.policy.version),
            asOf: computed.today.description, assignments: computed.assignments.map(\.wire))
    }

    // MARK: Weekly watch list

    func getWeeklyWatchList(_ request: GetWeeklyWatchListRequest, _ context: CallContext) async throws -> GetWeeklyWatchListResponse {
        guard let week = ISOWeek(request.week) else { throw IntakeError.invalid("week", "must be an ISO week YYYY-Www") }
        let teamFilter = request.teamId
        return try await database.read(context) { db in
            let calendar = try repository.requireCalendar(db)
            let watched = try watchList(week: week, agentID: nil, calendar: calendar, db)
            let summaries = try repository.summaries(week: week, db)
            var teams: [String: WatchListTeam] = [:]
            for entry in watched where teamFilter.isEmpty || entry.roster.teamID == teamFilter {
                let summary = summaries[entry.roster.agentID]
                let state = WatchList.summaryState(
                    submittedOn: summary.map { calendar.localDate(unixMilliseconds: $0.firstSubmittedAt) }, due: entry.due)
                var team = teams[entry.roster.teamID]
                    ?? WatchListTeam(teamId: entry.roster.teamID, teamLeaderId: entry.roster.teamLeaderID, summaryDueDate: entry.due.description)
                team.agents.append(WatchListAgent(
                    agentId: entry.roster.agentID, name: entry.roster.name, average: entry.statistics.displayMean,
                    count: UInt32(entry.statistics.count), standardError: entry.statistics.standardError, borderline: entry.borderline,
                    weakestCriteria: entry.weakest.map {
                        CriterionAverage(criterionId: $0.criterionID, name: $0.name, average: $0.average, count: UInt32($0.count))
                    },
                    summaryState: state.wire, summaryAuthorId: summary?.authorID ?? "",
                    summarySubmittedAtUnixMs: summary?.firstSubmittedAt ?? 0, summaryText: summary?.text ?? ""))
                teams[entry.roster.teamID] = team
            }
            return GetWeeklyWatchListResponse(
                week: week.description, weekStart: week.monday.description, weekEnd: week.sunday.description,
                teams: teams.keys.sorted().compactMap { teams[$0] })
        }
    }

    func submitWatchListSummary(_ request: SubmitWatchListSummaryRequest, _ context: CallContext) async throws -> SubmitWatchListSummaryResponse {
        var violations: [DomainViolation] = []
        let week = ISOWeek(request.week)
        if week == nil { violations.append(DomainViolation("week", "must be an ISO week YYYY-Www")) }
        violations += FieldRules.identifier(request.agentId, "agent_id", maximum: 64)
        violations += FieldRules.identifier(request.authorId, "author_id", maximum: 64)
        if request.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            violations.append(DomainViolation("text", "is required"))
        } else if request.text.count > 10_000 {
            violations.append(DomainViolation("text", "must be at most 10000 characters"))
        }
        guard violations.isEmpty, let week else { throw IntakeError.invalid(violations) }
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            let calendar = try repository.requireCalendar(db)
            guard let entry = try watchList(week: week, agentID: request.agentId, calendar: calendar, db).first else {
                throw IntakeError.precondition("agent_id", "\(request.agentId) is not on the watch list of \(week)")
            }
            let first = try repository.submitSummary(week: week, agentID: request.agentId, authorID: request.authorId, text: request.text, now: now, db)
            let state = WatchList.summaryState(submittedOn: calendar.localDate(unixMilliseconds: first), due: entry.due)
            return SubmitWatchListSummaryResponse(state: state.wire, dueDate: entry.due.description)
        }
    }

    struct WatchedAgent {
        var roster: RosterEntry
        var statistics: ScoreStatistics
        var borderline: Bool
        var weakest: [WatchList.CriterionStanding]
        var due: LocalDate
    }

    /// The agents of a week whose average was below the coaching threshold, with the team
    /// they were in at the week's end.
    private func watchList(week: ISOWeek, agentID: String?, calendar: CenterCalendar, _ db: SQLiteConnection) throws -> [WatchedAgent] {
        let due: LocalDate
        do throws(CenterCalendar.Problem) {
            due = try DueDates.watchListSummaryDue(week: week, calendar: calendar)
        } catch {
            throw IntakeRepository.calendarProblem(error)
        }
        let policy = try repository.currentPolicy(db)
        let evaluations = try repository.countingEvaluations(from: week.monday, to: week.sunday, agentID: agentID, db)
        let byAgent = Dictionary(grouping: evaluations, by: \.agentID)
        var watched: [WatchedAgent] = []
        for agent in byAgent.keys.sorted() {
            guard let scored = byAgent[agent] else { continue }
            var statistics = ScoreStatistics()
            for evaluation in scored { statistics.add(evaluation.total) }
            guard WatchList.isWatched(statistics, policy: policy),
                let roster = RosterDecision.standing(on: week.sunday, in: try repository.history(of: agent, db))
            else { continue }
            watched.append(WatchedAgent(
                roster: roster, statistics: statistics, borderline: policy.isBorderline(statistics),
                weakest: WatchList.weakestCriteria(scored.map(\.items)), due: due))
        }
        return watched
    }

    static func dateRange(_ fromText: String, _ toText: String, limit: Int) throws(IntakeError) -> (LocalDate, LocalDate) {
        var violations: [DomainViolation] = []
        let from = LocalDate(fromText)
        let to = LocalDate(toText)
        if from == nil { violations.append(DomainViolation("from_date", "must be a date YYYY-MM-DD")) }
        if to == nil { violations.append(DomainViolation("to_date", "must be a date YYYY-MM-DD")) }
        guard let from, let to else { throw .invalid(violations) }
        if to < from { throw .invalid("to_date", "is before from_date") }
        if to.dayNumber - from.dayNumber > limit { throw .invalid("to_date", "must be at most \(limit) days after from_date") }
        return (from, to)
    }
}

extension WatchList.SummaryState {
    var wire: SummaryState {
        switch self {
        case .missing: .missing
        case .onTime: .onTime
        case .late: .late
        }
    }
}

extension CenterCalendar {
    /// Today in UTC, for the one case where no calendar exists yet (a roster imported first).
    static func utcDate(unixMilliseconds: Int64) -> LocalDate {
        LocalDate(dayNumber: Int((unixMilliseconds >= 0 ? unixMilliseconds : unixMilliseconds - 86_399_999) / 86_400_000))
    }
}
