import ArgumentParser
import CalendarDates
import TrainingWire

/// `trainctl schedule coaching …`: special coaching (专项辅导), recorded at every step so that
/// team leader and trainer can later review who did what.
struct CoachingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coaching",
        abstract: "Problem summaries, staged coaching plans and one-to-one coaching requests.",
        subcommands: [
            ProblemSummariesCommand.self, SubmitProblemSummaryCommand.self, CoachingPlanCommand.self, SetCoachingPlanCommand.self,
            RequestCoachingCommand.self, PlanCoachingCommand.self, DeliverCoachingCommand.self, CancelCoachingCommand.self,
            CloseCoachingCommand.self, ListCoachingCommand.self,
        ])
}

/// The forms of the coaching commands' arguments, checked before anything is sent.
enum CoachingArguments {
    /// `--stage "TITLE|START|END|CHECKS"`: the title holds no '|', the checks may; dates YYYY-MM-DD.
    static func stage(_ text: String) throws(ValidationError) -> CoachingStage {
        let parts = text.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false).map(\.trimmingSpaces)
        guard parts.count == 4 else {
            throw ValidationError("--stage \(text): expected \"TITLE|START|END|CHECKS\", e.g. \"Phrasing drills|2026-12-01|2026-12-07|10 calls checked\"")
        }
        let stage = CoachingStage(title: parts[0], startDate: parts[1], endDate: parts[2], checks: parts[3])
        guard !stage.title.isEmpty, stage.title.count <= 200 else { throw ValidationError("--stage \(text): the title must be 1 to 200 characters") }
        guard let start = LocalDate(parsing: stage.startDate) else {
            throw ValidationError("--stage \(text): the start must be a date YYYY-MM-DD (got \(stage.startDate))")
        }
        guard let end = LocalDate(parsing: stage.endDate) else {
            throw ValidationError("--stage \(text): the end must be a date YYYY-MM-DD (got \(stage.endDate))")
        }
        guard start <= end else { throw ValidationError("--stage \(text): the end must not be before the start") }
        guard !stage.checks.isEmpty, stage.checks.count <= 2_000 else {
            throw ValidationError("--stage \(text): the checks must be 1 to 2,000 characters (what the stage checks, and how)")
        }
        return stage
    }

    /// `--session START/END`, local times YYYY-MM-DDTHH:MM, the end after the start.
    static func session(_ text: String) throws(ValidationError) -> LocalTimeRange {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(\.trimmingSpaces)
        guard parts.count == 2, let start = LocalDateTime(parts[0]), let end = LocalDateTime(parts[1]) else {
            throw ValidationError("--session \(text): expected START/END in local time, e.g. 2026-12-03T10:00/2026-12-03T11:00")
        }
        guard start < end else { throw ValidationError("--session \(text): the end must be after the start") }
        return LocalTimeRange(start: start.description, end: end.description)
    }
}

/// Text renderings of the coaching messages.
enum CoachingText {
    /// A text on one line for a table cell: line breaks as " / ", at most `limit` characters.
    static func oneLine(_ text: String, limit: Int = 60) -> String {
        let flat = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).joined(separator: " / ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }

    static func summaries(_ list: ProblemSummaryList, month: String) -> String {
        var byState: [ProblemSummaryState: Int] = [:]
        for summary in list.summaries { byState[summary.state, default: 0] += 1 }
        let counts = ProblemSummaryState.allCases.compactMap { state in byState[state].map { "\($0) \(state.cliName ?? "unspecified")" } }
        var text = "Problem summaries for \(month): \(EnrolmentText.plural(list.summaries.count, "coaching-tier agent"))"
            + (counts.isEmpty ? "" : " (" + counts.joined(separator: ", ") + ")")
        guard !list.summaries.isEmpty else { return text }
        text += "\n\n" + Table(header: ["AGENT", "TEAM", "TEAM LEADER", "DUE", "STATE", "WRITTEN", "SUMMARY"], rows: list.summaries.map { summary in
            [summary.agentId, summary.teamId.isEmpty ? "-" : summary.teamId, summary.teamLeaderId.isEmpty ? "-" : summary.teamLeaderId,
             summary.dueDate.isEmpty ? "-" : summary.dueDate, summary.state.cliName ?? "-",
             Format.localTime(unixMilliseconds: summary.firstSubmittedAtUnixMs), summary.summary.isEmpty ? "-" : oneLine(summary.summary)]
        }).rendered
        return text
    }

    static func summary(_ summary: ProblemSummary) -> String {
        "Problem summary of \(summary.agentId) for \(summary.month): \(summary.state.cliName ?? "-")"
            + (summary.dueDate.isEmpty ? "" : " (due \(summary.dueDate))") + ", by \(summary.teamLeaderId), "
            + "first written \(Format.localTime(unixMilliseconds: summary.firstSubmittedAtUnixMs)), "
            + "updated \(Format.localTime(unixMilliseconds: summary.updatedAtUnixMs))"
    }

    static func plan(_ plan: CoachingPlan) -> String {
        var text = "Coaching plan of \(plan.agentId) for \(plan.month): version \(plan.version), set by \(plan.supervisorId) "
            + "at \(Format.localTime(unixMilliseconds: plan.updatedAtUnixMs)), \(EnrolmentText.plural(plan.stages.count, "stage"))"
        guard !plan.stages.isEmpty else { return text }
        text += "\n\n" + Table(header: ["#", "STAGE", "FROM", "TO", "CHECKS"], rows: plan.stages.enumerated().map { index, stage in
            [String(index + 1), stage.title, stage.startDate, stage.endDate, oneLine(stage.checks, limit: 80)]
        }).rendered
        return text
    }

    /// One request in full: what was asked, the plan, and who moved it when.
    static func request(_ request: CoachingRequest) -> String {
        var rows: [[String]] = [
            ["Agent", request.agentId],
            ["Team leader", request.teamLeaderId],
            ["Problem", oneLine(request.problem, limit: 200)],
            ["Metric", request.metricId],
            ["Evidence", request.evidence.isEmpty ? "-" : request.evidence.joined(separator: ", ")],
        ]
        if request.fromReview {
            rows.append(["From", "the effectiveness review (earlier coachings on this metric: \(request.attempt))"])
        }
        if !request.trainerId.isEmpty { rows.append(["Trainer", request.trainerId]) }
        if request.method != .unspecified { rows.append(["Method", request.method.cliName ?? "-"]) }
        for (index, session) in request.sessions.enumerated() {
            rows.append([index == 0 ? "Sessions" : "", LocalDateTime.span(session.start, session.end)])
        }
        if !request.planDueOn.isEmpty {
            rows.append(["Plan due on", request.planDueOn + (request.overdue ? " (OVERDUE: still waiting for the trainer's plan)" : "")])
        }
        let width = rows.map { DisplayWidth.of($0[0]) }.max() ?? 0
        var text = "Coaching request \(request.requestId): \(request.state.cliName ?? "-"), priority \(request.priority.cliName ?? "-")\n\n"
            + rows.map { $0[0] + String(repeating: " ", count: width + 2 - DisplayWidth.of($0[0])) + $0[1] }.joined(separator: "\n")
        if !request.history.isEmpty {
            text += "\n\nHistory:\n" + Table(header: ["STATE", "BY", "AT", "NOTE"], rows: request.history.map { step in
                [step.state.cliName ?? "-", step.by, Format.localTime(unixMilliseconds: step.atUnixMs), step.note.isEmpty ? "" : oneLine(step.note, limit: 80)]
            }).rendered
        }
        return text
    }

    static func list(_ list: CoachingRequestList) -> String {
        let overdue = list.requests.count(where: \.overdue)
        var text = "\(EnrolmentText.plural(list.requests.count, "coaching request"))" + (overdue > 0 ? ", \(Format.count(overdue)) overdue" : "")
        guard !list.requests.isEmpty else { return text }
        text += "\n\n" + Table(
            header: ["REQUEST", "AGENT", "TEAM LEADER", "METRIC", "PRIORITY", "STATE", "TRAINER", "METHOD", "SESSIONS", "PLAN DUE", "PROBLEM"],
            rows: list.requests.map { request in
                [request.requestId, request.agentId, request.teamLeaderId, request.metricId, request.priority.cliName ?? "-",
                 request.state.cliName ?? "-", request.trainerId.isEmpty ? "-" : request.trainerId, request.method.cliName ?? "-",
                 request.sessions.isEmpty ? "-" : String(request.sessions.count),
                 request.planDueOn.isEmpty ? "-" : request.planDueOn + (request.overdue ? " OVERDUE" : ""), oneLine(request.problem, limit: 40)]
            }).rendered
        return text
    }
}

/// Prints one coaching request: JSON, or in full.
private func show(_ request: CoachingRequest, json: Bool, _ headline: String) {
    if json {
        printJSON(request.json)
    } else {
        print(headline)
        print("")
        print(CoachingText.request(request))
    }
}

/// `trainctl schedule coaching summaries MONTH [--team ID]`
struct ProblemSummariesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summaries",
        abstract: "Every coaching-tier agent's problem summary and its state for the month: missing, on time, late (ListProblemSummaries).")

    @Argument(help: "The training month, YYYY-MM (the tiers of the month before apply to it).")
    var month: String
    @Option(name: .long, help: "Only this team's agents.")
    var team: String?
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
        if let team { try validatedId(team, "--team") }
    }

    func run() async throws {
        let request = ListProblemSummariesRequest(month: month, teamId: team ?? "")
        let list = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.listProblemSummaries, request) }
        if output.json {
            printJSON(.object(["summaries": .array(list.summaries.map(\.json))]))
        } else {
            print(CoachingText.summaries(list, month: month))
        }
    }
}

/// `trainctl schedule coaching summary MONTH AGENT --by TL --summary TEXT --suggestion TEXT`
struct SubmitProblemSummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Write (or rewrite) a coaching-tier agent's problem summary and coaching suggestion (SubmitProblemSummary).",
        discussion: "Due before the 5th of the training month; the first submission decides whether it was on time.")

    @Argument(help: "The training month, YYYY-MM.")
    var month: String
    @Argument(help: "The agent id (coaching tier in the month's closed tiers).")
    var agentId: String
    @Option(name: .long, help: "The team leader who writes it.")
    var by: String
    @Option(name: .long, help: "The agent's problems, from the calls (1 to 4,000 characters).")
    var summary: String
    @Option(name: .long, help: "The suggested coaching (1 to 4,000 characters).")
    var suggestion: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
        try validatedId(by, "--by")
        try validatedText(summary, "--summary", maximum: 4_000)
        try validatedText(suggestion, "--suggestion", maximum: 4_000)
    }

    func run() async throws {
        let request = SubmitProblemSummaryRequest(month: month, agentId: agentId, teamLeaderId: by, summary: summary, suggestion: suggestion)
        let stored = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.submitProblemSummary, request) }
        if output.json {
            printJSON(stored.json)
        } else {
            print(CoachingText.summary(stored))
        }
    }
}

/// `trainctl schedule coaching plan MONTH AGENT`
struct CoachingPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "A coaching-tier agent's staged coaching plan for the month (GetCoachingPlan).")

    @Argument(help: "The training month, YYYY-MM.")
    var month: String
    @Argument(help: "The agent id.")
    var agentId: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = GetCoachingPlanRequest(month: month, agentId: agentId)
        let plan = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.getCoachingPlan, request) }
        if output.json {
            printJSON(plan.json)
        } else {
            print(CoachingText.plan(plan))
        }
    }
}

/// `trainctl schedule coaching plan-set MONTH AGENT --by SUPERVISOR --stage "TITLE|START|END|CHECKS"…`
struct SetCoachingPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan-set",
        abstract: "Set (replace) a coaching-tier agent's staged coaching plan for the month (PutCoachingPlan).",
        discussion: """
            One --stage per stage, in order (1 to 20, not overlapping): "TITLE|START|END|CHECKS" \
            with dates YYYY-MM-DD, e.g. --stage "Phrasing drills|2026-12-01|2026-12-07|10 calls checked \
            against the phrasing list". The whole plan is replaced; its version goes up by one.
            """)

    @Argument(help: "The training month, YYYY-MM.")
    var month: String
    @Argument(help: "The agent id.")
    var agentId: String
    @Option(name: .long, help: "The supervisor who sets it.")
    var by: String
    @Option(name: .customLong("stage"), help: "A stage: \"TITLE|START|END|CHECKS\" (repeat, in order).")
    var stages: [String] = []
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
        try validatedId(by, "--by")
        guard (1...20).contains(stages.count) else { throw ValidationError("give 1 to 20 --stage (got \(stages.count))") }
        for stage in stages { _ = try CoachingArguments.stage(stage) }
    }

    func run() async throws {
        let request = PutCoachingPlanRequest(month: month, agentId: agentId, supervisorId: by, stages: try stages.map(CoachingArguments.stage))
        let plan = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.putCoachingPlan, request) }
        if output.json {
            printJSON(plan.json)
        } else {
            print(CoachingText.plan(plan))
        }
    }
}

/// `trainctl schedule coaching request AGENT --by TL --problem TEXT --metric ID [--evidence ID]… --priority P`
struct RequestCoachingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "A team leader asks a trainer for one-to-one coaching of an agent (RequestCoaching).")

    @Argument(help: "The agent id.")
    var agentId: String
    @Option(name: .long, help: "The team leader who asks.")
    var by: String
    @Option(name: .long, help: "The problem, from operational data (1 to 4,000 characters).")
    var problem: String
    @Option(name: .long, help: "The metric the coaching should move.")
    var metric: String
    @Option(name: .long, help: "A call or evaluation id as evidence (repeat, up to 100).")
    var evidence: [String] = []
    @Option(name: .long, help: "low, normal or high.")
    var priority: WireEnumArgument<CoachingPriority>
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        try validatedId(agentId, "AGENT")
        try validatedId(by, "--by")
        try validatedText(problem, "--problem", maximum: 4_000)
        try validatedId(metric, "--metric")
        guard evidence.count <= 100 else { throw ValidationError("at most 100 --evidence (got \(evidence.count))") }
        for item in evidence { try validatedId(item, "--evidence") }
    }

    func run() async throws {
        let request = RequestCoachingRequest(agentId: agentId, teamLeaderId: by, problem: problem, metricId: metric, evidence: evidence,
                                             priority: priority.value)
        let stored = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.requestCoaching, request) }
        show(stored, json: output.json, "Requested coaching \(stored.requestId) for \(agentId); the trainer's plan is due on \(stored.planDueOn.isEmpty ? "-" : stored.planDueOn).")
    }
}

/// `trainctl schedule coaching schedule REQUEST_ID --trainer ID --method METHOD --session START/END…`
struct PlanCoachingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "The trainer's plan for a coaching request: the method and the one-to-one sessions (PlanCoaching).",
        discussion: """
            Each session must lie within the agent's shifts and keep the floor covered, as \
            placement does; otherwise the service refuses (FAILED_PRECONDITION, naming the \
            session). A planned request may be planned again.
            """)

    @Argument(help: "The coaching request id.")
    var requestId: String
    @Option(name: .long, help: "The trainer (or coach) who delivers it.")
    var trainer: String
    @Option(name: .long, help: "classroom, recording_review, simulation, floor_shadowing, video, audio, reading or online.")
    var method: WireEnumArgument<CourseMethod>
    @Option(name: .customLong("session"), help: "A one-to-one session START/END, local YYYY-MM-DDTHH:MM (repeat, 1 to 20).")
    var sessions: [String] = []
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        try validatedId(requestId, "REQUEST_ID")
        try validatedId(trainer, "--trainer")
        guard (1...20).contains(sessions.count) else { throw ValidationError("give 1 to 20 --session (got \(sessions.count))") }
        for session in sessions { _ = try CoachingArguments.session(session) }
    }

    func run() async throws {
        let request = PlanCoachingRequest(requestId: requestId, trainerId: trainer, method: method.value,
                                          sessions: try sessions.map(CoachingArguments.session))
        let stored = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.planCoaching, request) }
        show(stored, json: output.json, "Planned coaching \(requestId): \(EnrolmentText.plural(stored.sessions.count, "session")) with \(trainer).")
    }
}

/// `trainctl schedule coaching deliver REQUEST_ID --by ID [--notes TEXT]`
struct DeliverCoachingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Record a planned coaching as delivered; the review service then measures it (DeliverCoaching).")

    @Argument(help: "The coaching request id.")
    var requestId: String
    @Option(name: .long, help: "The coach who delivered it.")
    var by: String
    @Option(name: .long, help: "Notes, at most 4,000 characters.")
    var notes: String?
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        try validatedId(requestId, "REQUEST_ID")
        try validatedId(by, "--by")
        if let notes, notes.count > 4_000 { throw ValidationError("--notes must be at most 4,000 characters") }
    }

    func run() async throws {
        let request = DeliverCoachingRequest(requestId: requestId, deliveredBy: by, notes: notes ?? "")
        let stored = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.deliverCoaching, request) }
        show(stored, json: output.json, "Recorded coaching \(requestId) as delivered by \(by).")
    }
}

/// `trainctl schedule coaching cancel REQUEST_ID --by ID --reason TEXT`
struct CancelCoachingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a coaching request not yet delivered (CancelCoaching).")

    @Argument(help: "The coaching request id.")
    var requestId: String
    @Option(name: .long, help: "Who cancels it.")
    var by: String
    @Option(name: .long, help: "Why (1 to 2,000 characters).")
    var reason: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        try validatedId(requestId, "REQUEST_ID")
        try validatedId(by, "--by")
        try validatedText(reason, "--reason", maximum: 2_000)
    }

    func run() async throws {
        let request = CancelCoachingRequest(requestId: requestId, cancelledBy: by, reason: reason)
        let stored = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.cancelCoaching, request) }
        show(stored, json: output.json, "Cancelled coaching \(requestId).")
    }
}

/// `trainctl schedule coaching close REQUEST_ID --by ID --outcome TEXT`
struct CloseCoachingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a delivered coaching request with what the review found (CloseCoaching).",
        discussion: "The effectiveness review closes requests itself when it has measured them; this is for people who close one by hand.")

    @Argument(help: "The coaching request id.")
    var requestId: String
    @Option(name: .long, help: "Who closes it.")
    var by: String
    @Option(name: .long, help: "What the review found (1 to 2,000 characters).")
    var outcome: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        try validatedId(requestId, "REQUEST_ID")
        try validatedId(by, "--by")
        try validatedText(outcome, "--outcome", maximum: 2_000)
    }

    func run() async throws {
        let request = CloseCoachingRequest(requestId: requestId, closedBy: by, outcome: outcome)
        let stored = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.closeCoaching, request) }
        show(stored, json: output.json, "Closed coaching \(requestId).")
    }
}

/// `trainctl schedule coaching list [--state S] [--agent ID] [--overdue]`
struct ListCoachingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Coaching requests, oldest first (ListCoachingRequests).",
        discussion: "--overdue: only requests still waiting for the trainer's plan after its due date.")

    @Option(name: .long, help: "requested, planned, delivered, closed or cancelled.")
    var state: WireEnumArgument<CoachingRequestState>?
    @Option(name: .long, help: "Only this agent's requests.")
    var agent: String?
    @Flag(name: .long, help: "Only overdue requests.")
    var overdue = false
    @OptionGroup var output: TableOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        if let agent { try validatedId(agent, "--agent") }
    }

    func run() async throws {
        let request = ListCoachingRequestsRequest(state: state?.value ?? .unspecified, agentId: agent ?? "", overdueOnly: overdue)
        let list = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.listCoachingRequests, request) }
        if output.json {
            printJSON(list.json)
        } else if output.csv {
            print(CSVWriter.document(
                header: ["request_id", "agent_id", "team_leader_id", "metric_id", "priority", "state", "trainer_id", "method",
                         "sessions", "plan_due_on", "overdue", "problem"],
                rows: list.requests.map { request in
                    [request.requestId, request.agentId, request.teamLeaderId, request.metricId, request.priority.cliName ?? "",
                     request.state.cliName ?? "", request.trainerId, request.method.cliName ?? "", String(request.sessions.count),
                     request.planDueOn, String(request.overdue), request.problem]
                }))
        } else {
            print(CoachingText.list(list))
        }
    }
}
