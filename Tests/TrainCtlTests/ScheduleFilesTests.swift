import CalendarDates
import Foundation
import Testing
import TrainingWire

@testable import TrainCtl

/// The CSV files of `trainctl schedule` (docs/training-scheduling.md) and the requests
/// they become.
@Suite("Scheduling CSV files")
struct ScheduleFilesTests {
    static let courseHeader = "course_id,title,kind,category,method,duration_minutes,purpose,topics,preparation,"
        + "criterion_ids,metric_ids,departments,sites,for_managers\n"

    @Test func aDocumentedCourseLineBecomesTheCourse() throws {
        let text = Self.courseHeader
            + "C-PHRASING,标准话术,service_quality_improvement,mandatory,classroom,120,\"Why it matters, for you\","
            + "greeting; closing ;hold,Listen to two calls,standard_phrasing;warmth,csat,Voice;Chat,Chengdu,false\n"
        let file = try CourseCSV.parse(path: "courses.csv", bytes: bytes(text))
        let record = try #require(file.records.first)
        #expect(record.errors.isEmpty && record.id == "C-PHRASING" && record.line == 2)
        #expect(record.message == CatalogueCourse(
            courseId: "C-PHRASING", title: "标准话术", kind: .serviceQualityImprovement, category: .mandatory, method: .classroom,
            durationMinutes: 120, purpose: "Why it matters, for you", topics: ["greeting", "closing", "hold"],
            preparation: "Listen to two calls", criterionIds: ["standard_phrasing", "warmth"], metricIds: ["csat"],
            departments: ["Voice", "Chat"], sites: ["Chengdu"], forManagers: false))
    }

    @Test func optionalColumnsMayBeLeftOutAndEmptyListsAreEmpty() throws {
        let text = "method,duration_minutes,course_id,title,kind,category,topics,for_managers\n"
            + "online,45,C-ONLINE,Refresher,new_campaign,elective,,\n"
            + "video,30,C-LEAD,Leading,service_management,optional,  ,true\n"
        let file = try CourseCSV.parse(path: "courses.csv", bytes: bytes(text))
        #expect(file.records.map(\.errors) == [[], []])
        let online = try #require(file.records[0].message)
        #expect(online.topics.isEmpty && online.sites.isEmpty && online.purpose.isEmpty && !online.forManagers)
        #expect(online.kind == .newCampaign && online.category == .elective && online.method == .online)
        #expect(file.records[1].message?.forManagers == true && file.records[1].message?.topics == [])
    }

    @Test func enumNamesAreTheProtoNamesWithoutTheirPrefixInLowerCase() {
        #expect(CourseKind.cliNames == [
            "new_business", "new_campaign", "skill_improvement", "service_quality_improvement", "service_awareness",
            "customer_service_skills", "internal_service", "team_collaboration", "problem_solving", "service_management",
            "onboarding", "complaint_handling", "stress_and_emotion_management", "career_development",
        ])
        #expect(CourseCategory.cliNames == ["mandatory", "elective", "optional"])
        #expect(CourseMethod.cliNames == ["classroom", "recording_review", "simulation", "floor_shadowing", "video", "audio", "reading", "online"])
        #expect(UnplacedReason.cliNames == ["no_session_scheduled", "no_session_within_shifts", "clashes_with_other_training", "no_seat", "coverage", "no_later_session"])
        #expect(AttendanceRequirement.cliNames == ["required", "voluntary"])
        #expect(SignUpOutcome.cliNames == ["enrolled", "waiting", "already_enrolled", "already_waiting"])
        #expect(MonthlyPlanState.published.json == .string("published") && EnrolmentBasis.unspecified.json == .null)
        // The full proto name is accepted too, in any case; the unspecified value never is.
        #expect(CourseKind(cliName: "COURSE_KIND_NEW_BUSINESS") == .newBusiness)
        #expect(CourseKind(cliName: "Complaint_Handling") == .complaintHandling)
        #expect(CourseKind(cliName: "unspecified") == nil && CourseKind(cliName: "course_kind_unspecified") == nil)
        // The intake's enums, which have no prefix, are named as before.
        #expect(AgentStatus.inService.cliName == "in_service" && AgentStatus(cliName: "IN_SERVICE") == .inService)
        #expect(Tier.cliNames == ["advanced", "standard", "coaching", "insufficient_data"])
    }

    @Test func everyProblemIsNamedByLineAndColumn() throws {
        let text = Self.courseHeader
            + "C1,\"A title\nover two lines\",new-business,must,classroom,0,,a;;b,,x;,,,,maybe\n"
            + "C2,Fine,onboarding,mandatory,classroom,60,,,,,,,,\n"
            + "C3,Short,onboarding,mandatory\n"
        let file = try CourseCSV.parse(path: "courses.csv", bytes: bytes(text))
        #expect(file.records.map(\.line) == [2, 4, 5])
        let errors = Dictionary(file.records[0].errors.map { ($0.field, $0.reason) }, uniquingKeysWith: { $0 + "; " + $1 })
        #expect(errors["kind"] == "must be one of " + CourseKind.cliNames.joined(separator: ", "))
        #expect(errors["category"] == "must be one of mandatory, elective, optional")
        #expect(errors["duration_minutes"] == "must be a whole number ≥ 1")
        #expect(errors["topics"] == "item 2 of the list is empty (separate items with \";\")")
        #expect(errors["criterion_ids"] == "item 2 of the list is empty (separate items with \";\")")
        #expect(errors["for_managers"] == "must be true or false")
        #expect(errors.count == 6)
        #expect(file.records[0].message == nil && file.records[1].message != nil)
        #expect(file.records[2].errors == [FieldError(field: "", reason: "has 4 fields; the header has 14")])
        // The rejects file line keeps the record's columns, its line and its errors.
        let reject = try foundationObject(file.rejectLine(for: file.records[0], errors: file.records[0].errors))
        #expect(reject["_line"] as? Int == 2 && reject["kind"] as? String == "new-business")
        #expect((reject["_errors"] as? [[String: String]])?.contains(["field": "kind", "reason": errors["kind"] ?? ""]) == true)
    }

    @Test func aHeaderWithoutARequiredColumnIsRefusedAsAWhole() {
        #expect(throws: InputFileError("rooms.csv: the header lacks column capacity (it has room_id, site, directions)")) {
            try RoomCSV.parse(path: "rooms.csv", bytes: bytes("room_id,site,directions\nR1,Chengdu,2F\n"))
        }
    }

    @Test func localTimesAreExactlyYearMonthDayHourMinute() {
        #expect(LocalDateTime("2026-12-01T09:30")?.description == "2026-12-01T09:30")
        #expect(LocalDateTime("2026-12-01T09:30")?.yearMonth == YearMonth("2026-12"))
        for bad in ["2026-12-01 09:30", "2026-12-01T9:30", "2026-12-01T24:00", "2026-02-30T10:00", "2026-12-01T09:30:00",
                    "2026-12-01T09:60", "2026-12-01T09:30+08:00", ""] {
            #expect(LocalDateTime(bad) == nil, "\(bad)")
        }
        #expect(LocalDateTime.span("2026-12-01T09:00", "2026-12-01T11:30") == "2026-12-01 09:00–11:30")
        #expect(LocalDateTime.span("2026-12-01T22:00", "2026-12-02T06:00") == "2026-12-01 22:00 – 2026-12-02 06:00")
    }

    @Test func sessionsWithAndWithoutARoom() throws {
        let text = "session_id,course_id,trainer_id,room_id,start,end,capacity\n"
            + "S1,C-PHRASING,T1,R1,2026-12-01T09:00,2026-12-01T11:00,10\n"
            + "S2,C-ONLINE,T2,,2026-12-02T14:00,2026-12-02T15:00,30\n"
            + "S3,C-ONLINE,T2,,2026-12-02 14:00,2026-12-02T15:00,many\n"
        let file = try SessionCSV.parse(path: "sessions.csv", bytes: bytes(text))
        #expect(file.records[0].message == PlannedSession(sessionId: "S1", courseId: "C-PHRASING", trainerId: "T1", roomId: "R1",
                                                          start: "2026-12-01T09:00", end: "2026-12-01T11:00", capacity: 10))
        #expect(file.records[1].message?.roomId == "")
        #expect(file.records[2].line == 4 && file.records[2].errors.map(\.field) == ["start", "capacity"])
        #expect(SessionCSV.row(try #require(file.records[0].message)) == ["S1", "C-PHRASING", "T1", "R1", "2026-12-01T09:00", "2026-12-01T11:00", "10"])
    }

    // MARK: - Trainers and their availability

    @Test func eachTrainerGetsItsSpansInFileOrder() throws {
        var trainers = try TrainerCSV.parse(path: "trainers.csv", bytes: bytes(
            "trainer_id,name,biography,qualified_course_ids\nT1,Li Na,Ten years on the floor,C-PHRASING;C-ONLINE\nT2,Wang Wei,,\nT3,Zhao,,C-X\n"))
        let spans = try AvailabilityCSV.parse(path: "availability.csv", bytes: bytes(
            "trainer_id,start,end\nT1,2026-12-02T09:00,2026-12-02T18:00\nT2,2026-12-01T08:00,2026-12-03T20:00\n"
                + "T1,2026-12-01T09:00,2026-12-01T18:00\nT3,2026-12-01T09:00,tomorrow\n"))
        let attached = AvailabilityCSV.attach(spans, to: &trainers)
        #expect(attached.problems.isEmpty)
        #expect(trainers.records[0].message == Trainer(
            trainerId: "T1", name: "Li Na", biography: "Ten years on the floor", qualifiedCourseIds: ["C-PHRASING", "C-ONLINE"],
            availability: [LocalTimeRange(start: "2026-12-02T09:00", end: "2026-12-02T18:00"),
                           LocalTimeRange(start: "2026-12-01T09:00", end: "2026-12-01T18:00")]))
        #expect(attached.lines[0] == [2, 4] && attached.lines[1] == [3])
        #expect(trainers.records[1].message?.availability.count == 1 && trainers.records[1].message?.qualifiedCourseIds == [])
        // T3's only span cannot be read: T3 is not sent, and the error says where.
        #expect(trainers.records[2].message == nil)
        #expect(trainers.records[2].errors == [FieldError(
            field: "availability", reason: "availability.csv line 5: end: must be a local time YYYY-MM-DDTHH:MM, e.g. 2026-12-01T09:00")])
    }

    @Test func spansOfTrainersNotInTheTrainersFileStopTheImport() throws {
        var trainers = try TrainerCSV.parse(path: "trainers.csv", bytes: bytes("trainer_id,name\nT1,Li Na\n"))
        let spans = try AvailabilityCSV.parse(path: "availability.csv", bytes: bytes(
            "trainer_id,start,end\nT9,2026-12-02T09:00,2026-12-02T18:00\n,2026-12-02T09:00,2026-12-02T18:00\n"))
        let attached = AvailabilityCSV.attach(spans, to: &trainers)
        #expect(attached.problems == [
            "availability.csv line 2: trainer T9 is not in trainers.csv",
            "availability.csv line 3: names no trainer (trainer_id: is required)",
        ])
    }

    // MARK: - Shifts

    static func shift(_ agent: String, _ start: String, _ end: String) -> ShiftCSV.Shift {
        ShiftCSV.Shift(agentId: agent, start: LocalDateTime(start)!, end: LocalDateTime(end)!)
    }

    @Test func shiftsGoOneMonthPerCallAgentsByIdEachAgentsShiftsTogetherByStart() throws {
        let text = "agent_id,start,end\n"
            + "A2,2026-12-02T09:00,2026-12-02T18:00\n"   // record 0
            + "A1,2026-12-03T09:00,2026-12-03T18:00\n"   // 1
            + "A1,2026-11-30T22:00,2026-12-01T06:00\n"   // 2: starts in November
            + "A1,2026-12-01T09:00,2026-12-01T18:00\n"   // 3
            + "A2,2026-12-01T09:00,2026-12-01T18:00\n"   // 4
        let file = try ShiftCSV.parse(path: "shifts.csv", bytes: bytes(text))
        #expect(file.locallyRejected == 0)
        let batches = ShiftCSV.batches(file.records.enumerated().compactMap { index, record in record.message.map { (index, $0) } })
        #expect(batches.map(\.request.month) == ["2026-11", "2026-12"])
        #expect(batches[0].request.agents == [AgentShifts(agentId: "A1", shifts: [LocalTimeRange(start: "2026-11-30T22:00", end: "2026-12-01T06:00")])])
        #expect(batches[0].sources == [[2]])
        #expect(batches[1].request.agents.map(\.agentId) == ["A1", "A2"])
        #expect(batches[1].request.agents[0].shifts.map(\.start) == ["2026-12-01T09:00", "2026-12-03T09:00"])
        #expect(batches[1].request.agents[1].shifts.map(\.start) == ["2026-12-01T09:00", "2026-12-02T09:00"])
        #expect(batches[1].sources == [[3, 1], [4, 0]])
    }

    @Test func aCallHoldsAtMostTheLimitOfAgentsAndNeverSplitsAnAgentsMonth() {
        // 2,501 agents with two December shifts each (listed in reverse), and one with a January shift.
        var sendable: [(record: Int, message: ShiftCSV.Shift)] = []
        for agent in (0..<2_501).reversed() {
            let id = "A" + Digits.padded(agent, 5)
            sendable.append((sendable.count, Self.shift(id, "2026-12-02T09:00", "2026-12-02T17:00")))
            sendable.append((sendable.count, Self.shift(id, "2026-12-01T09:00", "2026-12-01T17:00")))
        }
        sendable.append((sendable.count, Self.shift("A00007", "2027-01-04T09:00", "2027-01-04T17:00")))
        let batches = ShiftCSV.batches(sendable)
        #expect(batches.map(\.request.month) == ["2026-12", "2026-12", "2026-12", "2027-01"])
        #expect(batches.map(\.request.agents.count) == [1_000, 1_000, 501, 1])
        #expect(batches.map(\.sources.count) == [1_000, 1_000, 501, 1])
        #expect(batches[0].request.agents.first?.agentId == "A00000" && batches[1].request.agents.first?.agentId == "A01000")
        #expect(batches[2].request.agents.last?.agentId == "A02500")
        #expect(batches.prefix(3).allSatisfy { $0.request.agents.allSatisfy { $0.shifts.map(\.start) == ["2026-12-01T09:00", "2026-12-02T09:00"] } })
        // Every line is sent exactly once.
        #expect(batches.flatMap { $0.sources.flatMap { $0 } }.sorted() == Array(0..<sendable.count))
        // A smaller limit (--batch-size) splits the same way.
        #expect(ShiftCSV.batches(sendable, limit: 600).map(\.request.agents.count) == [600, 600, 600, 600, 101, 1])
    }

    @Test func aLineThatCannotBeReadKeepsItsAgentsMonthBack() throws {
        let text = "agent_id,start,end\n"
            + "A1,2026-12-01T09:00,2026-12-01T18:00\n"   // held back: A1's December has a bad line
            + "A1,2026-12-02T09:00,evening\n"            // bad end, December
            + "A1,2026-11-02T09:00,2026-11-02T18:00\n"   // A1's November is fine
            + "A2,2026-12-01T09:00,2026-12-01T18:00\n"   // held back: A2's start below cannot be read
            + "A2,2026-11-01T09:00,2026-11-01T18:00\n"   // held back too
            + "A2,yesterday,2026-12-05T18:00\n"
            + "A3,2026-12-01T09:00,2026-12-01T18:00\n"
        let file = try ShiftCSV.parse(path: "shifts.csv", bytes: bytes(text))
        #expect(file.records.map { $0.message != nil } == [false, false, true, false, false, false, true])
        #expect(file.records[0].errors == [FieldError(
            field: "", reason: "not sent: line 3 of agent A1 could not be read, and the service replaces an agent's whole month")])
        #expect(file.records[1].errors.map(\.field) == ["end"])
        #expect(file.records[3].errors.first?.reason.hasPrefix("not sent: line 7 of agent A2") == true)
        #expect(file.records[5].errors.map(\.field) == ["start"])
    }

    @Test func theServicesViolationsOfAnAgentLandOnTheLinesTheyName() {
        // Lines 2..4 of the file are records 0..2; the agent's shifts were sent as records 2, 0, 1.
        let lines = [2, 3, 4]
        let sources = [2, 0, 1]
        let end = ShiftCSV.locate(Violation(subject: "shifts[1].end", description: "is more than 24 hours after start"),
                                  sources: sources, lines: lines)
        #expect(end.map(\.record) == [0] && end.first?.error == FieldError(field: "end", reason: "is more than 24 hours after start"))
        let overlap = ShiftCSV.locate(Violation(subject: "shifts[2]", description: "overlaps shifts[0]"), sources: sources, lines: lines)
        #expect(overlap.map(\.record) == [1] && overlap.first?.error == FieldError(field: "", reason: "overlaps the shift of line 4"))
        let agent = ShiftCSV.locate(Violation(subject: "agent_id", description: "is not an id"), sources: sources, lines: lines)
        #expect(agent.map(\.record) == [2, 0, 1] && agent.allSatisfy { $0.error.field == "agent_id" })
    }

    // MARK: - Forecasts, rooms, queues, courseware

    @Test func forecastsGoOneMonthPerCallInFileOrder() throws {
        var text = "queue_id,start,expected_contacts,average_handle_seconds,shrinkage\n"
        text += "Q1,2027-01-01T09:00,10,300,0.3\n"
        for index in 0..<1_001 {
            let minutes = index * 30
            text += "Q1,2026-12-\(Digits.padded(1 + minutes / 1440, 2))T\(Digits.padded(minutes % 1440 / 60, 2)):\(Digits.padded(minutes % 60, 2)),12.5,280,0.25\n"
        }
        text += "Q2,2026-12-01T09:00,lots,280,0.25\n"
        let file = try ForecastCSV.parse(path: "forecasts.csv", bytes: bytes(text))
        #expect(file.records.count == 1_003 && file.locallyRejected == 1)
        #expect(file.records[1].id == "Q1@2026-12-01T00:00" && file.records[1002].errors.map(\.field) == ["expected_contacts"])
        #expect(file.records[1].message?.forecast == IntervalForecast(
            queueId: "Q1", start: "2026-12-01T00:00", expectedContacts: 12.5, averageHandleSeconds: 280, shrinkage: 0.25))
        let batches = ForecastCSV.batches(file.records.enumerated().compactMap { index, record in record.message.map { (index, $0) } })
        #expect(batches.map(\.request.month) == ["2026-12", "2026-12", "2027-01"])
        #expect(batches.map(\.request.forecasts.count) == [1_000, 1, 1])
        #expect(batches[0].sources.first == [1] && batches[1].sources == [[1001]] && batches[2].sources == [[0]])
    }

    @Test func roomsQueuesAndCoursewareLines() throws {
        let rooms = try RoomCSV.parse(path: "rooms.csv", bytes: bytes("room_id,site,capacity,directions\nR1,Chengdu,12,\"2F, left\"\nR2,Chengdu,-1,\n"))
        #expect(rooms.records[0].message == Room(roomId: "R1", site: "Chengdu", capacity: 12, directions: "2F, left"))
        #expect(rooms.records[1].errors == [FieldError(field: "capacity", reason: "must be a whole number ≥ 0")])
        let queues = try QueueCSV.parse(path: "queues.csv", bytes: bytes(
            "queue_id,name,service_level_percent,answer_within_seconds\nQ1,Voice,80,20\nQ2,,80.5,\n"))
        #expect(queues.records[0].message == ServiceQueue(queueId: "Q1", name: "Voice", serviceLevelPercent: 80, answerWithinSeconds: 20))
        #expect(queues.records[1].errors.map(\.field) == ["service_level_percent", "answer_within_seconds"])
        let courseware = try CoursewareCSV.parse(path: "courseware.csv", bytes: bytes("course_id,version,approved_by\nC1,v1,manager-zhang\nC2,,x\n"))
        #expect(courseware.records[0].message == ApproveCoursewareRequest(courseId: "C1", version: "v1", approvedBy: "manager-zhang"))
        #expect(courseware.records[1].errors == [FieldError(field: "version", reason: "is required")])
    }

    // MARK: - Violations of a plan

    @Test func aPlanViolationNamesItsSessionsAndKind() {
        let double = PlanViolation(Violation(subject: "sessions S1,S2", description: "trainer_double_booked: T1 teaches S1 and S2 at once"))
        #expect(double.sessions == ["S1", "S2"] && double.kind == "trainer_double_booked")
        #expect(double.explanation == "T1 teaches S1 and S2 at once")
        let month = PlanViolation(Violation(subject: "month", description: "2026-12 is already published"))
        #expect(month.sessions.isEmpty && month.kind.isEmpty && month.explanation == "2026-12 is already published")
        #expect(PlanViolation.table([double]).contains("S1, S2    trainer_double_booked  T1 teaches S1 and S2 at once"))
    }
}
