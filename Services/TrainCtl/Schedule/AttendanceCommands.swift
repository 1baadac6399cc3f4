import ArgumentParser
import TrainingWire

/// The records of `trainctl schedule attendance`: from an attendance CSV file (agent_id,
/// status, reason) or from arguments `AGENT=STATUS[:REASON]`. Each is checked for its form
/// (an agent, one of the four statuses, a reason for an excused absence, one record per
/// agent); whether the agent is a participant is the service's to say.
enum AttendanceInput {
    static let requiredColumns = ["agent_id", "status"]
    static let optionalColumns = ["reason"]
    /// The contract's limits: records per call, characters of a reason.
    static let largestBatch = 1_000
    static let longestReason = 500

    /// Every problem of the arguments, one per line, for a usage error.
    struct ArgumentError: Error, Sendable, Equatable, CustomStringConvertible {
        var problems: [String]
        var description: String { problems.joined(separator: "\n") }
    }

    /// A single argument without "=" is a file; otherwise every argument is a record.
    static func isFile(_ arguments: [String]) -> Bool {
        arguments.count == 1 && !arguments[0].contains("=")
    }

    /// `A1=present`, `A2=late:the bus`, `A3=excused:doctor's appointment` (the reason is
    /// everything after the first ':' and may hold more). Statuses: present, late, absent,
    /// excused (or the contract's names, in any case).
    static func parse(arguments: [String]) throws(ArgumentError) -> [AttendanceRecord] {
        var records: [AttendanceRecord] = []
        var problems: [String] = []
        var seen: [String: String] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                problems.append("\(argument): expected AGENT=STATUS[:REASON], e.g. A10016=present or A10017=excused:sick leave"
                    + (arguments.count > 1 ? " (a CSV file is given alone)" : ""))
                continue
            }
            let agentId = argument[..<equals].trimmingSpaces
            let rest = argument[argument.index(after: equals)...]
            let statusText: String, reason: String
            if let colon = rest.firstIndex(of: ":") {
                statusText = rest[..<colon].trimmingSpaces
                reason = rest[rest.index(after: colon)...].trimmingSpaces
            } else {
                statusText = rest.trimmingSpaces
                reason = ""
            }
            var record = AttendanceRecord(agentId: agentId, reason: reason)
            var errors: [String] = []
            if agentId.isEmpty { errors.append("names no agent") }
            if let status = AttendanceStatus(cliName: statusText) {
                record.status = status
            } else {
                errors.append("status must be one of \(AttendanceStatus.cliNames.joined(separator: ", ")) (got \"\(statusText)\")")
            }
            errors += reasonProblems(status: record.status, reason: reason)
            if !agentId.isEmpty, let earlier = seen[agentId] {
                errors.append("\(agentId) is already given (\(earlier)): one record per agent")
            } else if !agentId.isEmpty {
                seen[agentId] = argument
            }
            if errors.isEmpty {
                records.append(record)
            } else {
                problems += errors.map { "\(argument): \($0)" }
            }
        }
        if records.count + (problems.isEmpty ? 0 : 1) > largestBatch {
            problems.append("at most \(Format.count(largestBatch)) records per call (got \(Format.count(arguments.count)))")
        }
        guard problems.isEmpty else { throw ArgumentError(problems: problems) }
        return records
    }

    /// attendance.csv: one agent of the session per line. A line naming an agent an earlier
    /// line named is rejected (one record per agent).
    static func parse(path: String, bytes: [UInt8]) throws(InputFileError) -> InputFile<AttendanceRecord> {
        var file = try InputFiles.csv(
            path: path, bytes: bytes, map: FieldMap(), required: requiredColumns, known: requiredColumns + optionalColumns,
            renamable: false
        ) { fields -> (id: String, message: AttendanceRecord?) in
            let agentId = fields.string("agent_id").trimmingSpaces
            let status = fields.choice("status", as: AttendanceStatus.self)
            let reason = fields.string("reason", required: false).trimmingSpaces
            for problem in reasonProblems(status: status ?? .unspecified, reason: reason) { fields.fail("reason", problem) }
            return (agentId, AttendanceRecord(agentId: agentId, status: status ?? .unspecified, reason: reason))
        }
        var firstLine: [String: Int] = [:]
        for index in file.records.indices where !file.records[index].id.isEmpty {
            let record = file.records[index]
            if let line = firstLine[record.id] {
                file.records[index].message = nil
                file.records[index].errors.append(FieldError(field: "agent_id", reason: "\(record.id) is already on line \(line): one record per agent"))
            } else {
                firstLine[record.id] = record.line
            }
        }
        return file
    }

    private static func reasonProblems(status: AttendanceStatus, reason: String) -> [String] {
        var problems: [String] = []
        if status == .attendanceExcused, reason.isEmpty { problems.append("an excused absence needs a reason") }
        if reason.count > longestReason { problems.append("the reason must be at most \(longestReason) characters") }
        return problems
    }
}

/// `trainctl schedule attendance MONTH SESSION --by TRAINER (FILE | AGENT=STATUS[:REASON]…)`
struct AttendanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "Record (or correct) the attendance of a session that has started (RecordAttendance).",
        discussion: """
            Give a CSV file (agent_id, status, reason; status present|late|absent|excused, a \
            reason required for excused) or records as AGENT=STATUS[:REASON] arguments. Prints \
            each record's outcome, whether the session is complete (every participant has a \
            record: its records are then final), and the required agents absent without excuse \
            who were placed again in a later session. Lines that cannot be read are not sent; \
            --strict exits 2 when any record was rejected, by trainctl or by the service.
            """)

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @Argument(help: "The session id.")
    var sessionId: String
    @Argument(help: "An attendance CSV file, or records AGENT=STATUS[:REASON] (1 to 1,000).")
    var inputs: [String] = []
    @Option(name: .long, help: "The trainer who records it.")
    var by: String
    @Flag(name: .long, help: "Exit 2 if any record was rejected (by trainctl or by the service).")
    var strict = false
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
        try validatedId(by, "--by")
        guard !inputs.isEmpty else { throw ValidationError("give an attendance CSV file, or records AGENT=STATUS[:REASON]") }
        if !AttendanceInput.isFile(inputs) {
            do {
                _ = try AttendanceInput.parse(arguments: inputs)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    /// One input record and what became of it.
    struct Row {
        var line: Int?
        var agentId: String
        var status: AttendanceStatus
        var result: RecordResult?
        var localErrors: [FieldError]
    }

    func run() async throws {
        var rows: [Row] = []
        var records: [AttendanceRecord] = []
        var rowOfRecord: [Int] = []  // the row of each record sent
        var path: String?
        if AttendanceInput.isFile(inputs) {
            let file = inputs[0]
            let input = try loadInput { () throws(InputFileError) in try AttendanceInput.parse(path: file, bytes: try InputFiles.read(file)) }
            for note in input.notes { StandardError.line("note: \(input.path): \(note)") }
            path = input.path
            for record in input.records {
                if let message = record.message {
                    records.append(message)
                    rowOfRecord.append(rows.count)
                }
                rows.append(Row(line: record.line, agentId: record.message?.agentId ?? record.id,
                                status: record.message?.status ?? .unspecified, localErrors: record.errors))
            }
            guard records.count <= AttendanceInput.largestBatch else {
                StandardError.line("error: \(input.path): \(Format.count(records.count)) records; a call takes at most "
                    + "\(Format.count(AttendanceInput.largestBatch)). Nothing was sent.")
                throw ExitCode.failure
            }
        } else {
            records = try AttendanceInput.parse(arguments: inputs)  // checked by validate()
            rowOfRecord = Array(records.indices)
            rows = records.map { Row(agentId: $0.agentId, status: $0.status, localErrors: []) }
        }

        var response: RecordAttendanceResponse?
        if !records.isEmpty {
            let request = RecordAttendanceRequest(month: month, sessionId: sessionId, records: records, recordedBy: by)
            let answer = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.recordAttendance, request) }
            for result in answer.results?.results ?? [] where rowOfRecord.indices.contains(Int(result.index)) {
                rows[rowOfRecord[Int(result.index)]].result = result
            }
            response = answer
        }
        let rejected = rows.count(where: { !$0.localErrors.isEmpty || $0.result?.outcome == .rejected })
        if output.json {
            printJSON(Self.json(month: month, sessionId: sessionId, by: by, file: path, rows: rows, response: response))
        } else {
            print(Self.text(month: month, sessionId: sessionId, file: path, rows: rows, response: response))
        }
        if response == nil { StandardError.line("error: no record can be sent; nothing was sent") }
        if strict, rejected > 0 { throw ExitCode(2) }
    }

    static func outcome(_ row: Row) -> String {
        if !row.localErrors.isEmpty { return "rejected" }
        switch row.result?.outcome {
        case .accepted?: return "recorded"
        case .replaced?: return "corrected"
        case .duplicate?: return "unchanged"
        case .rejected?: return "rejected"
        case nil: return "not answered"
        case let other?: return other.cliName ?? "-"
        }
    }

    static func detail(_ row: Row) -> String {
        if !row.localErrors.isEmpty {
            return row.localErrors.map { $0.field.isEmpty ? $0.reason : "\($0.field): \($0.reason)" }.joined(separator: "; ")
        }
        return ScheduleRecords.problems(row.result?.violations ?? [])
    }

    static func text(month: String, sessionId: String, file: String?, rows: [Row], response: RecordAttendanceResponse?) -> String {
        let counts = response?.results
        let locally = rows.count(where: { !$0.localErrors.isEmpty })
        var parts = ["Attendance of \(sessionId) (\(month))" + (file.map { " from \($0)" } ?? "") + ": "
            + "\(Format.count(counts?.accepted ?? 0)) recorded, \(Format.count(counts?.replaced ?? 0)) corrected, "
            + "\(Format.count(counts?.duplicate ?? 0)) unchanged, \(Format.count(Int(counts?.rejected ?? 0) + locally)) rejected"]
        parts.append(Table(
            header: (file == nil ? [] : ["LINE"]) + ["AGENT", "STATUS", "OUTCOME", "DETAIL"],
            rows: rows.map { row in
                (file == nil ? [] : [row.line.map(String.init) ?? "-"])
                    + [row.agentId.isEmpty ? "-" : row.agentId, row.status.cliName ?? "-", outcome(row), detail(row)]
            }).rendered)
        guard let response else {
            parts.append("Nothing was sent: fix the lines and run it again.")
            return parts.joined(separator: "\n\n")
        }
        var lines = [response.complete
            ? "The session is complete: every participant has a record, and the records are final."
            : "The session is not complete: \(EnrolmentText.plural(Int(response.missing), "participant")) without a record."]
        if !response.replacedAgentIds.isEmpty {
            lines.append("Placed again in a later session (absent without excuse): " + response.replacedAgentIds.joined(separator: ", "))
        }
        if !response.unplacedAgentIds.isEmpty {
            lines.append("Absent without excuse, no later session works: " + response.unplacedAgentIds.joined(separator: ", ")
                + " (`trainctl schedule enrolment \(month)`)")
        }
        parts.append(lines.joined(separator: "\n"))
        return parts.joined(separator: "\n\n")
    }

    static func json(month: String, sessionId: String, by: String, file: String?, rows: [Row], response: RecordAttendanceResponse?) -> JSONValue {
        let counts = response?.results
        let locally = rows.count(where: { !$0.localErrors.isEmpty })
        return .object([
            "month": .string(month), "session_id": .string(sessionId), "recorded_by": .string(by),
            "file": file.map(JSONValue.string) ?? .null, "sent": .bool(response != nil), "records": .integer(Int64(rows.count)),
            "accepted": .integer(Int64(counts?.accepted ?? 0)), "replaced": .integer(Int64(counts?.replaced ?? 0)),
            "duplicate": .integer(Int64(counts?.duplicate ?? 0)),
            "rejected": .integer(Int64(Int(counts?.rejected ?? 0) + locally)), "rejected_locally": .integer(Int64(locally)),
            "results": .array(rows.map { row in
                let errors = row.localErrors.isEmpty
                    ? (row.result?.violations ?? []).map { FieldError(field: $0.subject, reason: $0.description) } : row.localErrors
                return .object([
                    "line": row.line.map { .integer(Int64($0)) } ?? .null, "agent_id": .optionalString(row.agentId),
                    "status": row.status.json,
                    "outcome": row.localErrors.isEmpty ? (row.result?.outcome.json ?? .null) : .string("rejected"),
                    "errors": .array(errors.map(\.json)),
                ])
            }),
            "complete": .bool(response?.complete ?? false), "missing": response.map { .integer(Int64($0.missing)) } ?? .null,
            "replaced_agent_ids": .array((response?.replacedAgentIds ?? []).map(JSONValue.string)),
            "unplaced_agent_ids": .array((response?.unplacedAgentIds ?? []).map(JSONValue.string)),
        ])
    }
}

/// `trainctl schedule tally MONTH`
struct TallyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "The month-end attendance tally of required seats, per team and department, with penalty proposals (GetMonthEndTally).",
        discussion: """
            Counts required seats in complete sessions: attended (present or late), excused, \
            unexcused; pending counts those in sessions not complete yet. Each unexcused absence \
            is proposed to the supervisor for the center's attendance rules: the service decides nothing.
            """)

    @Argument(help: "The month, YYYY-MM.")
    var month: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        _ = try validatedMonth(month)
    }

    func run() async throws {
        let request = GetMonthEndTallyRequest(month: month)
        let tally = try await withService(endpoint) { try await $0.call(TrainingSchedulingMethods.getMonthEndTally, request) }
        if output.json {
            printJSON(tally.json)
        } else {
            print(Self.text(tally))
        }
    }

    static let groupHeader = ["REQUIRED", "ATTENDED", "EXCUSED", "UNEXCUSED", "PENDING", "ATTENDED %"]

    static func cells(_ group: TallyGroup) -> [String] {
        [Format.count(group.required), Format.count(group.attended), Format.count(group.excused), Format.count(group.unexcused),
         Format.count(group.pending), group.required == 0 ? "-" : Format.fixed(Double(group.attended) * 100 / Double(group.required), 1) + "%"]
    }

    static func text(_ tally: MonthEndTally) -> String {
        let center = tally.center ?? TallyGroup(group: "center")
        let share = center.required == 0 ? "" : " (" + Format.fixed(Double(center.attended) * 100 / Double(center.required), 1) + "%)"
        var parts = ["Month-end tally of \(tally.month), required seats. Center: \(Format.count(center.required)) in complete "
            + "sessions, \(Format.count(center.attended)) attended\(share), \(Format.count(center.excused)) excused, "
            + "\(Format.count(center.unexcused)) unexcused; \(Format.count(center.pending)) pending (sessions not complete yet)"]
        if !tally.teams.isEmpty {
            parts.append("Per team:\n" + Table(header: ["TEAM"] + groupHeader, rows: tally.teams.map { [$0.group] + cells($0) }).rendered)
        }
        if !tally.departments.isEmpty {
            parts.append("Per department:\n"
                + Table(header: ["DEPARTMENT"] + groupHeader, rows: tally.departments.map { [$0.group] + cells($0) }).rendered)
        }
        if tally.penalties.isEmpty {
            parts.append("No unexcused absence from a required session: no penalty to propose.")
        } else {
            parts.append("Penalty proposals (\(tally.penalties.count) unexcused absence\(tally.penalties.count == 1 ? "" : "s"); "
                + "the center's attendance rules decide):\n"
                + Table(header: ["AGENT", "TEAM", "DEPARTMENT", "SESSION", "COURSE", "START", "RECORDED BY"], rows: tally.penalties.map { penalty in
                    [penalty.agentId, penalty.teamId.isEmpty ? "-" : penalty.teamId, penalty.department.isEmpty ? "-" : penalty.department,
                     penalty.sessionId, penalty.courseId, LocalDateTime(penalty.start).map { "\($0.date) \($0.timeOfDay)" } ?? penalty.start,
                     penalty.recordedBy.isEmpty ? "-" : penalty.recordedBy]
                }).rendered)
        }
        return parts.joined(separator: "\n\n")
    }
}
