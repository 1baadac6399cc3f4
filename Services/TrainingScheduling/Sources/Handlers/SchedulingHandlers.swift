import Foundation
import RPCRuntime
import SQLiteStorage
import ServiceKit
import TrainingWire

/// The TrainingScheduling methods: each checks its request, runs one unit of work on the
/// database (mutations in the writer's group commit, queries on a reader) and maps the
/// result to the wire. Errors are typed (`SchedulingCallError`, `PlanRejected`, storage
/// errors) and become statuses in `WireMapping.swift`.
struct SchedulingHandlers: Sendable {
    let database: SQLiteDatabase
    let clock: ServiceClock
    let repository = SchedulingRepository()

    /// Most sessions one draft may hold.
    static let maximumSessions = 10_000

    var now: Int64 { Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down)) }

    func register(in router: inout RPCRouter) {
        router.registerAsync(TrainingSchedulingMethods.putCourses, handler: putCourses)
        router.registerAsync(TrainingSchedulingMethods.putTrainers, handler: putTrainers)
        router.registerAsync(TrainingSchedulingMethods.putRooms, handler: putRooms)
        router.registerAsync(TrainingSchedulingMethods.approveCourseware, handler: approveCourseware)
        router.registerAsync(TrainingSchedulingMethods.draftSessions, handler: draftSessions)
        router.registerAsync(TrainingSchedulingMethods.publishMonthlyPlan, handler: publishMonthlyPlan)
        router.registerAsync(TrainingSchedulingMethods.getMonthlyPlan, handler: getMonthlyPlan)
        router.registerAsync(TrainingSchedulingMethods.validateMonthlyPlan, handler: validateMonthlyPlan)
    }

    // MARK: Catalogue

    func putCourses(_ request: PutCoursesRequest, _ context: CallContext) async throws -> BatchResponse {
        try BatchResults.checkSize(request.courses.count, field: "courses")
        let courses = request.courses.map(CatalogueCourse.from(wire:))
        let ids = request.courses.map(\.courseId)
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            BatchResults.response(try repository.putCourses(courses, now: now, db), ids: ids)
        }
    }

    func putTrainers(_ request: PutTrainersRequest, _ context: CallContext) async throws -> BatchResponse {
        try BatchResults.checkSize(request.trainers.count, field: "trainers")
        let trainers = request.trainers.map(Trainer.from(wire:))
        let ids = request.trainers.map(\.trainerId)
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            BatchResults.response(try repository.putTrainers(trainers, now: now, db), ids: ids)
        }
    }

    func putRooms(_ request: PutRoomsRequest, _ context: CallContext) async throws -> BatchResponse {
        try BatchResults.checkSize(request.rooms.count, field: "rooms")
        let rooms = request.rooms.map(Room.from(wire:))
        let ids = request.rooms.map(\.roomId)
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            BatchResults.response(try repository.putRooms(rooms, now: now, db), ids: ids)
        }
    }

    func approveCourseware(_ request: ApproveCoursewareRequest, _ context: CallContext) async throws -> ApproveCoursewareResponse {
        var problems = FieldRules.identifier(request.courseId, "course_id")
        problems += FieldRules.identifier(request.version, "version")
        problems += FieldRules.text(request.approvedBy, "approved_by", maximum: 200)
        guard problems.isEmpty else { throw SchedulingCallError.invalid(problems) }
        let now = self.now
        let course = CourseID(request.courseId)
        return try await database.idempotentWrite(context, now: now) { db in
            guard try repository.course(course, db) != nil else {
                throw SchedulingCallError.notFound("course \(course) is not in the catalogue")
            }
            if let first = try repository.approveCourseware(course: course, version: request.version, approvedBy: request.approvedBy, now: now, db) {
                return ApproveCoursewareResponse(alreadyApproved: true, approvedBy: first.approvedBy, approvedAtUnixMs: first.at)
            }
            return ApproveCoursewareResponse(alreadyApproved: false, approvedBy: request.approvedBy, approvedAtUnixMs: now)
        }
    }

    // MARK: Monthly plan

    static func month(_ text: String) throws(SchedulingCallError) -> PlanningMonth {
        try month(text, plus: [])
    }

    /// The month, with the other field problems of the request: every problem is reported at
    /// once, the month's first.
    static func month(_ text: String, plus problems: [FieldViolation]) throws(SchedulingCallError) -> PlanningMonth {
        var problems = problems
        let month = PlanningMonth(text)
        if month == nil { problems.insert(FieldViolation(subject: "month", description: "must be a month YYYY-MM"), at: 0) }
        guard problems.isEmpty, let month else { throw .invalid(problems) }
        return month
    }

    func draftSessions(_ request: DraftSessionsRequest, _ context: CallContext) async throws -> DraftSessionsResponse {
        var problems: [FieldViolation] = []
        let month = PlanningMonth(request.month)
        if month == nil { problems.append(FieldViolation(subject: "month", description: "must be a month YYYY-MM")) }
        if request.sessions.count > Self.maximumSessions {
            problems.append(FieldViolation(subject: "sessions", description: "must hold at most \(Self.maximumSessions) sessions (it holds \(request.sessions.count))"))
        }
        guard problems.isEmpty, let month else { throw SchedulingCallError.invalid(problems) }
        var sessions: [DraftSession] = []
        for (index, wire) in request.sessions.enumerated() {
            switch DraftSession.from(wire: wire, month: month, path: "sessions[\(index)]") {
            case .success(let session): sessions.append(session)
            case .failure(let found): problems += found.violations
            }
        }
        guard problems.isEmpty else { throw SchedulingCallError.invalid(problems) }
        let now = self.now
        let draft = sessions
        return try await database.idempotentWrite(context, now: now) { db in
            if try repository.isPublished(month: month.description, db) {
                throw SchedulingCallError.precondition("month", "the plan of \(month) is published and can no longer change")
            }
            try repository.replaceDraft(month: month.description, sessions: draft, now: now, db)
            return DraftSessionsResponse(sessions: UInt32(draft.count))
        }
    }

    func publishMonthlyPlan(_ request: PublishMonthlyPlanRequest, _ context: CallContext) async throws -> PublishMonthlyPlanResponse {
        let month = try Self.month(request.month)
        let now = self.now
        return try await database.idempotentWrite(context, now: now) { db in
            guard let stored = try repository.plan(month: month.description, db) else {
                throw SchedulingCallError.precondition("month", "\(month) has no draft; draft its sessions (DraftSessions) first")
            }
            if stored.published {
                throw SchedulingCallError.precondition("month", "the plan of \(month) is already published")
            }
            let plan = try MonthlyPlan.publish(
                sessions: stored.sessions, catalogue: try repository.courses(db), trainers: try repository.trainers(from: month.startMinute, db),
                rooms: try repository.rooms(db), courseware: try repository.courseware(db), timeText: month.text)
            try repository.storePublished(month: month.description, plan: plan, now: now, db)
            return PublishMonthlyPlanResponse(sessions: UInt32(plan.sessions.count), publishedAtUnixMs: now)
        }
    }

    func validateMonthlyPlan(_ request: ValidateMonthlyPlanRequest, _ context: CallContext) async throws -> ValidateMonthlyPlanResponse {
        let month = try Self.month(request.month)
        return try await database.read(context) { db in
            guard let stored = try repository.plan(month: month.description, db) else {
                throw SchedulingCallError.notFound("\(month) has no draft")
            }
            if stored.published {
                throw SchedulingCallError.precondition("month", "the plan of \(month) is already published")
            }
            let violations = MonthlyPlan.violations(
                sessions: stored.sessions, catalogue: try repository.courses(db), trainers: try repository.trainers(from: month.startMinute, db),
                rooms: try repository.rooms(db), courseware: try repository.courseware(db), timeText: month.text)
            return ValidateMonthlyPlanResponse(sessions: UInt32(stored.sessions.count), violations: violations.map(\.wire))
        }
    }

    func getMonthlyPlan(_ request: GetMonthlyPlanRequest, _ context: CallContext) async throws -> GetMonthlyPlanResponse {
        let month = try Self.month(request.month)
        let stored = try await database.read(context) { db in try repository.plan(month: month.description, db) }
        guard let stored else { throw SchedulingCallError.notFound("\(month) was neither drafted nor published") }
        return GetMonthlyPlanResponse(
            month: month.description, state: stored.published ? .published : .draft,
            sessions: stored.sessions.map { $0.wire(month: month) }, publishedAtUnixMs: stored.publishedAt)
    }
}
