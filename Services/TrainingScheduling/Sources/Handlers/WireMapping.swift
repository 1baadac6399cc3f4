import RPCRuntime
import TrainingWire

// Wire types (TrainingWire) to domain types and back. The domain shares several names with
// the contract (CatalogueCourse, Trainer, Room, CourseKind…); here wire types are always
// qualified with `TrainingWire.`.

/// Why a scheduling call is refused, mapped to a status in one place.
enum SchedulingCallError: Error, Hashable, Sendable {
    /// The request is wrong (INVALID_ARGUMENT).
    case invalid([FieldViolation])
    /// The state forbids the call (FAILED_PRECONDITION).
    case precondition([FieldViolation])
    /// Something named does not exist (NOT_FOUND).
    case notFound(String)
    /// Something this call needs is not reachable now (UNAVAILABLE, retry later).
    case unavailable(String, String)

    static func invalid(_ subject: String, _ description: String) -> SchedulingCallError {
        .invalid([FieldViolation(subject: subject, description: description)])
    }

    static func precondition(_ subject: String, _ description: String) -> SchedulingCallError {
        .precondition([FieldViolation(subject: subject, description: description)])
    }
}

extension SchedulingCallError: RPCErrorConvertible {
    var rpcError: RPCError {
        switch self {
        case .invalid(let violations):
            RPCError(.invalidArgument, violations.map(\.wireText).joined(separator: "; "), violations: violations.map(\.wire))
        case .precondition(let violations):
            RPCError(.failedPrecondition, violations.map(\.wireText).joined(separator: "; "), violations: violations.map(\.wire))
        case .notFound(let message):
            RPCError(.notFound, message)
        case .unavailable(let subject, let message):
            RPCError(.unavailable, "\(subject): \(message)", violations: [Violation(subject: subject, description: message)],
                     retryAfterMilliseconds: 5_000)
        }
    }
}

/// A plan that breaks rules: FAILED_PRECONDITION with every violation.
extension PlanRejected: RPCErrorConvertible {
    public var rpcError: RPCError {
        let wire = violations.map(\.wire)
        return RPCError(
            .failedPrecondition, "the plan cannot be published: \(violations.count) violation(s); " + wire.map { "\($0.subject): \($0.description)" }.joined(separator: "; "),
            violations: wire)
    }
}

extension FieldViolation {
    var wire: Violation { Violation(subject: subject, description: description) }
    var wireText: String { "\(subject): \(description)" }
}

extension PlanViolation {
    /// Subject "sessions S1,S2"; description "<kind>: <explanation>".
    var wire: Violation {
        Violation(subject: "sessions " + sessions.map(\.rawValue).joined(separator: ","), description: "\(kind.wireName): \(description)")
    }
}

extension PlanViolation.Kind {
    /// The kind's name as the contract lists it.
    var wireName: String {
        switch self {
        case .duplicateSession: "duplicate_session"
        case .endBeforeStart: "end_before_start"
        case .capacityBelowOne: "capacity_below_one"
        case .unknownCourse: "unknown_course"
        case .unknownTrainer: "unknown_trainer"
        case .unknownRoom: "unknown_room"
        case .roomMissingForClassroom: "room_missing_for_classroom"
        case .roomOnOnlineSession: "room_on_online_session"
        case .coursewareNotApproved: "courseware_not_approved"
        case .trainerNotQualified: "trainer_not_qualified"
        case .outsideTrainerAvailability: "outside_trainer_availability"
        case .capacityAboveRoom: "capacity_above_room"
        case .trainerDoubleBooked: "trainer_double_booked"
        case .roomDoubleBooked: "room_double_booked"
        }
    }
}

enum BatchResults {
    static let limit = 1000

    /// INVALID_ARGUMENT unless a batch holds 1 to `limit` records.
    static func checkSize(_ count: Int, field: String) throws(SchedulingCallError) {
        guard (1...limit).contains(count) else {
            throw .invalid(field, "must hold 1 to \(limit) records (it holds \(count))")
        }
    }

    static func response(_ outcomes: [CatalogueOutcome], ids: [String]) -> BatchResponse {
        var response = BatchResponse()
        for (index, outcome) in outcomes.enumerated() {
            let id = index < ids.count ? ids[index] : ""
            switch outcome {
            case .accepted: response.record(.accepted, id: id)
            case .duplicate: response.record(.duplicate, id: id)
            case .replaced: response.record(.replaced, id: id)
            case .rejected(let violations): response.record(.rejected, id: id, violations: violations.map(\.wire))
            }
        }
        return response
    }
}

/// Field rules of the contract's conventions.
enum FieldRules {
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x1F || (0x7F...0x9F).contains(scalar.value)
    }

    /// An id: 1-64 characters, no control characters, not only whitespace.
    static func identifier(_ value: String, _ subject: String) -> [FieldViolation] {
        if value.isBlank { return [FieldViolation(subject: subject, description: "is required")] }
        if value.count > 64 { return [FieldViolation(subject: subject, description: "is longer than 64 characters")] }
        if value.unicodeScalars.contains(where: isControl) {
            return [FieldViolation(subject: subject, description: "must not contain control characters")]
        }
        return []
    }

    /// Required text of at most `maximum` characters without control characters.
    static func text(_ value: String, _ subject: String, maximum: Int) -> [FieldViolation] {
        if value.isBlank { return [FieldViolation(subject: subject, description: "is required")] }
        if value.count > maximum { return [FieldViolation(subject: subject, description: "is longer than \(maximum) characters")] }
        if value.unicodeScalars.contains(where: isControl) {
            return [FieldViolation(subject: subject, description: "must not contain control characters")]
        }
        return []
    }
}

// MARK: - Catalogue

extension CatalogueCourse {
    /// The course, or every problem of the record (the domain's own rules and the wire's).
    static func from(wire: TrainingWire.CatalogueCourse) -> Result<CatalogueCourse, FieldViolations> {
        var problems = FieldRules.identifier(wire.courseId, "course_id")
        let kind = CourseKind(rawValue: Int(wire.kind.rawValue))
        if kind == nil { problems.append(FieldViolation(subject: "kind", description: "is required")) }
        let category = CourseCategory(rawValue: Int(wire.category.rawValue))
        if category == nil { problems.append(FieldViolation(subject: "category", description: "is required")) }
        let method = CourseMethod(rawValue: Int(wire.method.rawValue))
        if method == nil { problems.append(FieldViolation(subject: "method", description: "is required")) }
        let course = CatalogueCourse(
            id: CourseID(wire.courseId), title: wire.title, kind: kind ?? .skillImprovement, category: category ?? .optional,
            method: method ?? .classroom, durationMinutes: Int(clamping: wire.durationMinutes), purpose: wire.purpose, topics: wire.topics,
            preparation: wire.preparation, criterionIDs: wire.criterionIds, metricIDs: wire.metricIds,
            audience: CourseAudience(departments: wire.departments, sites: wire.sites, forManagers: wire.forManagers))
        // The domain names fields in Swift; the record's subjects use the wire's names.
        let renames = ["durationMinutes": "duration_minutes"]
        for violation in course.violations where violation.subject != "id" {
            var subject = renames[violation.subject] ?? violation.subject
            subject = subject.replacingPrefix("criterionIDs", with: "criterion_ids").replacingPrefix("metricIDs", with: "metric_ids")
            problems.append(FieldViolation(subject: subject, description: violation.description))
        }
        return problems.isEmpty ? .success(course) : .failure(FieldViolations(violations: problems))
    }

    var wire: TrainingWire.CatalogueCourse {
        TrainingWire.CatalogueCourse(
            courseId: id.rawValue, title: title, kind: TrainingWire.CourseKind(rawValue: Int32(kind.rawValue)) ?? .unspecified,
            category: TrainingWire.CourseCategory(rawValue: Int32(category.rawValue)) ?? .unspecified,
            method: TrainingWire.CourseMethod(rawValue: Int32(method.rawValue)) ?? .unspecified,
            durationMinutes: UInt32(clamping: durationMinutes), purpose: purpose, topics: topics, preparation: preparation,
            criterionIds: criterionIDs, metricIds: metricIDs, departments: audience.departments, sites: audience.sites,
            forManagers: audience.forManagers)
    }
}

extension Trainer {
    /// The trainer with availability in local minutes since 1970-01-01, or every problem.
    static func from(wire: TrainingWire.Trainer) -> Result<Trainer, FieldViolations> {
        var problems = FieldRules.identifier(wire.trainerId, "trainer_id")
        for (i, course) in wire.qualifiedCourseIds.enumerated() {
            problems += FieldRules.identifier(course, "qualified_course_ids[\(i)]")
        }
        var availability: [MinuteRange] = []
        for (i, range) in wire.availability.enumerated() {
            let start = LocalDateTime(range.start), end = LocalDateTime(range.end)
            if start == nil { problems.append(FieldViolation(subject: "availability[\(i)].start", description: "must be a local date-time YYYY-MM-DDTHH:MM")) }
            if end == nil { problems.append(FieldViolation(subject: "availability[\(i)].end", description: "must be a local date-time YYYY-MM-DDTHH:MM")) }
            if let start, let end { availability.append(MinuteRange(start: start.minutes, end: end.minutes)) }
        }
        let trainer = Trainer(
            id: TrainerID(wire.trainerId), name: wire.name, biography: wire.biography,
            qualifiedCourses: Set(wire.qualifiedCourseIds.map { CourseID($0) }), availability: availability)
        // Availability indexes only match the request when every range parsed.
        let parsedAll = availability.count == wire.availability.count
        for violation in trainer.violations where violation.subject != "id" && (parsedAll || !violation.subject.hasPrefix("availability")) {
            problems.append(violation)
        }
        return problems.isEmpty ? .success(trainer) : .failure(FieldViolations(violations: problems))
    }
}

extension Room {
    static func from(wire: TrainingWire.Room) -> Result<Room, FieldViolations> {
        var problems = FieldRules.identifier(wire.roomId, "room_id")
        let room = Room(id: RoomID(wire.roomId), site: wire.site, capacity: Int(clamping: wire.capacity), directions: wire.directions)
        for violation in room.violations where violation.subject != "id" {
            problems.append(violation)
        }
        return problems.isEmpty ? .success(room) : .failure(FieldViolations(violations: problems))
    }
}

// MARK: - Sessions

extension DraftSession {
    /// The session in minutes since the month's start, or its problems (subjects under `path`).
    static func from(wire: PlannedSession, month: PlanningMonth, path: String) -> Result<DraftSession, FieldViolations> {
        var problems = FieldRules.identifier(wire.sessionId, "\(path).session_id")
        problems += FieldRules.identifier(wire.courseId, "\(path).course_id")
        problems += FieldRules.identifier(wire.trainerId, "\(path).trainer_id")
        if !wire.roomId.isEmpty { problems += FieldRules.identifier(wire.roomId, "\(path).room_id") }
        if wire.link.count > 500 { problems.append(FieldViolation(subject: "\(path).link", description: "is longer than 500 characters")) }
        if wire.link.unicodeScalars.contains(where: FieldRules.isControl) {
            problems.append(FieldViolation(subject: "\(path).link", description: "must not contain control characters"))
        }
        let start = LocalDateTime(wire.start), end = LocalDateTime(wire.end)
        if let start {
            if !month.contains(start) { problems.append(FieldViolation(subject: "\(path).start", description: "\(wire.start) is not in \(month)")) }
        } else {
            problems.append(FieldViolation(subject: "\(path).start", description: "must be a local date-time YYYY-MM-DDTHH:MM"))
        }
        if let end {
            if let start, abs(end.minutes - start.minutes) > 31 * 1440 {
                problems.append(FieldViolation(subject: "\(path).end", description: "is more than 31 days from start"))
            }
        } else {
            problems.append(FieldViolation(subject: "\(path).end", description: "must be a local date-time YYYY-MM-DDTHH:MM"))
        }
        guard problems.isEmpty, let start, let end else { return .failure(FieldViolations(violations: problems)) }
        return .success(DraftSession(
            id: SessionID(wire.sessionId), course: CourseID(wire.courseId), trainer: TrainerID(wire.trainerId),
            room: wire.roomId.isEmpty ? nil : RoomID(wire.roomId),
            time: MinuteRange(start: start.minutes - month.startMinute, end: end.minutes - month.startMinute),
            capacity: Int(clamping: wire.capacity), link: wire.link))
    }

    func wire(month: PlanningMonth) -> PlannedSession {
        PlannedSession(
            sessionId: id.rawValue, courseId: course.rawValue, trainerId: trainer.rawValue, roomId: room?.rawValue ?? "",
            start: LocalDateTime(minutes: month.startMinute + time.start).description,
            end: LocalDateTime(minutes: month.startMinute + time.end).description, capacity: UInt32(clamping: capacity), link: link)
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
