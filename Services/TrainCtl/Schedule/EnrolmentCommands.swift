import ArgumentParser
import TrainingWire

/// Text renderings shared by the enrolment commands.
enum EnrolmentText {
    static func summary(_ summary: EnrolmentSummary) -> String {
        let basis = summary.basis.cliName ?? "-"
        let built = summary.builtAtUnixMs == 0 ? "" : ", built \(Format.localTime(unixMilliseconds: summary.builtAtUnixMs))"
        let head = "Enrolment of \(summary.month): \(basis) tiers"
            + (summary.tiersFrom.isEmpty ? "" : " (\(summary.tiersFrom))") + built
        let table = Table(header: ["", "COUNT"], rows: [
            ["bound demands (agents × courses that bind them)", Format.count(summary.bound)],
            ["  with a seat", Format.count(summary.placedBound)],
            ["  without a seat (unplaced)", Format.count(summary.unplaced)],
            ["volunteers with a seat", Format.count(summary.placedVoluntary)],
            ["volunteers on a waiting list", Format.count(summary.waiting)],
            ["seats kept from the run before", Format.count(summary.kept)],
            ["seats newly placed", Format.count(summary.newlyPlaced)],
            ["seats given up", Format.count(summary.dropped)],
            ["agents whose tier or onboarding changed", Format.count(summary.standingChanges)],
        ])
        return head + "\n\n" + table.rendered
    }

    /// A seat: required or voluntary, and whether the agent's own team leader is in it.
    static func attendance(_ enrolment: Enrolment) -> String {
        (enrolment.requirement.cliName ?? "-") + (enrolment.withOwnTeamLeader ? " (with own team leader)" : "")
    }

    /// An agent's (`withAgent` false) or a team's month: seats, unplaced courses, waiting lists.
    static func schedule(_ response: ScheduleResponse, title: String, withAgent: Bool) -> String {
        var parts = ["\(title) in \(response.month): \(plural(response.enrolments.count, "seat")), "
            + "\(plural(response.unplaced.count, "course")) unplaced, \(plural(response.waiting.count, "waiting-list place"))"]
        let agent: ([String]) -> [String] = { withAgent ? $0 : Array($0.dropFirst()) }
        if !response.enrolments.isEmpty {
            parts.append(Table(
                header: agent(["AGENT", "TIME", "COURSE", "SESSION", "TRAINER", "ROOM", "ATTENDANCE"]),
                rows: response.enrolments.map { enrolment in
                    agent([enrolment.agentId, LocalDateTime.span(enrolment.start, enrolment.end), enrolment.courseId, enrolment.sessionId,
                           enrolment.trainerId, enrolment.roomId.isEmpty ? "-" : enrolment.roomId, attendance(enrolment)])
                }).rendered)
        }
        if !response.unplaced.isEmpty {
            parts.append("Unplaced:\n" + Table(header: agent(["AGENT", "COURSE", "REASON"]), rows: response.unplaced.map { unplaced in
                agent([unplaced.agentId, unplaced.courseId, unplaced.reason.cliName ?? "-"])
            }).rendered)
        }
        if !response.waiting.isEmpty {
            parts.append("Waiting lists:\n" + waiting(response.waiting, withAgent: withAgent, withSession: true))
        }
        return parts.joined(separator: "\n\n")
    }

    static func waiting(_ entries: [WaitingEntry], withAgent: Bool, withSession: Bool) -> String {
        Table(
            header: ["POSITION"] + (withAgent ? ["AGENT"] : []) + (withSession ? ["SESSION", "COURSE"] : []) + ["SIGNED UP"],
            rows: entries.map { entry in
                [String(entry.position)] + (withAgent ? [entry.agentId] : []) + (withSession ? [entry.sessionId, entry.courseId] : [])
                    + [Format.localTime(unixMilliseconds: entry.signedUpAtUnixMs)]
            }).rendered
    }

    /// "3 seats", "1 seat".
    static func plural(_ count: Int, _ noun: String) -> String {
        "\(Format.count(count)) \(noun)\(count == 1 ? "" : "s")"
    }

    /// What a cancellation or a move did to the participants.
    static func change(_ response: SessionChangeResponse) -> String {
        var lines = ["\(plural(response.keptAgentIds.count, "participant")) kept, "
            + "\(Format.count(response.replacedAgentIds.count)) moved to another session of the course, "
            + "\(Format.count(response.unplacedAgentIds.count)) without a session now"]
        for (label, ids) in [("Kept", response.keptAgentIds), ("In another session", response.replacedAgentIds),
                             ("Without a session", response.unplacedAgentIds)] where !ids.isEmpty {
            lines.append("  \(label): " + ids.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

/// `trainctl schedule enrol MONTH`
struct EnrolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrol",
        abstract: "Place (or place again) a published month's enrolment from the tiers (BuildEnrolment).",
        discussion: """
            Uses the closed tiers of the month before when the intake has closed it, else its \
            month-to-date tiers. Seats of the previous run that are still valid are kept. \
            `trainctl schedule enrolment MONTH` lists who could not be placed and why.
            """)

    @Argument(help: "The month of the sessions, YYYY-MM.")
    var month: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = BuildEnrolmentRequest(month: month)
        let summary = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.buildEnrolment, request) }
        if output.json {
            printJSON(summary.json)
        } else {
            print(EnrolmentText.summary(summary))
        }
    }
}

/// `trainctl schedule enrolment MONTH [--limit N]`
struct EnrolmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrolment",
        abstract: "A month's enrolment: its figures and every bound agent without a seat, with the reason (GetEnrolment).")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Option(name: .long, help: "Rows of the unplaced table at most (0: all). --json and --csv list all.")
    var limit = 50
    @OptionGroup var output: TableOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
        guard limit >= 0 else { throw ValidationError("--limit must be 0 (all) or more") }
    }

    func run() async throws {
        let request = GetEnrolmentRequest(month: month)
        let response = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.getEnrolment, request) }
        if output.json {
            printJSON(response.json)
            return
        }
        if output.csv {
            print(CSVWriter.document(header: ["month", "agent_id", "team_id", "course_id", "reason"], rows: response.unplaced.map { unplaced in
                [month, unplaced.agentId, unplaced.teamId, unplaced.courseId, unplaced.reason.cliName ?? ""]
            }))
            return
        }
        if let summary = response.summary { print(EnrolmentText.summary(summary)) }
        guard !response.unplaced.isEmpty else { return }
        var byReason: [UnplacedReason: Int] = [:]
        for unplaced in response.unplaced { byReason[unplaced.reason, default: 0] += 1 }
        print("")
        print("Unplaced: " + UnplacedReason.allCases.compactMap { reason in
            byReason[reason].map { "\(reason.cliName ?? "unspecified") \(Format.count($0))" }
        }.joined(separator: " · "))
        let shown = limit == 0 ? response.unplaced : Array(response.unplaced.prefix(limit))
        print(Table(header: ["AGENT", "TEAM", "COURSE", "REASON"], rows: shown.map { unplaced in
            [unplaced.agentId, unplaced.teamId.isEmpty ? "-" : unplaced.teamId, unplaced.courseId, unplaced.reason.cliName ?? "-"]
        }).rendered)
        if shown.count < response.unplaced.count {
            print("… and \(Format.count(response.unplaced.count - shown.count)) more (--limit 0 lists all)")
        }
    }
}

/// `trainctl schedule agent MONTH AGENT_ID`
struct AgentScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "An agent's month: seats, courses without a seat, waiting lists (GetAgentSchedule).")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Argument(help: "The agent id.")
    var agentId: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = GetAgentScheduleRequest(month: month, agentId: agentId)
        let response = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.getAgentSchedule, request) }
        if output.json {
            printJSON(response.json)
        } else {
            print(EnrolmentText.schedule(response, title: agentId, withAgent: false))
        }
    }
}

/// `trainctl schedule team MONTH TEAM_ID`
struct TeamScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "A team's month, every agent of it (GetTeamSchedule).")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Argument(help: "The team id.")
    var teamId: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = GetTeamScheduleRequest(month: month, teamId: teamId)
        let response = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.getTeamSchedule, request) }
        if output.json {
            printJSON(response.json)
        } else {
            print(EnrolmentText.schedule(response, title: "Team \(teamId)", withAgent: true))
        }
    }
}

/// `trainctl schedule session MONTH SESSION_ID`
struct SessionScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "A published session's participants and waiting list (GetSessionSchedule).")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Argument(help: "The session id.")
    var sessionId: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = GetSessionScheduleRequest(month: month, sessionId: sessionId)
        let response = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.getSessionSchedule, request) }
        if output.json {
            printJSON(response.json)
            return
        }
        let session = response.session ?? PlannedSession(sessionId: sessionId)
        print("Session \(session.sessionId) of \(month): \(session.courseId) with \(session.trainerId)"
            + (session.roomId.isEmpty ? "" : " in \(session.roomId)") + ", \(LocalDateTime.span(session.start, session.end)); "
            + "\(EnrolmentText.plural(Int(session.capacity), "seat")), \(Format.count(response.seatsFree)) free"
            + (response.cancelled ? "; CANCELLED: \(response.cancelReason)" : ""))
        if !response.participants.isEmpty {
            print("")
            print(Table(header: ["AGENT", "TEAM", "ATTENDANCE", "PLACED"], rows: response.participants.map { enrolment in
                [enrolment.agentId, enrolment.teamId.isEmpty ? "-" : enrolment.teamId, EnrolmentText.attendance(enrolment),
                 Format.localTime(unixMilliseconds: enrolment.placedAtUnixMs)]
            }).rendered)
        }
        if !response.waiting.isEmpty {
            print("")
            print("Waiting list:")
            print(EnrolmentText.waiting(response.waiting, withAgent: true, withSession: false))
        }
    }
}

/// `trainctl schedule sign-up MONTH SESSION_ID AGENT_ID`
struct SignUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-up",
        abstract: "Sign a volunteer up for a session, or its waiting list when it is full (SignUp).")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Argument(help: "The session id.")
    var sessionId: String
    @Argument(help: "The agent id.")
    var agentId: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = SignUpRequest(month: month, sessionId: sessionId, agentId: agentId)
        let response = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.signUp, request) }
        let waits = response.outcome == .signUpWaiting || response.outcome == .signUpAlreadyWaiting
        if output.json {
            printJSON(.object([
                "month": .string(month), "session_id": .string(sessionId), "agent_id": .string(agentId),
                "outcome": response.outcome.json, "waiting_position": waits ? .integer(Int64(response.waitingPosition)) : .null,
            ]))
            return
        }
        switch response.outcome {
        case .signUpEnrolled: print("\(agentId) has a seat in \(sessionId).")
        case .signUpWaiting: print("\(sessionId) is full: \(agentId) is number \(response.waitingPosition) on its waiting list.")
        case .signUpAlreadyEnrolled: print("\(agentId) already has a seat in \(sessionId); nothing changed.")
        case .signUpAlreadyWaiting: print("\(agentId) is already number \(response.waitingPosition) on the waiting list of \(sessionId); nothing changed.")
        case .unspecified: print("\(sessionId): the service gave no outcome.")
        }
    }
}

/// `trainctl schedule withdraw MONTH SESSION_ID AGENT_ID`
struct WithdrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "Withdraw a volunteer from a session or its waiting list (Withdraw).")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Argument(help: "The session id.")
    var sessionId: String
    @Argument(help: "The agent id.")
    var agentId: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = WithdrawRequest(month: month, sessionId: sessionId, agentId: agentId)
        let response = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.withdraw, request) }
        if output.json {
            printJSON(.object([
                "month": .string(month), "session_id": .string(sessionId), "agent_id": .string(agentId),
                "was_waiting": .bool(response.wasWaiting), "promoted_agent_ids": .array(response.promotedAgentIds.map(JSONValue.string)),
            ]))
            return
        }
        print("Withdrew \(agentId) from \(response.wasWaiting ? "the waiting list of " : "")\(sessionId)."
            + (response.promotedAgentIds.isEmpty ? "" : " Now in a seat: " + response.promotedAgentIds.joined(separator: ", ") + "."))
    }
}

/// `trainctl schedule cancel MONTH SESSION_ID --reason TEXT`
struct CancelSessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a published session and place its participants again (CancelSession).")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Argument(help: "The session id.")
    var sessionId: String
    @Option(name: .long, help: "Why, told to the participants (1 to 500 characters).")
    var reason: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
        guard !reason.trimmingSpaces.isEmpty else { throw ValidationError("--reason must say why (it is told to the participants)") }
        guard reason.count <= 500 else { throw ValidationError("--reason must be at most 500 characters") }
    }

    func run() async throws {
        let request = CancelSessionRequest(month: month, sessionId: sessionId, reason: reason)
        let response = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.cancelSession, request) }
        if output.json {
            printJSON(.object([
                "month": .string(month), "session_id": .string(sessionId), "cancelled": .bool(true), "reason": .string(reason),
                "change": response.json,
            ]))
        } else {
            print("Cancelled \(sessionId) of \(month): " + EnrolmentText.change(response))
            if !response.unplacedAgentIds.isEmpty { print("`trainctl schedule enrolment \(month)` lists every bound agent without a seat.") }
        }
    }
}

/// `trainctl schedule move MONTH SESSION_ID START END`
struct MoveSessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Move a published session to another time; participants who no longer fit are placed again (MoveSession).",
        discussion: "When the session would break the plan's rules at the new time nothing changes: every violation is listed and the command exits 2.")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Argument(help: "The session id.")
    var sessionId: String
    @Argument(help: "The new start, local YYYY-MM-DDTHH:MM.")
    var start: String
    @Argument(help: "The new end, local YYYY-MM-DDTHH:MM.")
    var end: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
        guard let first = LocalDateTime(try validatedLocalTime(start, "START")),
              let last = LocalDateTime(try validatedLocalTime(end, "END")), first < last else {
            throw ValidationError("END must be after START")
        }
    }

    func run() async throws {
        let request = MoveSessionRequest(month: month, sessionId: sessionId, start: start, end: end)
        let result = try await withService(endpoint) { session in
            try await callAllowingPlanViolations(session, TrainingSchedulingMethods.moveSession, request)
        }
        switch result {
        case .success(let response):
            if output.json {
                printJSON(.object([
                    "month": .string(month), "session_id": .string(sessionId), "moved": .bool(true), "start": .string(start),
                    "end": .string(end), "change": response.json, "violations": .array([]),
                ]))
            } else {
                print("Moved \(sessionId) of \(month) to \(LocalDateTime.span(start, end)): " + EnrolmentText.change(response))
            }
        case .failure(let refusal):
            if output.json {
                printJSON(.object([
                    "month": .string(month), "session_id": .string(sessionId), "moved": .bool(false), "start": .string(start),
                    "end": .string(end), "change": .null, "violations": .array(refusal.violations.map(\.json)),
                ]))
            } else {
                print("\(sessionId) was not moved: at \(LocalDateTime.span(start, end)) it would break "
                    + "\(refusal.violations.count) rule\(refusal.violations.count == 1 ? "" : "s"):")
                print("")
                print(PlanViolation.table(refusal.violations))
            }
            StandardError.line("error: MoveSession: FAILED_PRECONDITION: \(refusal.violations.count) violation"
                + "\(refusal.violations.count == 1 ? "" : "s"); nothing changed")
            throw planBreaksRules
        }
    }
}

/// `trainctl schedule what-if MONTH [--session ID] [--start T --end T] AGENT_ID…`
struct WhatIfCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "what-if",
        abstract: "The floor in each interval if these agents joined a session, or spent a time in training (WhatIf).",
        discussion: """
            Give --session (a session of the plan; with --start and --end, a candidate new time \
            for it) or --start and --end alone. Forecast queues show agents on the floor against \
            the Erlang C requirement and the service level they would give; teams without a \
            forecast show agents in training against the share allowed.
            """)

    @Argument(help: "The month of the enrolment, YYYY-MM.")
    var month: String
    @Argument(help: "The agents (1 to 1,000) who would attend.")
    var agentIds: [String] = []
    @Option(name: .long, help: "A session of the month's plan.")
    var session: String?
    @Option(name: .long, help: "Start, local YYYY-MM-DDTHH:MM (with --end).")
    var start: String?
    @Option(name: .long, help: "End, local YYYY-MM-DDTHH:MM (with --start).")
    var end: String?
    @OptionGroup var output: TableOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
        guard (1...1_000).contains(agentIds.count) else { throw ValidationError("name 1 to 1,000 agents (got \(agentIds.count))") }
        guard (start == nil) == (end == nil) else { throw ValidationError("give --start and --end together") }
        guard session != nil || start != nil else { throw ValidationError("give --session, or --start and --end") }
        if let start, let end {
            guard let first = LocalDateTime(try validatedLocalTime(start, "--start")),
                  let last = LocalDateTime(try validatedLocalTime(end, "--end")), first < last else {
                throw ValidationError("--end must be after --start")
            }
        }
    }

    func run() async throws {
        let request = WhatIfRequest(month: month, sessionId: session ?? "", start: start ?? "", end: end ?? "", agentIds: agentIds)
        let response = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.whatIf, request) }
        if output.json {
            printJSON(.object([
                "month": .string(month), "session_id": session.map(JSONValue.string) ?? .null,
                "start": start.map(JSONValue.string) ?? .null, "end": end.map(JSONValue.string) ?? .null,
                "agent_ids": .array(agentIds.map(JSONValue.string)), "keeps_coverage": .bool(response.keepsCoverage),
                "intervals": .array(response.intervals.map(\.json)),
            ]))
            return
        }
        if output.csv {
            print(CSVWriter.document(
                header: ["interval_start", "queue_id", "on_floor", "required", "service_level", "team_id", "on_shift",
                         "in_training", "allowed_in_training", "keeps_coverage"],
                rows: response.intervals.map { interval in
                    let isQueue = !interval.queueId.isEmpty
                    return [interval.intervalStart, interval.queueId, isQueue ? String(interval.onFloor) : "",
                            isQueue ? String(interval.required) : "", isQueue ? JSONValue.format(interval.serviceLevel) : "",
                            interval.teamId, isQueue ? "" : String(interval.onShift), isQueue ? "" : String(interval.inTraining),
                            isQueue ? "" : String(interval.allowedInTraining), String(interval.keepsCoverage)]
                }))
            return
        }
        let what = session.map { "session \($0)" + (start.map { " moved to \(LocalDateTime.span($0, end ?? ""))" } ?? "") }
            ?? LocalDateTime.span(start ?? "", end ?? "")
        let broken = response.intervals.filter { !$0.keepsCoverage }.count
        print("If \(EnrolmentText.plural(agentIds.count, "agent")) joined \(what) in \(month): "
            + (response.keepsCoverage ? "every interval keeps its coverage"
                : "\(EnrolmentText.plural(broken, "interval")) would break coverage"))
        guard !response.intervals.isEmpty else { return }
        print("")
        print(Table(
            header: ["INTERVAL", "QUEUE/TEAM", "ON FLOOR", "REQUIRED", "SERVICE LEVEL", "ON SHIFT", "IN TRAINING", "ALLOWED", "COVERAGE"],
            rows: response.intervals.map { interval in
                let start = LocalDateTime(interval.intervalStart).map { "\($0.date) \($0.timeOfDay)" } ?? interval.intervalStart
                let coverage = interval.keepsCoverage ? "kept" : "BROKEN"
                if !interval.queueId.isEmpty {
                    return [start, "queue \(interval.queueId)", String(interval.onFloor), String(interval.required),
                            Format.fixed(interval.serviceLevel * 100, 1) + "%", "-", "-", "-", coverage]
                }
                return [start, "team \(interval.teamId)", "-", "-", "-", String(interval.onShift), String(interval.inTraining),
                        String(interval.allowedInTraining), coverage]
            }).rendered)
    }
}
