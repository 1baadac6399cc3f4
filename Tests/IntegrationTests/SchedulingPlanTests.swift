import Foundation
import RPCRuntime
import TestSupport
import Testing
import TrainingWire

/// A trainer's monthly plan against the real `training-scheduling` executable: catalogue,
/// trainers and rooms, a draft, a refused publication listing every violation, a fixed
/// draft published and frozen.
@Suite("Scheduling: the monthly plan over its socket", .serialized)
struct SchedulingPlanTests {
    static func expectStatus<T>(_ code: StatusCode, _ body: () async throws -> T) async throws -> RPCError? {
        do {
            _ = try await body()
            Issue.record("expected \(code)")
            return nil
        } catch let error as RPCError {
            #expect(error.code == code, "\(error.message)")
            return error
        }
    }

    @Test("put the catalogue, draft, publish with violations, fix, publish, frozen")
    func monthlyPlan() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let process = try ServiceProcess("training-scheduling", in: directory, arguments: ["--clock-start", "2026-11-10T10:00:00+08:00"])
        try await process.waitUntilServing()
        let client = try await RPCClient.connect(socketPath: process.socketPath, caller: "training-manager")

        // Catalogue: one bad course (no title, zero duration) is named; the others are stored.
        let courses = try await client.call(TrainingSchedulingMethods.putCourses, PutCoursesRequest(courses: [
            CatalogueCourse(courseId: "C-PHRASING", title: "标准话术", kind: .serviceQualityImprovement, category: .mandatory,
                            method: .classroom, durationMinutes: 120),
            CatalogueCourse(courseId: "C-BAD", title: " ", kind: .skillImprovement, category: .elective, method: .classroom, durationMinutes: 0),
            CatalogueCourse(courseId: "C-ONLINE", title: "Online refresher", kind: .skillImprovement, category: .elective,
                            method: .online, durationMinutes: 60),
        ]))
        #expect(courses.accepted == 2 && courses.rejected == 1)
        #expect(courses.results[1].id == "C-BAD" && courses.results[1].outcome == .rejected)
        #expect(Set(courses.results[1].violations.map(\.subject)) == ["title", "duration_minutes"])

        let trainers = try await client.call(TrainingSchedulingMethods.putTrainers, PutTrainersRequest(trainers: [
            Trainer(trainerId: "T1", name: "Li Na", qualifiedCourseIds: ["C-PHRASING", "C-ONLINE"],
                    availability: [LocalTimeRange(start: "2026-12-01T09:00", end: "2026-12-01T18:00"),
                                   LocalTimeRange(start: "2026-12-02T09:00", end: "2026-12-02T18:00")]),
            Trainer(trainerId: "T-BAD", name: "Nobody", availability: [LocalTimeRange(start: "2026-12-01 09:00", end: "2026-12-01T18:00")]),
            Trainer(trainerId: "T2", name: "Wang Wei", qualifiedCourseIds: ["C-ONLINE"],
                    availability: [LocalTimeRange(start: "2026-12-01T08:00", end: "2026-12-03T20:00")]),
        ]))
        #expect(trainers.accepted == 2 && trainers.rejected == 1)
        #expect(trainers.results[1].id == "T-BAD" && trainers.results[1].violations.map(\.subject) == ["availability[0].start"])

        let rooms = try await client.call(TrainingSchedulingMethods.putRooms, PutRoomsRequest(rooms: [
            Room(roomId: "R1", site: "Chengdu", capacity: 12),
            Room(roomId: "R-BAD", site: "Chengdu", capacity: 0),
        ]))
        #expect(rooms.accepted == 1 && rooms.rejected == 1)
        #expect(rooms.results[1].id == "R-BAD" && rooms.results[1].violations.map(\.subject) == ["capacity"])
        let again = try await client.call(TrainingSchedulingMethods.putRooms, PutRoomsRequest(rooms: [Room(roomId: "R1", site: "Chengdu", capacity: 12)]))
        #expect(again.duplicate == 1)

        _ = try await client.call(TrainingSchedulingMethods.approveCourseware,
                                  ApproveCoursewareRequest(courseId: "C-PHRASING", version: "v1", approvedBy: "manager-zhang"))
        _ = try await Self.expectStatus(.notFound) {
            try await client.call(TrainingSchedulingMethods.approveCourseware,
                                  ApproveCoursewareRequest(courseId: "C-NONE", version: "v1", approvedBy: "manager-zhang"))
        }

        // A draft with field problems is refused whole, every problem named.
        let malformed = try await Self.expectStatus(.invalidArgument) {
            try await client.call(TrainingSchedulingMethods.draftSessions, DraftSessionsRequest(month: "2026-12", sessions: [
                PlannedSession(sessionId: "S1", courseId: "C-PHRASING", trainerId: "T1", roomId: "R1",
                               start: "2026-11-30T09:00", end: "2026-12-01T11:00", capacity: 10),
                PlannedSession(sessionId: "", courseId: "C-PHRASING", trainerId: "T1", start: "2026-12-01T09:00", end: "bad", capacity: 10),
            ]))
        }
        #expect(Set(malformed?.violations.map(\.subject) ?? []) == ["sessions[0].start", "sessions[1].session_id", "sessions[1].end"])

        // S1 and S2 share trainer T1 and room R1; S3 is online with a room and an unapproved
        // course; S4 asks for more seats than R1 has.
        var draft = [
            PlannedSession(sessionId: "S1", courseId: "C-PHRASING", trainerId: "T1", roomId: "R1",
                           start: "2026-12-01T09:00", end: "2026-12-01T11:00", capacity: 10),
            PlannedSession(sessionId: "S2", courseId: "C-PHRASING", trainerId: "T1", roomId: "R1",
                           start: "2026-12-01T10:00", end: "2026-12-01T12:00", capacity: 10),
            PlannedSession(sessionId: "S3", courseId: "C-ONLINE", trainerId: "T2", roomId: "R1",
                           start: "2026-12-02T14:00", end: "2026-12-02T15:00", capacity: 30),
            PlannedSession(sessionId: "S4", courseId: "C-PHRASING", trainerId: "T1", roomId: "R1",
                           start: "2026-12-02T09:00", end: "2026-12-02T11:00", capacity: 20),
        ]
        let drafted = try await client.call(TrainingSchedulingMethods.draftSessions, DraftSessionsRequest(month: "2026-12", sessions: draft))
        #expect(drafted.sessions == 4)

        let rejected = try await Self.expectStatus(.failedPrecondition) {
            try await client.call(TrainingSchedulingMethods.publishMonthlyPlan, PublishMonthlyPlanRequest(month: "2026-12"))
        }
        let violations = (rejected?.violations ?? []).map { "\($0.subject) | \($0.description.prefix(while: { $0 != ":" }))" }
        #expect(violations == [
            "sessions S1,S2 | trainer_double_booked",
            "sessions S1,S2 | room_double_booked",
            "sessions S3 | room_on_online_session",
            "sessions S3 | courseware_not_approved",
            "sessions S3 | capacity_above_room",
            "sessions S4 | capacity_above_room",
        ])

        // Fix: S2 later, S3 without a room and approved, S4 within the room's seats.
        draft[1].start = "2026-12-01T13:00"
        draft[1].end = "2026-12-01T15:00"
        draft[2].roomId = ""
        draft[3].capacity = 12
        _ = try await client.call(TrainingSchedulingMethods.approveCourseware,
                                  ApproveCoursewareRequest(courseId: "C-ONLINE", version: "2026.1", approvedBy: "manager-zhang"))
        _ = try await client.call(TrainingSchedulingMethods.draftSessions, DraftSessionsRequest(month: "2026-12", sessions: draft))
        let draftRead = try await client.call(TrainingSchedulingMethods.getMonthlyPlan, GetMonthlyPlanRequest(month: "2026-12"))
        #expect(draftRead.state == .draft && draftRead.sessions == draft)

        let published = try await client.call(TrainingSchedulingMethods.publishMonthlyPlan, PublishMonthlyPlanRequest(month: "2026-12"))
        #expect(published.sessions == 4)

        let redraft = try await Self.expectStatus(.failedPrecondition) {
            try await client.call(TrainingSchedulingMethods.draftSessions, DraftSessionsRequest(month: "2026-12", sessions: []))
        }
        #expect(redraft?.violations.first?.subject == "month")

        let plan = try await client.call(TrainingSchedulingMethods.getMonthlyPlan, GetMonthlyPlanRequest(month: "2026-12"))
        #expect(plan.state == .published && plan.publishedAtUnixMs == published.publishedAtUnixMs)
        // Sorted by start, then id: S1 (12-01 09:00), S2 (12-01 13:00), S4 (12-02 09:00), S3 (12-02 14:00).
        #expect(plan.sessions == [draft[0], draft[1], draft[3], draft[2]])

        _ = try await Self.expectStatus(.notFound) {
            try await client.call(TrainingSchedulingMethods.getMonthlyPlan, GetMonthlyPlanRequest(month: "2027-01"))
        }

        await client.close()
        #expect(try await process.stop() == 0)
    }
}
