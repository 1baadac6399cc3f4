import RPCRuntime
import SQLiteStorage
import ServiceKit
import TrainingWire

/// Notices for the center's messaging system (listed until acknowledged: at least once),
/// every notice of a month for memos, the short-notice report, and the goals of the team
/// leader's goal talk.
struct NoticeHandlers: Sendable {
    let database: SQLiteDatabase
    let clock: ServiceClock
    let settings: SchedulingSettings
    let repository = NoticeRepository()
    let enrolments = EnrolmentRepository()

    var now: Int64 { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }

    func register(in router: inout RPCRouter) {
        router.registerAsync(TrainingSchedulingMethods.listPendingNotices, handler: listPendingNotices)
        router.registerAsync(TrainingSchedulingMethods.acknowledgeNotices, handler: acknowledgeNotices)
        router.registerAsync(TrainingSchedulingMethods.listNotices, handler: listNotices)
        router.registerAsync(TrainingSchedulingMethods.getShortNoticeReport, handler: getShortNoticeReport)
        router.registerAsync(TrainingSchedulingMethods.recordGoals, handler: recordGoals)
    }

    func listPendingNotices(_ request: ListPendingNoticesRequest, _ context: CallContext) async throws -> NoticeList {
        var problems: [FieldViolation] = []
        if request.limit > 1000 { problems.append(FieldViolation(subject: "limit", description: "must be at most 1000")) }
        var after: Int64 = 0
        if !request.afterNoticeId.isEmpty {
            if let number = NoticeRepository.number(request.afterNoticeId) { after = number } else {
                problems.append(FieldViolation(subject: "after_notice_id", description: "must be a notice id n-<number>"))
            }
        }
        guard problems.isEmpty else { throw SchedulingCallError.invalid(problems) }
        let limit = request.limit == 0 ? 100 : Int(request.limit)
        let now = self.now, from = after
        return NoticeList(notices: try await database.read(context) { db in try repository.pending(now: now, after: from, limit: limit, db) })
    }

    func acknowledgeNotices(_ request: AcknowledgeNoticesRequest, _ context: CallContext) async throws -> BatchResponse {
        try BatchResults.checkSize(request.noticeIds.count, field: "notice_ids")
        let ids = request.noticeIds
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            var response = BatchResponse()
            for (i, id) in ids.enumerated() {
                guard let number = NoticeRepository.number(id) else {
                    response.record(.rejected, id: id, violations: [Violation(subject: "notice_ids[\(i)]", description: "is not a notice id n-<number>")])
                    continue
                }
                switch try repository.acknowledge(number, now: now, db) {
                case .now: response.record(.accepted, id: id)
                case .already: response.record(.duplicate, id: id)
                case .unknown: response.record(.rejected, id: id, violations: [Violation(subject: "notice_ids[\(i)]", description: "no such notice")])
                }
            }
            return response
        }
    }

    func listNotices(_ request: ListNoticesRequest, _ context: CallContext) async throws -> NoticeList {
        var problems: [FieldViolation] = []
        let month = PlanningMonth(request.month)
        if month == nil { problems.append(FieldViolation(subject: "month", description: "must be a month YYYY-MM")) }
        if !request.agentId.isEmpty { problems += FieldRules.identifier(request.agentId, "agent_id") }
        if !request.sessionId.isEmpty { problems += FieldRules.identifier(request.sessionId, "session_id") }
        if request.limit > 10_000 { problems.append(FieldViolation(subject: "limit", description: "must be at most 10000")) }
        let after = request.afterNoticeId.isEmpty ? 0 : NoticeRepository.number(request.afterNoticeId)
        if after == nil { problems.append(FieldViolation(subject: "after_notice_id", description: "must be a notice id n-<number>")) }
        guard problems.isEmpty, let month, let after else { throw SchedulingCallError.invalid(problems) }
        let agent = request.agentId.isEmpty ? nil : AgentID(request.agentId)
        let session = request.sessionId.isEmpty ? nil : SessionID(request.sessionId)
        let limit = request.limit == 0 ? 1000 : Int(request.limit)
        // One more than the page: whether a next page exists.
        var notices = try await database.read(context) { db in
            try repository.list(month: month.description, agent: agent, session: session, after: after, limit: limit + 1, db)
        }
        var next = ""
        if notices.count > limit {
            notices.removeLast(notices.count - limit)
            next = notices.last?.noticeId ?? ""
        }
        return NoticeList(notices: notices, nextAfterNoticeId: next)
    }

    func getShortNoticeReport(_ request: GetShortNoticeReportRequest, _ context: CallContext) async throws -> ShortNoticeReport {
        let month = try SchedulingHandlers.month(request.month)
        let leadDays = settings.notice.leadMinutes / 1440
        return try await database.read(context) { db in
            guard try enrolments.run(month: month.description, db) != nil else {
                throw SchedulingCallError.notFound("no enrolment was built for \(month)")
            }
            let seats = try enrolments.enrolments(month: month.description, db)
            var teams: [String: TeamShortNotice] = [:]
            for seat in seats {
                teams[seat.team.rawValue, default: TeamShortNotice(teamId: seat.team.rawValue)].placements += 1
                if seat.shortNotice { teams[seat.team.rawValue, default: TeamShortNotice(teamId: seat.team.rawValue)].shortNotice += 1 }
            }
            return ShortNoticeReport(
                month: month.description, leadDays: UInt32(clamping: leadDays), teams: teams.values.sorted { $0.teamId < $1.teamId },
                shortNotice: seats.filter(\.shortNotice).map { $0.wire(month: month) })
        }
    }

    func recordGoals(_ request: RecordGoalsRequest, _ context: CallContext) async throws -> RecordGoalsResponse {
        let month = try SchedulingHandlers.month(
            request.month,
            plus: FieldRules.identifier(request.sessionId, "session_id") + FieldRules.identifier(request.agentId, "agent_id")
                + FieldRules.text(request.goals, "goals", maximum: 2000) + FieldRules.identifier(request.agreedBy, "agreed_by"))
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            let key = month.description
            guard try !enrolments.enrolments(month: key, agent: AgentID(request.agentId), session: SessionID(request.sessionId), db).isEmpty else {
                throw SchedulingCallError.notFound("agent \(request.agentId) has no seat in session \(request.sessionId) of \(month)")
            }
            try db.run("""
                INSERT INTO goals (month, session_id, agent_id, goals, agreed_by, recorded_ms) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (month, session_id, agent_id) DO UPDATE SET goals = excluded.goals, agreed_by = excluded.agreed_by,
                    recorded_ms = excluded.recorded_ms
                """, [.text(key), .text(request.sessionId), .text(request.agentId), .text(request.goals), .text(request.agreedBy), .integer(now)])
            return RecordGoalsResponse(recordedAtUnixMs: now)
        }
    }
}
