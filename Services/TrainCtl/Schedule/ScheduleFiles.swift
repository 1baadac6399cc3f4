import CalendarDates
import TrainingWire

// The CSV files of training-scheduling (docs/training-scheduling.md, "trainctl schedule"):
// a header row, columns by name in any order (optional ones may be left out), UTF-8,
// RFC 4180 quoting. Lists are ';'-separated in one field; times are the center's local
// "YYYY-MM-DDTHH:MM". Each reader checks the form of every value (types, enum names, times)
// and leaves the contract's rules to the service, whose violations name the same columns.

/// Reads one of these files: `required` columns must be in the header, `optional` ones may be.
private func scheduleCSV<Message: Sendable>(
    path: String, bytes: [UInt8], required: [String], optional: [String],
    build: (inout FieldValues) -> (id: String, message: Message?)
) throws(InputFileError) -> InputFile<Message> {
    try InputFiles.csv(path: path, bytes: bytes, map: FieldMap(), required: required, known: required + optional, renamable: false, build: build)
}

/// courses.csv: one catalogue course per line.
enum CourseCSV {
    static let requiredColumns = ["course_id", "title", "kind", "category", "method", "duration_minutes"]
    static let optionalColumns = ["purpose", "topics", "preparation", "criterion_ids", "metric_ids", "departments", "sites", "for_managers"]

    static func parse(path: String, bytes: [UInt8]) throws(InputFileError) -> InputFile<CatalogueCourse> {
        try scheduleCSV(path: path, bytes: bytes, required: requiredColumns, optional: optionalColumns) { fields in
            let course = course(from: &fields)
            return (course.courseId, course)
        }
    }

    static func course(from fields: inout FieldValues) -> CatalogueCourse {
        var course = CatalogueCourse()
        course.courseId = fields.string("course_id")
        course.title = fields.string("title")
        course.kind = fields.choice("kind", as: CourseKind.self) ?? .unspecified
        course.category = fields.choice("category", as: CourseCategory.self) ?? .unspecified
        course.method = fields.choice("method", as: CourseMethod.self) ?? .unspecified
        course.durationMinutes = fields.uint32("duration_minutes", default: nil, range: 1...UInt32.max)
        course.purpose = fields.string("purpose", required: false)
        course.topics = fields.list("topics")
        course.preparation = fields.string("preparation", required: false)
        course.criterionIds = fields.list("criterion_ids")
        course.metricIds = fields.list("metric_ids")
        course.departments = fields.list("departments")
        course.sites = fields.list("sites")
        course.forManagers = fields.bool("for_managers", default: false)
        return course
    }
}

/// trainers.csv: one trainer per line; their availability comes from another file.
enum TrainerCSV {
    static let requiredColumns = ["trainer_id", "name"]
    static let optionalColumns = ["biography", "qualified_course_ids"]

    static func parse(path: String, bytes: [UInt8]) throws(InputFileError) -> InputFile<Trainer> {
        try scheduleCSV(path: path, bytes: bytes, required: requiredColumns, optional: optionalColumns) { fields in
            var trainer = Trainer()
            trainer.trainerId = fields.string("trainer_id")
            trainer.name = fields.string("name")
            trainer.biography = fields.string("biography", required: false)
            trainer.qualifiedCourseIds = fields.list("qualified_course_ids")
            return (trainer.trainerId, trainer)
        }
    }
}

/// trainer-availability.csv: one span of one trainer per line, grouped into each trainer's
/// availability in file order.
enum AvailabilityCSV {
    static let requiredColumns = ["trainer_id", "start", "end"]

    struct Span: Sendable, Equatable {
        var trainerId: String
        var range: LocalTimeRange
    }

    /// Where each trainer's spans came from, to name the line of a span the service rejects.
    struct Attached: Sendable, Equatable {
        /// Trainer record index → the availability file's line of each span, in order.
        var lines: [Int: [Int]] = [:]
        /// Lines that belong to no trainer of the trainers file (or name none): nothing may be sent.
        var problems: [String] = []
    }

    static func parse(path: String, bytes: [UInt8]) throws(InputFileError) -> InputFile<Span> {
        try scheduleCSV(path: path, bytes: bytes, required: requiredColumns, optional: []) { fields in
            let trainerId = fields.string("trainer_id")
            let start = fields.localTime("start")
            let end = fields.localTime("end")
            return (trainerId, Span(trainerId: trainerId, range: LocalTimeRange(start: start?.description ?? "", end: end?.description ?? "")))
        }
    }

    /// Gives each trainer of `trainers` its spans. A trainer with a span that could not be
    /// read is rejected here (its availability would be incomplete): the error names the
    /// availability file, line and column.
    static func attach(_ availability: InputFile<Span>, to trainers: inout InputFile<Trainer>) -> Attached {
        var attached = Attached()
        var recordsOf: [String: [Int]] = [:]  // a trainer listed twice gets the spans both times
        for (index, record) in trainers.records.enumerated() where !record.id.isEmpty {
            recordsOf[record.id, default: []].append(index)
        }
        for span in availability.records {
            guard !span.id.isEmpty, let indices = recordsOf[span.id] else {
                let reason = span.id.isEmpty
                    ? "names no trainer" + (span.errors.isEmpty ? "" : " (" + span.errors.map(describe).joined(separator: "; ") + ")")
                    : "trainer \(span.id) is not in \(trainers.path)"
                attached.problems.append("\(availability.path) line \(span.line): \(reason)")
                continue
            }
            for index in indices {
                if let message = span.message {
                    trainers.records[index].message?.availability.append(message.range)
                    attached.lines[index, default: []].append(span.line)
                } else {
                    trainers.records[index].message = nil
                    trainers.records[index].errors += span.errors.map { error in
                        FieldError(field: "availability", reason: "\(availability.path) line \(span.line): \(describe(error))")
                    }
                }
            }
        }
        return attached
    }

    private static func describe(_ error: FieldError) -> String {
        error.field.isEmpty ? error.reason : "\(error.field): \(error.reason)"
    }
}

/// rooms.csv: one training room per line.
enum RoomCSV {
    static let requiredColumns = ["room_id", "site", "capacity"]
    static let optionalColumns = ["directions"]

    static func parse(path: String, bytes: [UInt8]) throws(InputFileError) -> InputFile<Room> {
        try scheduleCSV(path: path, bytes: bytes, required: requiredColumns, optional: optionalColumns) { fields in
            var room = Room()
            room.roomId = fields.string("room_id")
            room.site = fields.string("site")
            room.capacity = fields.uint32("capacity", default: nil)
            room.directions = fields.string("directions", required: false)
            return (room.roomId, room)
        }
    }
}

/// queues.csv: one queue and its service-level target per line.
enum QueueCSV {
    static let requiredColumns = ["queue_id", "service_level_percent", "answer_within_seconds"]
    static let optionalColumns = ["name"]

    static func parse(path: String, bytes: [UInt8]) throws(InputFileError) -> InputFile<ServiceQueue> {
        try scheduleCSV(path: path, bytes: bytes, required: requiredColumns, optional: optionalColumns) { fields in
            var queue = ServiceQueue()
            queue.queueId = fields.string("queue_id")
            queue.name = fields.string("name", required: false)
            queue.serviceLevelPercent = fields.uint32("service_level_percent", default: nil)
            queue.answerWithinSeconds = fields.uint32("answer_within_seconds", default: nil)
            return (queue.queueId, queue)
        }
    }
}

/// courseware.csv: one approval of one courseware version per line.
enum CoursewareCSV {
    static let requiredColumns = ["course_id", "version", "approved_by"]

    static func parse(path: String, bytes: [UInt8]) throws(InputFileError) -> InputFile<ApproveCoursewareRequest> {
        try scheduleCSV(path: path, bytes: bytes, required: requiredColumns, optional: []) { fields in
            var approval = ApproveCoursewareRequest()
            approval.courseId = fields.string("course_id")
            approval.version = fields.string("version")
            approval.approvedBy = fields.string("approved_by")
            return (approval.courseId, approval)
        }
    }
}

/// sessions.csv: the sessions of one month's draft, one per line.
enum SessionCSV {
    static let requiredColumns = ["session_id", "course_id", "trainer_id", "start", "end", "capacity"]
    static let optionalColumns = ["room_id"]

    static func parse(path: String, bytes: [UInt8]) throws(InputFileError) -> InputFile<PlannedSession> {
        try scheduleCSV(path: path, bytes: bytes, required: requiredColumns, optional: optionalColumns) { fields in
            var session = PlannedSession()
            session.sessionId = fields.string("session_id")
            session.courseId = fields.string("course_id")
            session.trainerId = fields.string("trainer_id")
            session.roomId = fields.string("room_id", required: false)
            session.start = fields.localTime("start")?.description ?? ""
            session.end = fields.localTime("end")?.description ?? ""
            session.capacity = fields.uint32("capacity", default: nil)
            return (session.sessionId, session)
        }
    }

    /// The columns of the file, in the documented order (what `plan --csv` prints).
    static let columns = ["session_id", "course_id", "trainer_id", "room_id", "start", "end", "capacity"]

    static func row(_ session: PlannedSession) -> [String] {
        [session.sessionId, session.courseId, session.trainerId, session.roomId, session.start, session.end, String(session.capacity)]
    }
}

/// shifts.csv: one shift of one agent per line. A call carries one month (of the shifts'
/// starts) and at most 1,000 agents; the service replaces, for each agent sent, all their
/// shifts of that month, so an agent's shifts of a month always travel together.
enum ShiftCSV {
    static let requiredColumns = ["agent_id", "start", "end"]
    /// Agents per call, at most.
    static let largestBatch = 1_000

    struct Shift: Sendable, Equatable {
        var agentId: String
        var start: LocalDateTime
        var end: LocalDateTime

        var range: LocalTimeRange { LocalTimeRange(start: start.description, end: end.description) }
    }

    /// Reads the file. A line that cannot be read takes the other lines of its agent and
    /// month with it (sending them would replace that month's shifts by an incomplete set);
    /// of all the agent's months when its start cannot be read.
    static func parse(path: String, bytes: [UInt8]) throws(InputFileError) -> InputFile<Shift> {
        var file: InputFile<Shift> = try scheduleCSV(path: path, bytes: bytes, required: requiredColumns, optional: []) { fields in
            let agentId = fields.string("agent_id")
            let start = fields.localTime("start")
            let end = fields.localTime("end")
            guard let start, let end else { return (agentId, nil) }
            return (agentId, Shift(agentId: agentId, start: start, end: end))
        }
        // The agent and month of each line that could not be read, as far as they can be.
        var poisonedMonths: [String: Set<YearMonth>] = [:]
        var poisonedAgents: [String: Int] = [:]  // agent → the first such line
        var poisonedLine: [String: Int] = [:]  // "agent month" → the first such line
        let startColumn = file.header.firstIndex(of: "start")
        for record in file.records where record.message == nil && !record.id.isEmpty {
            let fields = (try? CSVReader.records(Array(file.bytes[record.range])))?.first?.fields ?? []
            let month = startColumn.flatMap { fields.indices.contains($0) ? LocalDateTime(fields[$0].trimmingSpaces)?.yearMonth : nil }
            if let month {
                if poisonedMonths[record.id, default: []].insert(month).inserted { poisonedLine["\(record.id) \(month)"] = record.line }
            } else if poisonedAgents[record.id] == nil {
                poisonedAgents[record.id] = record.line
            }
        }
        for index in file.records.indices {
            guard let shift = file.records[index].message else { continue }
            let month = shift.start.yearMonth
            let line = poisonedAgents[shift.agentId]
                ?? (poisonedMonths[shift.agentId]?.contains(month) == true ? poisonedLine["\(shift.agentId) \(month)"] : nil)
            guard let line else { continue }
            file.records[index].message = nil
            file.records[index].errors.append(FieldError(
                field: "", reason: "not sent: line \(line) of agent \(shift.agentId) could not be read, and the service replaces an agent's whole month"))
        }
        return file
    }

    /// The calls: months in order; in each, agents by id, at most `limit` per call; each
    /// agent's shifts by start (then end, then line).
    static func batches(_ sendable: [(record: Int, message: Shift)], limit: Int = largestBatch) -> [ImportBatch<PutShiftsRequest>] {
        var byMonth: [YearMonth: [String: [(record: Int, shift: Shift)]]] = [:]
        for (record, shift) in sendable {
            byMonth[shift.start.yearMonth, default: [:]][shift.agentId, default: []].append((record, shift))
        }
        var batches: [ImportBatch<PutShiftsRequest>] = []
        for month in byMonth.keys.sorted() {
            let agents = byMonth[month] ?? [:]
            let ids = agents.keys.sorted()
            for chunkStart in stride(from: 0, to: ids.count, by: limit) {
                var request = PutShiftsRequest(month: month.description)
                var sources: [[Int]] = []
                for agentId in ids[chunkStart..<min(ids.count, chunkStart + limit)] {
                    let shifts = (agents[agentId] ?? []).sorted { left, right in
                        (left.shift.start, left.shift.end, left.record) < (right.shift.start, right.shift.end, right.record)
                    }
                    request.agents.append(AgentShifts(agentId: agentId, shifts: shifts.map(\.shift.range)))
                    sources.append(shifts.map(\.record))
                }
                batches.append(ImportBatch(request: request, sources: sources))
            }
        }
        return batches
    }

    /// A violation of a rejected agent on the lines it concerns: "shifts[2].end" on the line
    /// of that agent's third shift (as sent, sorted by start), as "end"; others on every line
    /// of the agent's month. `lines` are the file's line numbers by record index; "shifts[k]"
    /// in the description becomes "the shift of line N".
    static func locate(_ violation: Violation, sources: [Int], lines: [Int]) -> [(record: Int, error: FieldError)] {
        let reason = renamingShifts(violation.description, sources: sources, lines: lines)
        if let (index, rest) = shiftIndex(violation.subject), sources.indices.contains(index) {
            return [(sources[index], FieldError(field: rest, reason: reason))]
        }
        return sources.map { ($0, FieldError(field: violation.subject, reason: reason)) }
    }

    /// "shifts[3].end" → (3, "end"); "shifts[3]" → (3, "").
    private static func shiftIndex(_ subject: String) -> (Int, String)? {
        guard subject.hasPrefix("shifts["), let close = subject.firstIndex(of: "]"),
              let index = Int(subject[subject.index(subject.startIndex, offsetBy: 7)..<close]) else { return nil }
        var rest = subject[subject.index(after: close)...]
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        return (index, String(rest))
    }

    private static func renamingShifts(_ text: String, sources: [Int], lines: [Int]) -> String {
        var result = ""
        var remaining = Substring(text)
        while let open = remaining.range(of: "shifts[") {
            result += remaining[..<open.lowerBound]
            let after = remaining[open.upperBound...]
            if let close = after.firstIndex(of: "]"), let index = Int(after[..<close]), sources.indices.contains(index),
               lines.indices.contains(sources[index]) {
                result += "the shift of line \(lines[sources[index]])"
                remaining = after[after.index(after: close)...]
            } else {
                result += "shifts["
                remaining = after
            }
        }
        return result + remaining
    }
}

/// forecasts.csv: one queue's forecast for one 30-minute interval per line. A call carries
/// one month (of the intervals' starts) and at most 1,000 forecasts, in file order.
enum ForecastCSV {
    static let requiredColumns = ["queue_id", "start", "expected_contacts", "average_handle_seconds", "shrinkage"]
    static let largestBatch = 1_000

    struct Forecast: Sendable, Equatable {
        var month: YearMonth
        var forecast: IntervalForecast
    }

    static func parse(path: String, bytes: [UInt8]) throws(InputFileError) -> InputFile<Forecast> {
        try scheduleCSV(path: path, bytes: bytes, required: requiredColumns, optional: []) { fields in
            var forecast = IntervalForecast()
            forecast.queueId = fields.string("queue_id")
            let start = fields.localTime("start")
            forecast.start = start?.description ?? ""
            forecast.expectedContacts = fields.double("expected_contacts") ?? 0
            forecast.averageHandleSeconds = fields.double("average_handle_seconds") ?? 0
            forecast.shrinkage = fields.double("shrinkage") ?? 0
            let id = "\(forecast.queueId)@\(forecast.start)"
            guard let start else { return (id, nil) }
            return (id, Forecast(month: start.yearMonth, forecast: forecast))
        }
    }

    /// The calls: months in order; in each, the forecasts in file order, `limit` per call.
    static func batches(_ sendable: [(record: Int, message: Forecast)], limit: Int = largestBatch) -> [ImportBatch<PutForecastsRequest>] {
        var byMonth: [YearMonth: [(record: Int, message: Forecast)]] = [:]
        for item in sendable { byMonth[item.message.month, default: []].append(item) }
        return byMonth.keys.sorted().flatMap { month in
            let items = byMonth[month] ?? []
            return stride(from: 0, to: items.count, by: limit).map { start in
                let chunk = items[start..<min(items.count, start + limit)]
                return ImportBatch(request: PutForecastsRequest(month: month.description, forecasts: chunk.map(\.message.forecast)),
                                   sources: chunk.map { [$0.record] })
            }
        }
    }
}
