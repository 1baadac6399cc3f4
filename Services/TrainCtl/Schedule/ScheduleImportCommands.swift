import ArgumentParser
import Foundation
import RPCRuntime
import TrainingWire

/// The service takes at most this many records per batch call (agents for shifts).
private let largestBatch = 1_000

private func validateBatchSize(_ size: Int) throws {
    guard (1...largestBatch).contains(size) else { throw ValidationError("--batch-size must be from 1 to \(largestBatch)") }
}

/// `trainctl schedule import courses FILE`
struct ImportCoursesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "courses",
        abstract: "Import catalogue courses from CSV (PutCourses).",
        discussion: """
            Columns: course_id, title, kind, category (mandatory|elective|optional), method \
            (classroom|recording_review|simulation|floor_shadowing|video|audio|reading|online), \
            duration_minutes; optional purpose, topics, preparation, criterion_ids, metric_ids, \
            departments, sites (lists separated by ';'), for_managers (true|false). A stored \
            course with the same id is overwritten. Rejected lines go to the rejects file.
            """)

    @Argument(help: "The courses CSV file.")
    var file: String
    @Option(name: .customLong("batch-size"), help: "Courses per call (1 to 1,000).")
    var batchSize = largestBatch
    @OptionGroup var importOptions: ImportOptions
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        try validateBatchSize(batchSize)
    }

    func run() async throws {
        let input = try loadInput { () throws(InputFileError) in try CourseCSV.parse(path: file, bytes: try InputFiles.read(file)) }
        try await BatchImport(
            command: "import-courses", noun: "courses", method: TrainingSchedulingMethods.putCourses, batchSize: batchSize,
            fingerprint: "format=csv", makeRequest: { PutCoursesRequest(courses: $0) }
        ).run(input, endpoint: endpoint, options: importOptions)
    }
}

/// `trainctl schedule import trainers FILE [--availability FILE]`
struct ImportTrainersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainers",
        abstract: "Import trainers, their qualifications and availability from CSV (PutTrainers).",
        discussion: """
            Columns: trainer_id, name; optional biography, qualified_course_ids (';'-separated). \
            --availability names a second CSV of trainer_id, start, end (local YYYY-MM-DDTHH:MM), \
            one span per line: each trainer gets the spans of its lines. A trainer is stored \
            whole, so without --availability it is stored without availability; a trainer with \
            a span that cannot be read is not sent.
            """)

    @Argument(help: "The trainers CSV file.")
    var file: String
    @Option(name: .long, help: "The trainers' availability CSV file (trainer_id,start,end).")
    var availability: String?
    @Option(name: .customLong("batch-size"), help: "Trainers per call (1 to 1,000).")
    var batchSize = largestBatch
    @OptionGroup var importOptions: ImportOptions
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        try validateBatchSize(batchSize)
    }

    func run() async throws {
        var input = try loadInput { () throws(InputFileError) in try TrainerCSV.parse(path: file, bytes: try InputFiles.read(file)) }
        var fingerprint = "format=csv"
        var attached = AvailabilityCSV.Attached()
        if let availability {
            let spans = try loadInput { () throws(InputFileError) in
                try AvailabilityCSV.parse(path: availability, bytes: try InputFiles.read(availability))
            }
            for note in spans.notes { StandardError.line("note: \(availability): \(note)") }
            attached = AvailabilityCSV.attach(spans, to: &input)
            guard attached.problems.isEmpty else {
                StandardError.line("error: \(availability) does not fit \(file); nothing was sent:")
                for problem in attached.problems { StandardError.line("  \(problem)") }
                throw ExitCode.failure
            }
            fingerprint += ";availability=" + SHA256.hex(spans.bytes)
        }
        var batchImport = BatchImport(
            command: "import-trainers", noun: "trainers", method: TrainingSchedulingMethods.putTrainers, batchSize: batchSize,
            fingerprint: fingerprint, makeRequest: { PutTrainersRequest(trainers: $0) })
        let spanLines = attached.lines, availabilityPath = availability ?? ""
        batchImport.locate = { violation, sources in
            sources.map { record in
                var reason = violation.description
                // "availability[1].end": say which line of the availability file that span came from.
                if violation.subject.hasPrefix("availability["), let close = violation.subject.firstIndex(of: "]"),
                   let index = Int(violation.subject[violation.subject.index(violation.subject.startIndex, offsetBy: 13)..<close]),
                   let lines = spanLines[record], lines.indices.contains(index) {
                    reason += " (\(availabilityPath) line \(lines[index]))"
                }
                return (record, FieldError(field: violation.subject, reason: reason))
            }
        }
        try await batchImport.run(input, endpoint: endpoint, options: importOptions)
    }
}

/// `trainctl schedule import rooms FILE`
struct ImportRoomsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rooms",
        abstract: "Import training rooms from CSV (PutRooms).",
        discussion: "Columns: room_id, site, capacity (seats); optional directions (printed on the notice memo).")

    @Argument(help: "The rooms CSV file.")
    var file: String
    @Option(name: .customLong("batch-size"), help: "Rooms per call (1 to 1,000).")
    var batchSize = largestBatch
    @OptionGroup var importOptions: ImportOptions
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        try validateBatchSize(batchSize)
    }

    func run() async throws {
        let input = try loadInput { () throws(InputFileError) in try RoomCSV.parse(path: file, bytes: try InputFiles.read(file)) }
        try await BatchImport(
            command: "import-rooms", noun: "rooms", method: TrainingSchedulingMethods.putRooms, batchSize: batchSize,
            fingerprint: "format=csv", makeRequest: { PutRoomsRequest(rooms: $0) }
        ).run(input, endpoint: endpoint, options: importOptions)
    }
}

/// `trainctl schedule import queues FILE`
struct ImportQueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "Import queues and their service-level targets from CSV (PutQueues).",
        discussion: "Columns: queue_id, service_level_percent (1-99), answer_within_seconds (0-3600); optional name.")

    @Argument(help: "The queues CSV file.")
    var file: String
    @Option(name: .customLong("batch-size"), help: "Queues per call (1 to 1,000).")
    var batchSize = largestBatch
    @OptionGroup var importOptions: ImportOptions
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        try validateBatchSize(batchSize)
    }

    func run() async throws {
        let input = try loadInput { () throws(InputFileError) in try QueueCSV.parse(path: file, bytes: try InputFiles.read(file)) }
        try await BatchImport(
            command: "import-queues", noun: "queues", method: TrainingSchedulingMethods.putQueues, batchSize: batchSize,
            fingerprint: "format=csv", makeRequest: { PutQueuesRequest(queues: $0) }
        ).run(input, endpoint: endpoint, options: importOptions)
    }
}

/// `trainctl schedule import shifts FILE`
struct ImportShiftsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shifts",
        abstract: "Import agents' shifts from the workforce-management export, CSV (PutShifts).",
        discussion: """
            Columns: agent_id, start, end (local YYYY-MM-DDTHH:MM), one shift per line. The \
            shifts are sent per month of their start: for each agent in the file, the service \
            replaces all their shifts starting in that month. A line that cannot be read keeps \
            its agent's whole month from being sent. Then run `trainctl schedule enrol MONTH`.
            """)

    @Argument(help: "The shifts CSV file.")
    var file: String
    @Option(name: .customLong("batch-size"), help: "Agents per call (1 to 1,000).")
    var batchSize = largestBatch
    @OptionGroup var importOptions: ImportOptions
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        try validateBatchSize(batchSize)
    }

    func run() async throws {
        let input = try loadInput { () throws(InputFileError) in try ShiftCSV.parse(path: file, bytes: try InputFiles.read(file)) }
        let lines = input.records.map(\.line), limit = batchSize
        try await BatchImport(
            command: "import-shifts", noun: "shifts", method: TrainingSchedulingMethods.putShifts, batchSize: batchSize,
            fingerprint: "format=csv", shape: "by=month,agent;agents=\(batchSize)",
            plan: { ShiftCSV.batches($0, limit: limit) },
            locate: { ShiftCSV.locate($0, sources: $1, lines: lines) }
        ).run(input, endpoint: endpoint, options: importOptions)
    }
}

/// `trainctl schedule import forecasts FILE`
struct ImportForecastsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecasts",
        abstract: "Import queues' interval forecasts from CSV (PutForecasts).",
        discussion: """
            Columns: queue_id, start (local YYYY-MM-DDTHH:MM on :00 or :30), expected_contacts, \
            average_handle_seconds, shrinkage (0 to below 1). Sent per month of the start; a \
            stored forecast of the same queue and interval is overwritten.
            """)

    @Argument(help: "The forecasts CSV file.")
    var file: String
    @Option(name: .customLong("batch-size"), help: "Forecasts per call (1 to 1,000).")
    var batchSize = largestBatch
    @OptionGroup var importOptions: ImportOptions
    @OptionGroup var endpoint: SchedulingEndpoint

    func validate() throws {
        try validateBatchSize(batchSize)
    }

    func run() async throws {
        let input = try loadInput { () throws(InputFileError) in try ForecastCSV.parse(path: file, bytes: try InputFiles.read(file)) }
        let limit = batchSize
        try await BatchImport(
            command: "import-forecasts", noun: "forecasts", method: TrainingSchedulingMethods.putForecasts, batchSize: batchSize,
            fingerprint: "format=csv", shape: "by=month;forecasts=\(batchSize)",
            plan: { ForecastCSV.batches($0, limit: limit) }
        ).run(input, endpoint: endpoint, options: importOptions)
    }
}

/// `trainctl schedule import courseware FILE`
struct ImportCoursewareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "courseware",
        abstract: "Record department managers' approvals of courseware versions from CSV (ApproveCourseware).",
        discussion: """
            Columns: course_id, version, approved_by. One call per line, in file order; each \
            line is approved, already approved (nothing changes), or rejected (an unknown \
            course…). Rejected lines go to the rejects file. Running it again is safe.
            """)

    @Argument(help: "The courseware approvals CSV file.")
    var file: String
    @OptionGroup var importOptions: ImportOptions
    @OptionGroup var endpoint: SchedulingEndpoint

    enum Outcome {
        case approved(ApproveCoursewareResponse)
        case alreadyApproved(ApproveCoursewareResponse)
        case rejected([FieldError], byService: Bool)
        case notSent
    }

    func run() async throws {
        let input = try loadInput { () throws(InputFileError) in try CoursewareCSV.parse(path: file, bytes: try InputFiles.read(file)) }
        for note in input.notes { StandardError.line("note: \(input.path): \(note)") }
        var outcomes: [Outcome] = input.records.map { $0.message == nil ? .rejected($0.errors, byService: false) : .notSent }
        var failure: String?
        let method = TrainingSchedulingMethods.approveCourseware
        if !importOptions.dryRun, input.valid.count > 0 {
            if let session = try? await ServiceSession.connect(endpoint) {  // (it says why not)
                for (index, record) in input.records.enumerated() {
                    guard let request = record.message else { continue }
                    do {
                        let response = try await session.callReportingNothing(method, request)
                        outcomes[index] = response.alreadyApproved ? .alreadyApproved(response) : .approved(response)
                    } catch let error as RPCError where error.code == .invalidArgument || error.code == .notFound {
                        let errors = error.violations.isEmpty
                            ? [FieldError(field: "", reason: "\(error.code.protoName): \(error.message)")]
                            : error.violations.map { FieldError(field: $0.subject, reason: $0.description) }
                        outcomes[index] = .rejected(errors, byService: true)
                    } catch {
                        ServiceSession.report(error, method: method.path)
                        failure = "line \(record.line) failed: \(error)"
                        break
                    }
                }
                await session.close()
            } else {
                failure = "nothing was sent: the service could not be reached"
            }
        }

        var rejectLines: [String] = []
        var counts = (approved: 0, already: 0, locally: 0, byService: 0, notSent: 0)
        for (record, outcome) in zip(input.records, outcomes) {
            switch outcome {
            case .approved: counts.approved += 1
            case .alreadyApproved: counts.already += 1
            case .notSent: counts.notSent += 1
            case .rejected(let errors, let byService):
                if byService { counts.byService += 1 } else { counts.locally += 1 }
                rejectLines.append(input.rejectLine(for: record, errors: errors))
            }
        }
        let rejectsPath = importOptions.rejects ?? input.path + ".rejects.jsonl"
        let rejectsWritten = importOptions.dryRun ? false : try RejectsFile.write(rejectLines, to: rejectsPath)
        let rejected = counts.locally + counts.byService

        if importOptions.json {
            printJSON(.object([
                "command": .string("import-courseware"), "file": .string(input.path), "dry_run": .bool(importOptions.dryRun),
                "complete": .bool(failure == nil), "records": .integer(Int64(input.records.count)),
                "approved": .integer(Int64(counts.approved)), "already_approved": .integer(Int64(counts.already)),
                "rejected": .integer(Int64(rejected)), "rejected_locally": .integer(Int64(counts.locally)),
                "rejected_by_service": .integer(Int64(counts.byService)), "not_sent": .integer(Int64(counts.notSent)),
                "rejects_file": rejectsWritten ? .string(rejectsPath) : .null,
                "error": failure.map(JSONValue.string) ?? .null,
                "results": .array(zip(input.records, outcomes).map { record, outcome in
                    var members: [JSONMember] = [
                        JSONMember("line", .integer(Int64(record.line))),
                        JSONMember("course_id", record.message.map { .string($0.courseId) } ?? .optionalString(record.id)),
                        JSONMember("version", record.message.map { .string($0.version) } ?? .null),
                    ]
                    switch outcome {
                    case .approved(let response), .alreadyApproved(let response):
                        if case .approved = outcome {
                            members.append(JSONMember("outcome", .string("approved")))
                        } else {
                            members.append(JSONMember("outcome", .string("already_approved")))
                        }
                        members.append(JSONMember("approved_by", .string(response.approvedBy)))
                        members.append(JSONMember("approved_at_unix_ms", .integer(response.approvedAtUnixMs)))
                        members.append(JSONMember("approved_at", instantJSON(response.approvedAtUnixMs)))
                    case .rejected(let errors, _):
                        members.append(JSONMember("outcome", .string("rejected")))
                        members.append(JSONMember("errors", .array(errors.map(\.json))))
                    case .notSent:
                        members.append(JSONMember("outcome", .string("not_sent")))
                    }
                    return .object(members)
                }),
            ]))
        } else {
            print("\(input.path): \(Format.count(input.records.count)) approvals: \(Format.count(counts.approved)) approved, "
                + "\(Format.count(counts.already)) already approved, \(Format.count(rejected)) rejected"
                + (counts.notSent > 0 ? ", \(Format.count(counts.notSent)) not sent" : "")
                + (importOptions.dryRun ? " (dry run: nothing sent)" : ""))
            if !input.records.isEmpty {
                print("")
                print(Table(header: ["LINE", "COURSE", "VERSION", "OUTCOME", "DETAIL"], rows: zip(input.records, outcomes).map { record, outcome in
                    let course = record.message?.courseId ?? record.id, version = record.message?.version ?? ""
                    switch outcome {
                    case .approved(let response):
                        return [String(record.line), course, version, "approved", "by \(response.approvedBy)"]
                    case .alreadyApproved(let response):
                        return [String(record.line), course, version, "already approved",
                                "by \(response.approvedBy) at \(Format.localTime(unixMilliseconds: response.approvedAtUnixMs))"]
                    case .rejected(let errors, _):
                        return [String(record.line), course, version, "rejected",
                                errors.map { $0.field.isEmpty ? $0.reason : "\($0.field): \($0.reason)" }.joined(separator: "; ")]
                    case .notSent:
                        return [String(record.line), course, version, "not sent", ""]
                    }
                }).rendered)
            }
            if rejectsWritten {
                print("Rejected records: \(rejectsPath) (each with _line and _errors; fix and import that file again)")
            }
        }
        if let failure {
            StandardError.line("error: import-courseware stopped: \(failure)")
            StandardError.line("  Running the same command again is safe: approved versions stay approved.")
            throw ExitCode.failure
        }
        if importOptions.strict, rejected > 0 { throw ExitCode(2) }
    }
}
