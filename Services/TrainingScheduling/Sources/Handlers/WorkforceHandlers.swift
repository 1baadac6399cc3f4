import RPCRuntime
import SQLiteStorage
import ServiceKit
import TrainingWire

/// PutQueues, PutShifts, PutForecasts: the workforce-management export. Each record is
/// checked on its own; the good ones are stored in one transaction with the idempotency key.
struct WorkforceHandlers: Sendable {
    let database: SQLiteDatabase
    let clock: ServiceClock
    let repository = WorkforceRepository()

    var now: Int64 { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }

    func register(in router: inout RPCRouter) {
        router.registerAsync(TrainingSchedulingMethods.putQueues, handler: putQueues)
        router.registerAsync(TrainingSchedulingMethods.putShifts, handler: putShifts)
        router.registerAsync(TrainingSchedulingMethods.putForecasts, handler: putForecasts)
    }

    func putQueues(_ request: PutQueuesRequest, _ context: CallContext) async throws -> BatchResponse {
        try BatchResults.checkSize(request.queues.count, field: "queues")
        let records = request.queues.map { wire -> Result<WorkforceRepository.QueueRecord, FieldViolations> in
            var problems = FieldRules.identifier(wire.queueId, "queue_id")
            let percent = Int(clamping: wire.serviceLevelPercent), seconds = Int(clamping: wire.answerWithinSeconds)
            problems += ServiceQueue.violations(name: wire.name, percent: percent, answerWithinSeconds: seconds)
            if wire.name.unicodeScalars.contains(where: FieldRules.isControl) {
                problems.append(FieldViolation(subject: "name", description: "must not contain control characters"))
            }
            guard problems.isEmpty else { return .failure(FieldViolations(violations: problems)) }
            let queue = ServiceQueue(
                id: QueueID(wire.queueId), name: wire.name,
                target: ServiceLevelTarget(fraction: Double(percent) / 100, answerWithinSeconds: Double(seconds)))
            return .success(.init(queue: queue, percent: percent, answerWithinSeconds: seconds))
        }
        let ids = request.queues.map(\.queueId)
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            BatchResults.response(try repository.putQueues(records, now: now, db), ids: ids)
        }
    }

    func putShifts(_ request: PutShiftsRequest, _ context: CallContext) async throws -> BatchResponse {
        let month = try SchedulingHandlers.month(request.month)
        try BatchResults.checkSize(request.agents.count, field: "agents")
        let monthMinutes = month.endMinute - month.startMinute
        let records = request.agents.map { wire -> Result<(AgentID, [MinuteRange]), FieldViolations> in
            var problems = FieldRules.identifier(wire.agentId, "agent_id")
            var shifts: [MinuteRange] = []
            for (i, range) in wire.shifts.enumerated() {
                let start = LocalDateTime(range.start), end = LocalDateTime(range.end)
                if start == nil { problems.append(FieldViolation(subject: "shifts[\(i)].start", description: "must be a local date-time YYYY-MM-DDTHH:MM")) }
                if end == nil { problems.append(FieldViolation(subject: "shifts[\(i)].end", description: "must be a local date-time YYYY-MM-DDTHH:MM")) }
                if let start, let end {
                    shifts.append(MinuteRange(start: start.minutes - month.startMinute, end: end.minutes - month.startMinute))
                }
            }
            // Shift indexes only match the request when every range parsed.
            if problems.isEmpty { problems += ShiftRules.violations(shifts, monthMinutes: monthMinutes) }
            guard problems.isEmpty else { return .failure(FieldViolations(violations: problems)) }
            return .success((AgentID(wire.agentId), shifts))
        }
        let ids = request.agents.map(\.agentId)
        return try await database.idempotentWrite(context, now: now) { db in
            BatchResults.response(try repository.putShifts(month: month.description, records, db), ids: ids)
        }
    }

    func putForecasts(_ request: PutForecastsRequest, _ context: CallContext) async throws -> BatchResponse {
        let month = try SchedulingHandlers.month(request.month)
        try BatchResults.checkSize(request.forecasts.count, field: "forecasts")
        let records = request.forecasts.map { wire -> Result<WorkforceRepository.ForecastRecord, FieldViolations> in
            var problems = FieldRules.identifier(wire.queueId, "queue_id")
            var interval: Interval?
            if let start = LocalDateTime(wire.start) {
                let offset = start.minutes - month.startMinute
                if !month.contains(start) {
                    problems.append(FieldViolation(subject: "start", description: "\(wire.start) is not in \(month)"))
                } else if offset % Interval.minutes != 0 {
                    problems.append(FieldViolation(subject: "start", description: "must be on :00 or :30"))
                } else {
                    interval = Interval(offset / Interval.minutes)
                }
            } else {
                problems.append(FieldViolation(subject: "start", description: "must be a local date-time YYYY-MM-DDTHH:MM"))
            }
            let volume = IntervalVolume(
                expectedContacts: wire.expectedContacts, averageHandleSeconds: wire.averageHandleSeconds, shrinkage: wire.shrinkage)
            problems += volume.violations
            guard problems.isEmpty, let interval else { return .failure(FieldViolations(violations: problems)) }
            return .success(.init(queue: QueueID(wire.queueId), interval: interval, volume: volume))
        }
        let ids = request.forecasts.map { "\($0.queueId)@\($0.start)" }
        return try await database.idempotentWrite(context, now: now) { db in
            BatchResults.response(try repository.putForecasts(month: month.description, records, db), ids: ids)
        }
    }
}
