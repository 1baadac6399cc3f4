import CalendarDates
import ArgumentParser
import Foundation
import TrainingWire

/// `trainctl intake void EVALUATION_ID --reason …`
struct VoidCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void",
        abstract: "Stop an evaluation counting anywhere (it stays in history).")

    @Argument(help: "The QA system's evaluation id.")
    var evaluationId: String
    @Option(name: .long, help: "Why: dispute_upheld, calibration or wrong_agent.")
    var reason: WireEnumArgument<VoidReason>
    @Option(name: .long, help: "A note for the history.")
    var note: String = ""
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: IntakeEndpoint

    func run() async throws {
        let request = VoidEvaluationRequest(evaluationId: evaluationId, reason: reason.value, note: note)
        let response = try await withService(endpoint) { try await $0.call(ScoringIntakeMethods.voidEvaluation, request) }
        if output.json {
            printJSON(.object([
                "evaluation_id": .string(evaluationId), "revision": .integer(Int64(response.revision)),
                "reason": reason.value.json, "already_void": .bool(response.alreadyVoid),
            ]))
        } else if response.alreadyVoid {
            print("\(evaluationId) was already void (revision \(response.revision)); nothing changed.")
        } else {
            print("Voided \(evaluationId) revision \(response.revision) (\(reason.value.cliName ?? "")): it no longer counts in any average.")
        }
    }
}

/// `trainctl intake watch-list YYYY-Www`
struct WatchListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch-list",
        abstract: "A week's agents below the coaching threshold, per team, with their summaries' state.")

    @Argument(help: "The ISO week, YYYY-Www (e.g. 2026-W07).")
    var week: String
    @Option(name: .long, help: "Only this team.")
    var team: String?
    @OptionGroup var output: TableOutput
    @OptionGroup var endpoint: IntakeEndpoint

    func validate() throws {
        guard IsoWeek.isValid(week) else { throw ValidationError("week must be YYYY-Www, e.g. 2026-W07 (got \(week))") }
    }

    func run() async throws {
        let request = GetWeeklyWatchListRequest(week: week, teamId: team ?? "")
        let response = try await withService(endpoint) { try await $0.call(ScoringIntakeMethods.getWeeklyWatchList, request) }
        if output.json {
            printJSON(response.json)
            return
        }
        let rows = response.teams.flatMap { team in team.agents.map { (team, $0) } }
        if output.csv {
            print(CSVWriter.document(
                header: ["week", "team_id", "team_leader_id", "summary_due_date", "agent_id", "name", "average", "count",
                         "standard_error", "borderline", "weakest_criteria", "summary_state", "summary_author_id"],
                rows: rows.map { team, agent in
                    [response.week, team.teamId, team.teamLeaderId, team.summaryDueDate, agent.agentId, agent.name,
                     JSONValue.format(agent.average), String(agent.count), JSONValue.format(agent.standardError),
                     String(agent.borderline), agent.weakestCriteria.map(\.criterionId).joined(separator: ";"),
                     agent.summaryState.cliName ?? "", agent.summaryAuthorId]
                }))
            return
        }
        print("Week \(response.week) (\(response.weekStart) to \(response.weekEnd)): \(Format.count(rows.count)) agent"
            + "\(rows.count == 1 ? "" : "s") below the coaching threshold in \(response.teams.count) team\(response.teams.count == 1 ? "" : "s")")
        guard !rows.isEmpty else { return }
        print("")
        print(Table(
            header: ["TEAM", "LEADER", "DUE", "AGENT", "NAME", "AVERAGE", "N", "BORDERLINE", "WEAKEST", "SUMMARY"],
            rows: rows.map { team, agent in
                [team.teamId, team.teamLeaderId, team.summaryDueDate, agent.agentId, agent.name, Format.fixed(agent.average, 1),
                 String(agent.count), agent.borderline ? "yes" : "",
                 agent.weakestCriteria.map { "\($0.criterionId) \(Format.fixed($0.average, 0))%" }.joined(separator: ", "),
                 (agent.summaryState.cliName ?? "-") + (agent.summaryAuthorId.isEmpty ? "" : " (\(agent.summaryAuthorId))")]
            }).rendered)
    }
}

/// `trainctl intake scores AGENT_ID --from DATE --to DATE`
struct ScoresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scores",
        abstract: "An agent's counting evaluations in a date range, with averages per criterion.")

    @Argument(help: "The agent id.")
    var agentId: String
    @Option(name: .long, help: "First day, YYYY-MM-DD (inclusive).")
    var from: String
    @Option(name: .long, help: "Last day, YYYY-MM-DD (inclusive).")
    var to: String
    @OptionGroup var output: TableOutput
    @OptionGroup var endpoint: IntakeEndpoint

    func validate() throws {
        guard let first = LocalDate(parsing: try validatedDate(from, "--from")),
              let last = LocalDate(parsing: try validatedDate(to, "--to")), first <= last else {
            throw ValidationError("--to must not be before --from")
        }
    }

    func run() async throws {
        let request = GetAgentScoresRequest(agentId: agentId, fromDate: from, toDate: to)
        let (response, timeZone) = try await withService(endpoint) { session in
            let response = try await session.call(ScoringIntakeMethods.getAgentScores, request)
            // Call times read best in the center's own time zone (the calendar's), else this machine's.
            let calendar = try? await session.callReportingNothing(
                ScoringIntakeMethods.getCalendar, GetCalendarRequest(fromDate: from, toDate: from))
            return (response, calendar.flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone.current)
        }
        if output.json {
            printJSON(response.json(from: from, to: to))
            return
        }
        if output.csv {
            print(CSVWriter.document(
                header: ["agent_id", "evaluation_id", "revision", "call_started_at", "channel", "total_score"],
                rows: response.evaluations.map { evaluation in
                    [response.agentId, evaluation.evaluationId, String(evaluation.revision),
                     RFC3339.format(unixMilliseconds: evaluation.callStartedAtUnixMs), evaluation.channel.cliName ?? "",
                     JSONValue.format(evaluation.totalScore)]
                }))
            return
        }
        print("\(response.agentId): \(Format.count(response.count)) evaluation\(response.count == 1 ? "" : "s") from \(from) to \(to)"
            + (response.count == 0 ? "" : ", average \(Format.fixed(response.average, 2))"
                + (response.count < 2 ? "" : " (standard error \(Format.fixed(response.standardError, 2)))")))
        if !response.criteria.isEmpty {
            print("")
            print(Table(header: ["CRITERION", "NAME", "AVERAGE %", "N"], rows: response.criteria.map { criterion in
                [criterion.criterionId, criterion.name, Format.fixed(criterion.average, 1), String(criterion.count)]
            }).rendered)
        }
        if !response.evaluations.isEmpty {
            print("")
            print(Table(header: ["EVALUATION", "REV", "CALL STARTED (\(timeZone.identifier))", "CHANNEL", "TOTAL"], rows: response.evaluations.map { evaluation in
                [evaluation.evaluationId, String(evaluation.revision),
                 Format.localTime(unixMilliseconds: evaluation.callStartedAtUnixMs, timeZone: timeZone),
                 evaluation.channel.cliName ?? "-", JSONValue.format(evaluation.totalScore)]
            }).rendered)
        }
    }
}

/// `trainctl intake averages YYYY-MM [--by team|department|site]`
struct AveragesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "averages",
        abstract: "A month's average scores for the center, or per team, department or site, with the change from the month before.")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Option(name: .long, help: "Group by team, department or site (default: the whole center).")
    var by: WireEnumArgument<GroupBy>?
    @OptionGroup var output: TableOutput
    @OptionGroup var endpoint: IntakeEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = GetMonthlyAveragesRequest(month: month, groupBy: by?.value ?? .unspecified)
        let response = try await withService(endpoint) { try await $0.call(ScoringIntakeMethods.getMonthlyAverages, request) }
        if output.json {
            printJSON(response.json)
            return
        }
        let groupName = response.groupBy.cliName ?? "center"
        if output.csv {
            print(CSVWriter.document(
                header: ["month", "group_by", "group", "agents", "count", "average", "standard_error", "previous_average", "change"],
                rows: response.groups.map { group in
                    [response.month, groupName, group.group, String(group.agents), String(group.count), JSONValue.format(group.average),
                     JSONValue.format(group.standardError), group.hasPrevious ? JSONValue.format(group.previousAverage) : "",
                     group.hasPrevious ? JSONValue.format(group.change) : ""]
                }))
            return
        }
        print("Averages of \(response.month) by \(groupName)")
        print("")
        print(Table(header: [groupName.uppercased(), "AGENTS", "N", "AVERAGE", "SE", "PREVIOUS", "CHANGE"], rows: response.groups.map { group in
            [group.group, Format.count(group.agents), Format.count(group.count), Format.fixed(group.average, 2),
             Format.fixed(group.standardError, 2), group.hasPrevious ? Format.fixed(group.previousAverage, 2) : "-",
             group.hasPrevious ? (group.change >= 0 ? "+" : "") + Format.fixed(group.change, 2) : "-"]
        }).rendered)
    }
}

// MARK: - Tier policy

enum PolicyText {
    static func print(_ policy: TierPolicy) {
        let advanced = JSONValue.format(policy.advancedThreshold), coaching = JSONValue.format(policy.coachingThreshold)
        Swift.print("Tier policy version \(policy.version)"
            + (policy.setBy.isEmpty ? "" : ", set by \(policy.setBy)")
            + (policy.setAtUnixMs == 0 ? "" : " at \(Format.localTime(unixMilliseconds: policy.setAtUnixMs))"))
        Swift.print(Table(header: ["TIER", "RULE"], rows: [
            ["advanced", "average ≥ \(advanced)"],
            ["standard", "\(coaching) ≤ average < \(advanced)"],
            ["coaching", "average < \(coaching)"],
            ["insufficient_data", "fewer than \(policy.minimumEvaluations) evaluations in the month"],
        ]).rendered)
        Swift.print("Averages are rounded half up to \(policy.roundingDecimals) decimal\(policy.roundingDecimals == 1 ? "" : "s") before comparing.")
    }
}

/// `trainctl intake policy`
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Show the tier policy in force.")

    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: IntakeEndpoint

    func run() async throws {
        let policy = try await withService(endpoint) { try await $0.call(ScoringIntakeMethods.getTierPolicy, GetTierPolicyRequest()) }
        if output.json { printJSON(policy.json) } else { PolicyText.print(policy) }
    }
}

/// `trainctl intake set-policy --advanced 95 --coaching 86 --minimum 4 --decimals 1`
struct SetPolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-policy",
        abstract: "Change the tier policy (a new version; closed months keep the one they used).",
        discussion: "Settings not given keep their current values.")

    @Option(name: .long, help: "Average at or above which an agent is advanced.")
    var advanced: Double?
    @Option(name: .long, help: "Average below which an agent needs coaching.")
    var coaching: Double?
    @Option(name: .long, help: "Fewest evaluations in a month for a tier (fewer: insufficient_data).")
    var minimum: UInt32?
    @Option(name: .long, help: "Decimals the average is rounded to (half up) before comparing, 0-4.")
    var decimals: UInt32?
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: IntakeEndpoint

    func validate() throws {
        guard advanced != nil || coaching != nil || minimum != nil || decimals != nil else {
            throw ValidationError("give at least one of --advanced, --coaching, --minimum, --decimals")
        }
        if let advanced, !(0...100).contains(advanced) { throw ValidationError("--advanced must be from 0 to 100") }
        if let coaching, !(0...100).contains(coaching) { throw ValidationError("--coaching must be from 0 to 100") }
        if let advanced, let coaching, coaching > advanced { throw ValidationError("--coaching must not be above --advanced") }
        if let minimum, minimum < 1 { throw ValidationError("--minimum must be at least 1") }
        if let decimals, decimals > 4 { throw ValidationError("--decimals must be from 0 to 4") }
    }

    func run() async throws {
        let policy = try await withService(endpoint) { session in
            var current = TierPolicy()
            if advanced == nil || coaching == nil || minimum == nil || decimals == nil {
                current = try await session.call(ScoringIntakeMethods.getTierPolicy, GetTierPolicyRequest())
            }
            let request = SetTierPolicyRequest(
                advancedThreshold: advanced ?? current.advancedThreshold, coachingThreshold: coaching ?? current.coachingThreshold,
                minimumEvaluations: minimum ?? current.minimumEvaluations, roundingDecimals: decimals ?? current.roundingDecimals)
            guard request.coachingThreshold <= request.advancedThreshold else {
                StandardError.line("error: the coaching threshold (\(JSONValue.format(request.coachingThreshold))) would be above "
                    + "the advanced threshold (\(JSONValue.format(request.advancedThreshold))); set both")
                throw ExitCode.failure
            }
            return try await session.call(ScoringIntakeMethods.setTierPolicy, request)
        }
        if output.json { printJSON(policy.json) } else { PolicyText.print(policy) }
    }
}
