import TrainingWire

/// The JSON trainctl prints for the contract's messages: proto field names (snake_case),
/// enums by lower-case name, instants both as Unix milliseconds and RFC 3339 (UTC), and
/// null where the contract's "empty" means "none".

private func int(_ value: some BinaryInteger) -> JSONValue { .integer(Int64(value)) }

/// An instant as RFC 3339 UTC, or null for 0 (not set).
func instantJSON(_ unixMilliseconds: Int64) -> JSONValue {
    unixMilliseconds == 0 ? .null : .string(RFC3339.format(unixMilliseconds: unixMilliseconds))
}

extension TierAssignment {
    var json: JSONValue {
        .object([
            "agent_id": .string(agentId), "name": .string(name), "team_id": .string(teamId),
            "team_leader_id": .string(teamLeaderId), "department": .string(department), "site": .string(site),
            "tier": tier.json, "average": .number(average), "count": int(count), "standard_error": .number(standardError),
            "borderline": .bool(borderline), "problem_summary_due": .optionalString(problemSummaryDue),
            "previous_tier": previousTier.json,
        ])
    }
}

extension ListTierAssignmentsResponse {
    var json: JSONValue {
        .object([
            "month": .string(month), "applies_to_month": .string(appliesToMonth), "revision": int(revision),
            "policy_version": int(policyVersion), "closed_at_unix_ms": .integer(closedAtUnixMs),
            "closed_at": instantJSON(closedAtUnixMs), "assignments": .array(assignments.map(\.json)),
        ])
    }
}

extension CriterionAverage {
    var json: JSONValue {
        .object(["criterion_id": .string(criterionId), "name": .string(name), "average": .number(average), "count": int(count)])
    }
}

extension WatchListAgent {
    var json: JSONValue {
        .object([
            "agent_id": .string(agentId), "name": .string(name), "average": .number(average), "count": int(count),
            "standard_error": .number(standardError), "borderline": .bool(borderline),
            "weakest_criteria": .array(weakestCriteria.map(\.json)), "summary_state": summaryState.json,
            "summary_author_id": .optionalString(summaryAuthorId),
            "summary_submitted_at_unix_ms": summarySubmittedAtUnixMs == 0 ? .null : .integer(summarySubmittedAtUnixMs),
            "summary_submitted_at": instantJSON(summarySubmittedAtUnixMs), "summary_text": .optionalString(summaryText),
        ])
    }
}

extension GetWeeklyWatchListResponse {
    var json: JSONValue {
        .object([
            "week": .string(week), "week_start": .string(weekStart), "week_end": .string(weekEnd),
            "teams": .array(teams.map { team in
                .object([
                    "team_id": .string(team.teamId), "team_leader_id": .string(team.teamLeaderId),
                    "summary_due_date": .string(team.summaryDueDate), "agents": .array(team.agents.map(\.json)),
                ])
            }),
        ])
    }
}

extension GetAgentScoresResponse {
    func json(from: String, to: String) -> JSONValue {
        .object([
            "agent_id": .string(agentId), "from_date": .string(from), "to_date": .string(to), "count": int(count),
            "average": .number(average), "standard_error": .number(standardError), "criteria": .array(criteria.map(\.json)),
            "evaluations": .array(evaluations.map { evaluation in
                .object([
                    "evaluation_id": .string(evaluation.evaluationId), "revision": int(evaluation.revision),
                    "call_started_at_unix_ms": .integer(evaluation.callStartedAtUnixMs),
                    "call_started_at": instantJSON(evaluation.callStartedAtUnixMs),
                    "total_score": .number(evaluation.totalScore), "channel": evaluation.channel.json,
                ])
            }),
        ])
    }
}

extension GetMonthlyAveragesResponse {
    var json: JSONValue {
        .object([
            "month": .string(month), "group_by": groupBy.cliName.map(JSONValue.string) ?? .string("center"),
            "groups": .array(groups.map { group in
                .object([
                    "group": .string(group.group), "agents": int(group.agents), "count": int(group.count),
                    "average": .number(group.average), "standard_error": .number(group.standardError),
                    "has_previous": .bool(group.hasPrevious),
                    "previous_average": group.hasPrevious ? .number(group.previousAverage) : .null,
                    "change": group.hasPrevious ? .number(group.change) : .null,
                ])
            }),
        ])
    }
}

extension TierPolicy {
    var json: JSONValue {
        .object([
            "version": int(version), "advanced_threshold": .number(advancedThreshold),
            "coaching_threshold": .number(coachingThreshold), "minimum_evaluations": int(minimumEvaluations),
            "rounding_decimals": int(roundingDecimals), "set_by": .optionalString(setBy),
            "set_at_unix_ms": setAtUnixMs == 0 ? .null : .integer(setAtUnixMs), "set_at": instantJSON(setAtUnixMs),
        ])
    }
}

extension BatchResponse {
    /// Per-record outcomes with the record's id, for small batches (metric definitions).
    var json: JSONValue {
        .object([
            "accepted": int(accepted), "duplicate": int(duplicate), "replaced": int(replaced), "stale": int(stale),
            "rejected": int(rejected),
            "results": .array(results.map { result in
                .object([
                    "index": int(result.index), "id": .string(result.id), "outcome": result.outcome.json,
                    "errors": .array(result.violations.map { FieldError(field: $0.subject, reason: $0.description).json }),
                ])
            }),
        ])
    }
}
