import ArgumentParser
import RPCRuntime
import TrainingWire

/// `trainctl schedule draft MONTH FILE`
struct DraftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Replace a month's draft plan with the sessions of a CSV file (DraftSessions).",
        discussion: """
            Columns: session_id, course_id, trainer_id, start, end (local YYYY-MM-DDTHH:MM), \
            capacity; optional room_id (empty: no room). The file is the whole draft: if any \
            line cannot be read, or the service refuses a field, nothing is stored and every \
            problem is listed with its line. The plan's rules are checked by validate and publish.
            """)

    @Argument(help: "The month of the plan, YYYY-MM.")
    var month: String
    @Argument(help: "The sessions CSV file.")
    var file: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let input = try loadInput { () throws(InputFileError) in try SessionCSV.parse(path: file, bytes: try InputFiles.read(file)) }
        for note in input.notes { StandardError.line("note: \(input.path): \(note)") }
        let unreadable = input.records.filter { $0.message == nil }
        guard unreadable.isEmpty else {
            StandardError.line("error: \(input.path): \(unreadable.count) of \(input.records.count) session"
                + "\(input.records.count == 1 ? "" : "s") cannot be read; nothing was sent (the file replaces the whole draft):")
            for record in unreadable {
                for error in record.errors { StandardError.line("  " + Self.position(input.path, record.line, error.field, error.reason)) }
            }
            throw ExitCode.failure
        }
        let request = DraftSessionsRequest(month: month, sessions: input.records.compactMap(\.message))
        let lines = input.records.map(\.line)
        let method = TrainingSchedulingMethods.draftSessions
        let response = try await withService(endpoint) { session in
            do {
                return try await session.callReportingNothing(method, request)
            } catch let error as RPCError where error.code == .invalidArgument && !error.violations.isEmpty {
                // "sessions[3].start": the line of the file that session came from.
                StandardError.line("error: DraftSessions: INVALID_ARGUMENT: nothing was stored:")
                for violation in error.violations {
                    if let (index, field) = Self.sessionIndex(violation.subject), lines.indices.contains(index) {
                        StandardError.line("  " + Self.position(input.path, lines[index], field, violation.description))
                    } else {
                        StandardError.line("  \(violation.subject.isEmpty ? "(request)" : violation.subject): \(violation.description)")
                    }
                }
                throw ExitCode.failure
            } catch {
                ServiceSession.report(error, method: method.path)
                throw ExitCode.failure
            }
        }
        if output.json {
            printJSON(.object(["month": .string(month), "file": .string(input.path), "sessions": .integer(Int64(response.sessions))]))
        } else {
            print("Drafted \(month) from \(input.path): \(Format.count(response.sessions)) session\(response.sessions == 1 ? "" : "s") "
                + "(the month's whole draft). Check it with `trainctl schedule validate \(month)`.")
        }
    }

    /// "sessions.csv line 4: start: must be …"
    static func position(_ path: String, _ line: Int, _ field: String, _ reason: String) -> String {
        "\(path) line \(line): " + (field.isEmpty ? reason : "\(field): \(reason)")
    }

    /// "sessions[3].start" → (3, "start").
    static func sessionIndex(_ subject: String) -> (Int, String)? {
        guard subject.hasPrefix("sessions["), let close = subject.firstIndex(of: "]"),
              let index = Int(subject[subject.index(subject.startIndex, offsetBy: 9)..<close]) else { return nil }
        var rest = subject[subject.index(after: close)...]
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        return (index, String(rest))
    }
}

/// `trainctl schedule validate MONTH`
struct ValidatePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a month's draft as publishing would, without publishing it (ValidateMonthlyPlan).",
        discussion: "Lists every violation of the plan's rules with the sessions involved; exits 2 when there is any.")

    @Argument(help: "The drafted month, YYYY-MM.")
    var month: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = ValidateMonthlyPlanRequest(month: month)
        let response = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.validateMonthlyPlan, request) }
        let violations = response.violations.map(PlanViolation.init)
        if output.json {
            printJSON(.object([
                "month": .string(month), "sessions": .integer(Int64(response.sessions)), "publishable": .bool(violations.isEmpty),
                "violations": .array(violations.map(\.json)),
            ]))
        } else if violations.isEmpty {
            print("The draft of \(month) (\(Format.count(response.sessions)) sessions) breaks no rule: it can be published.")
        } else {
            print("The draft of \(month) (\(Format.count(response.sessions)) sessions) breaks \(violations.count) "
                + "rule\(violations.count == 1 ? "" : "s"); publishing it would be refused:")
            print("")
            print(PlanViolation.table(violations))
        }
        if !violations.isEmpty { throw planBreaksRules }
    }
}

/// `trainctl schedule publish MONTH`
struct PublishPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish a month's draft: check it and freeze it (PublishMonthlyPlan).",
        discussion: """
            When the draft breaks rules nothing is published: every violation is listed with \
            the sessions involved and the command exits 2.
            """)

    @Argument(help: "The drafted month, YYYY-MM.")
    var month: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = PublishMonthlyPlanRequest(month: month)
        let result = try await withService(endpoint) { session in
            try await callAllowingPlanViolations(session, TrainingSchedulingMethods.publishMonthlyPlan, request)
        }
        switch result {
        case .success(let response):
            if output.json {
                printJSON(.object([
                    "month": .string(month), "published": .bool(true), "sessions": .integer(Int64(response.sessions)),
                    "published_at_unix_ms": .integer(response.publishedAtUnixMs), "published_at": instantJSON(response.publishedAtUnixMs),
                    "violations": .array([]),
                ]))
            } else {
                print("Published \(month): \(Format.count(response.sessions)) session\(response.sessions == 1 ? "" : "s"), "
                    + "frozen at \(Format.localTime(unixMilliseconds: response.publishedAtUnixMs)).")
            }
        case .failure(let refusal):
            let violations = refusal.violations
            if output.json {
                printJSON(.object([
                    "month": .string(month), "published": .bool(false), "sessions": .null,
                    "published_at_unix_ms": .null, "published_at": .null, "violations": .array(violations.map(\.json)),
                ]))
            } else {
                print("\(month) was not published: the draft breaks \(violations.count) rule\(violations.count == 1 ? "" : "s"):")
                print("")
                print(PlanViolation.table(violations))
            }
            StandardError.line("error: PublishMonthlyPlan: FAILED_PRECONDITION: \(violations.count) violation"
                + "\(violations.count == 1 ? "" : "s"); fix the draft (`trainctl schedule draft \(month) FILE`) and publish again")
            throw planBreaksRules
        }
    }
}

/// `trainctl schedule plan MONTH`
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show a month's plan: the published one, else the draft (GetMonthlyPlan).",
        discussion: "--csv prints the sessions in the draft file's format, ready to edit and draft again.")

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @OptionGroup var output: TableOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = GetMonthlyPlanRequest(month: month)
        let plan = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.getMonthlyPlan, request) }
        if output.json {
            printJSON(plan.json)
            return
        }
        if output.csv {
            print(CSVWriter.document(header: SessionCSV.columns, rows: plan.sessions.map(SessionCSV.row)))
            return
        }
        let state = plan.state == .published
            ? "published \(Format.localTime(unixMilliseconds: plan.publishedAtUnixMs)) (frozen)" : "draft (not published)"
        print("Plan of \(plan.month): \(state), \(Format.count(plan.sessions.count)) session\(plan.sessions.count == 1 ? "" : "s")")
        guard !plan.sessions.isEmpty else { return }
        print("")
        print(Table(header: ["SESSION", "COURSE", "TRAINER", "ROOM", "TIME", "CAPACITY"], rows: plan.sessions.map { session in
            [session.sessionId, session.courseId, session.trainerId, session.roomId.isEmpty ? "-" : session.roomId,
             LocalDateTime.span(session.start, session.end), String(session.capacity)]
        }).rendered)
    }
}
