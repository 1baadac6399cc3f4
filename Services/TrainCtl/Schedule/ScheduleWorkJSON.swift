import TrainingWire

// The JSON of the notices, attendance and coaching messages, as ScheduleJSON.swift does
// for the plan and the enrolment: proto field names, enums by their lower-case names
// without the enum's prefix, local times as sent, instants as Unix milliseconds and RFC
// 3339 (UTC), null where the contract's "empty" means "none".

// The enums of notices, attendance and coaching work: values prefixed with (part of) the enum's name.
extension NoticeKind: WireEnum { static var protoPrefix: String { "NOTICE_" } }
extension NoticeRecipientRole: WireEnum { static var protoPrefix: String { "NOTICE_TO_" } }
extension AttendanceStatus: WireEnum { static var protoPrefix: String { "ATTENDANCE_" } }
extension ProblemSummaryState: WireEnum { static var protoPrefix: String { "PROBLEM_SUMMARY_" } }
extension CoachingPriority: WireEnum { static var protoPrefix: String { "COACHING_PRIORITY_" } }
extension CoachingRequestState: WireEnum { static var protoPrefix: String { "COACHING_" } }

private func count(_ value: some BinaryInteger) -> JSONValue { .integer(Int64(value)) }

/// Unix milliseconds, or null for 0 (not set).
private func unixMilliseconds(_ value: Int64) -> JSONValue { value == 0 ? .null : .integer(value) }

private func texts(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

extension Notice {
    /// Whether the notice goes to the agent it is about (placement, change, cancellation).
    /// Such a notice never carries the agent's tier: training is not a punishment (seed 004).
    var isToAgent: Bool {
        recipientRole == .noticeToAgent || kind == .noticePlacement || kind == .noticeChange || kind == .noticeCancellation
    }

    /// `tier_reason` is null in a notice to an agent even if the service sent one: whatever
    /// reads this JSON (a messaging system) must not be able to show it to the agent.
    var json: JSONValue {
        .object([
            "notice_id": .string(noticeId), "kind": kind.json, "recipient_role": recipientRole.json,
            "recipient_id": .string(recipientId), "month": .string(month), "agent_id": .string(agentId),
            "team_id": .optionalString(teamId), "session_id": .string(sessionId), "course_id": .string(courseId),
            "course_title": .string(courseTitle), "purpose": .optionalString(purpose), "topics": texts(topics),
            "preparation": .optionalString(preparation), "start": .string(start), "end": .string(end),
            "site": .optionalString(site), "room_id": .optionalString(roomId), "directions": .optionalString(directions),
            "link": .optionalString(link), "trainer_name": .optionalString(trainerName),
            "trainer_biography": .optionalString(trainerBiography), "requirement": requirement.json,
            "short_notice": .bool(shortNotice), "tier_reason": isToAgent ? .null : .optionalString(tierReason),
            "previous_start": .optionalString(previousStart), "previous_end": .optionalString(previousEnd),
            "reason": .optionalString(reason),
            "created_at_unix_ms": unixMilliseconds(createdAtUnixMs), "created_at": instantJSON(createdAtUnixMs),
            "send_after_unix_ms": unixMilliseconds(sendAfterUnixMs), "send_after": instantJSON(sendAfterUnixMs),
            "acknowledged_at_unix_ms": unixMilliseconds(acknowledgedAtUnixMs), "acknowledged_at": instantJSON(acknowledgedAtUnixMs),
        ])
    }
}

extension NoticeList {
    var json: JSONValue { .object(["notices": .array(notices.map(\.json))]) }
}

extension TeamShortNotice {
    var json: JSONValue {
        .object(["team_id": .string(teamId), "placements": count(placements), "short_notice": count(shortNotice)])
    }
}

extension ShortNoticeReport {
    var json: JSONValue {
        .object([
            "month": .string(month), "lead_days": count(leadDays), "teams": .array(teams.map(\.json)),
            "short_notice": .array(shortNotice.map(\.json)),
        ])
    }
}

extension TallyGroup {
    var json: JSONValue {
        .object([
            "group": .string(group), "required": count(required), "attended": count(attended), "excused": count(excused),
            "unexcused": count(unexcused), "pending": count(pending),
        ])
    }
}

extension PenaltyProposal {
    var json: JSONValue {
        .object([
            "agent_id": .string(agentId), "team_id": .optionalString(teamId), "department": .optionalString(department),
            "session_id": .string(sessionId), "course_id": .string(courseId), "start": .string(start),
            "recorded_by": .optionalString(recordedBy),
        ])
    }
}

extension MonthEndTally {
    var json: JSONValue {
        .object([
            "month": .string(month), "center": center?.json ?? .null, "teams": .array(teams.map(\.json)),
            "departments": .array(departments.map(\.json)), "penalties": .array(penalties.map(\.json)),
        ])
    }
}

extension ProblemSummary {
    var json: JSONValue {
        .object([
            "month": .string(month), "agent_id": .string(agentId), "team_id": .optionalString(teamId),
            "team_leader_id": .optionalString(teamLeaderId), "due_date": .optionalString(dueDate), "state": state.json,
            "summary": .optionalString(summary), "suggestion": .optionalString(suggestion),
            "first_submitted_at_unix_ms": unixMilliseconds(firstSubmittedAtUnixMs), "first_submitted_at": instantJSON(firstSubmittedAtUnixMs),
            "updated_at_unix_ms": unixMilliseconds(updatedAtUnixMs), "updated_at": instantJSON(updatedAtUnixMs),
        ])
    }
}

extension CoachingStage {
    var json: JSONValue {
        .object(["title": .string(title), "start_date": .string(startDate), "end_date": .string(endDate), "checks": .string(checks)])
    }
}

extension CoachingPlan {
    var json: JSONValue {
        .object([
            "month": .string(month), "agent_id": .string(agentId), "supervisor_id": .string(supervisorId),
            "stages": .array(stages.map(\.json)), "version": count(version),
            "updated_at_unix_ms": unixMilliseconds(updatedAtUnixMs), "updated_at": instantJSON(updatedAtUnixMs),
        ])
    }
}

extension CoachingStep {
    var json: JSONValue {
        .object([
            "state": state.json, "by": .string(by), "at_unix_ms": unixMilliseconds(atUnixMs), "at": instantJSON(atUnixMs),
            "note": .optionalString(note),
        ])
    }
}

extension LocalTimeRange {
    var json: JSONValue { .object(["start": .string(start), "end": .string(end)]) }
}

extension CoachingRequest {
    var json: JSONValue {
        .object([
            "request_id": .string(requestId), "agent_id": .string(agentId), "team_leader_id": .string(teamLeaderId),
            "problem": .string(problem), "metric_id": .string(metricId), "evidence": texts(evidence),
            "priority": priority.json, "state": state.json, "from_review": .bool(fromReview), "attempt": count(attempt),
            "trainer_id": .optionalString(trainerId), "method": method.json, "sessions": .array(sessions.map(\.json)),
            "plan_due_on": .optionalString(planDueOn), "overdue": .bool(overdue), "history": .array(history.map(\.json)),
        ])
    }
}

extension CoachingRequestList {
    var json: JSONValue { .object(["requests": .array(requests.map(\.json))]) }
}

extension RecordResult {
    /// One record's outcome, its errors named as the service names them.
    var json: JSONValue {
        .object([
            "index": count(index), "id": .string(id), "outcome": outcome.json,
            "errors": .array(violations.map { FieldError(field: $0.subject, reason: $0.description).json }),
        ])
    }
}
