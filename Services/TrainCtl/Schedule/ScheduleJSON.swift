import TrainingWire

/// The JSON trainctl prints for training-scheduling's messages, as for the intake's
/// (`WireJSON.swift`): proto field names, enums by their lower-case names without the
/// enum's prefix, local times as sent ("YYYY-MM-DDTHH:MM"), instants both as Unix
/// milliseconds and RFC 3339 (UTC), null where the contract's "empty" means "none".

private func int(_ value: some BinaryInteger) -> JSONValue { .integer(Int64(value)) }

/// Unix milliseconds, or null for 0 (not set).
private func milliseconds(_ value: Int64) -> JSONValue { value == 0 ? .null : .integer(value) }

private func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

extension PlannedSession {
    var json: JSONValue {
        .object([
            "session_id": .string(sessionId), "course_id": .string(courseId), "trainer_id": .string(trainerId),
            "room_id": .optionalString(roomId), "start": .string(start), "end": .string(end), "capacity": int(capacity),
        ])
    }
}

extension GetMonthlyPlanResponse {
    var json: JSONValue {
        .object([
            "month": .string(month), "state": state.json,
            "published_at_unix_ms": milliseconds(publishedAtUnixMs), "published_at": instantJSON(publishedAtUnixMs),
            "sessions": .array(sessions.map(\.json)),
        ])
    }
}

extension EnrolmentSummary {
    var json: JSONValue {
        .object([
            "month": .string(month), "basis": basis.json, "tiers_from": .optionalString(tiersFrom), "bound": int(bound),
            "placed_bound": int(placedBound), "placed_voluntary": int(placedVoluntary), "waiting": int(waiting),
            "unplaced": int(unplaced), "kept": int(kept), "newly_placed": int(newlyPlaced), "dropped": int(dropped),
            "standing_changes": int(standingChanges), "built_at_unix_ms": milliseconds(builtAtUnixMs),
            "built_at": instantJSON(builtAtUnixMs),
        ])
    }
}

extension Enrolment {
    var json: JSONValue {
        .object([
            "agent_id": .string(agentId), "team_id": .optionalString(teamId), "course_id": .string(courseId),
            "session_id": .string(sessionId), "start": .string(start), "end": .string(end), "trainer_id": .string(trainerId),
            "room_id": .optionalString(roomId), "requirement": requirement.json, "with_own_team_leader": .bool(withOwnTeamLeader),
            "placed_at_unix_ms": milliseconds(placedAtUnixMs), "placed_at": instantJSON(placedAtUnixMs),
        ])
    }
}

extension UnplacedEnrolment {
    var json: JSONValue {
        .object([
            "agent_id": .string(agentId), "team_id": .optionalString(teamId), "course_id": .string(courseId), "reason": reason.json,
        ])
    }
}

extension WaitingEntry {
    var json: JSONValue {
        .object([
            "agent_id": .string(agentId), "session_id": .string(sessionId), "course_id": .string(courseId),
            "position": int(position), "signed_up_at_unix_ms": milliseconds(signedUpAtUnixMs),
            "signed_up_at": instantJSON(signedUpAtUnixMs),
        ])
    }
}

extension GetEnrolmentResponse {
    var json: JSONValue {
        .object(["summary": summary?.json ?? .null, "unplaced": .array(unplaced.map(\.json))])
    }
}

extension ScheduleResponse {
    var json: JSONValue {
        .object([
            "month": .string(month), "enrolments": .array(enrolments.map(\.json)),
            "unplaced": .array(unplaced.map(\.json)), "waiting": .array(waiting.map(\.json)),
        ])
    }
}

extension GetSessionScheduleResponse {
    var json: JSONValue {
        .object([
            "session": session?.json ?? .null, "cancelled": .bool(cancelled), "cancel_reason": .optionalString(cancelReason),
            "seats_free": int(seatsFree), "participants": .array(participants.map(\.json)), "waiting": .array(waiting.map(\.json)),
        ])
    }
}

extension SessionChangeResponse {
    var json: JSONValue {
        .object([
            "kept_agent_ids": strings(keptAgentIds), "replaced_agent_ids": strings(replacedAgentIds),
            "unplaced_agent_ids": strings(unplacedAgentIds), "summary": summary?.json ?? .null,
        ])
    }
}

extension IntervalOutlook {
    /// A forecast queue's figures, or a team's: the other side's are null.
    var json: JSONValue {
        let isQueue = !queueId.isEmpty
        return .object([
            "interval_start": .string(intervalStart),
            "queue_id": isQueue ? .string(queueId) : .null,
            "on_floor": isQueue ? int(onFloor) : .null,
            "required": isQueue ? int(required) : .null,
            "service_level": isQueue ? .number(serviceLevel) : .null,
            "team_id": isQueue ? .null : .string(teamId),
            "on_shift": isQueue ? .null : int(onShift),
            "in_training": isQueue ? .null : int(inTraining),
            "allowed_in_training": isQueue ? .null : int(allowedInTraining),
            "keeps_coverage": .bool(keepsCoverage),
        ])
    }
}
