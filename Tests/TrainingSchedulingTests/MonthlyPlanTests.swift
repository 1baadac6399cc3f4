import Testing
@testable import TrainingScheduling

/// Publishing the monthly plan. The fixture is a clean plan; each test breaks one thing
/// (or several) and checks the exact kinds and session ids reported.
@Suite struct MonthlyPlanTests {
    static let skills = CatalogueCourse(
        id: "C-skills", title: "Handling complaints", kind: .skillImprovement, category: .mandatory,
        method: .classroom, durationMinutes: 60)
    static let online = CatalogueCourse(
        id: "C-online", title: "New tariff", kind: .newBusiness, category: .mandatory, method: .online, durationMinutes: 60)
    static let catalogue = [skills, online]
    static let courseware = [
        CoursewareVersion(course: "C-skills", version: "1", approvedBy: "M1", approvedOn: -1440),
        CoursewareVersion(course: "C-online", version: "2", approvedBy: "M1", approvedOn: 0),
    ]
    /// Available 08:00–12:00 and 12:00–17:00 on day 0 (adjacent blocks), and all of day 1.
    static let trainers = [
        Trainer(id: "T1", name: "Wang", qualifiedCourses: ["C-skills", "C-online"],
                availability: [MinuteRange(start: 480, end: 720), MinuteRange(start: 720, end: 1020), MinuteRange(start: 1440, end: 2880)]),
        Trainer(id: "T2", name: "Li", qualifiedCourses: ["C-skills"], availability: [MinuteRange(start: 0, end: 2880)]),
    ]
    static let rooms = [Room(id: "R1", site: "North", capacity: 12), Room(id: "R2", site: "North", capacity: 20)]

    static func session(
        _ id: SessionID, course: CourseID = "C-skills", trainer: TrainerID = "T1", room: RoomID? = "R1",
        _ start: Int, _ end: Int, capacity: Int = 10
    ) -> DraftSession {
        DraftSession(id: id, course: course, trainer: trainer, room: room, time: MinuteRange(start: start, end: end), capacity: capacity)
    }

    static let clean = [
        session("S1", 540, 600),
        session("S2", 600, 660), // back to back with S1: same trainer, same room
        session("S3", course: "C-online", room: nil, 690, 780), // spans the two adjacent availability blocks
        session("S4", trainer: "T2", room: "R2", 540, 600, capacity: 20),
    ]

    static func check(
        _ sessions: [DraftSession], catalogue: [CatalogueCourse] = catalogue, trainers: [Trainer] = trainers,
        rooms: [Room] = rooms, courseware: [CoursewareVersion] = courseware
    ) -> [PlanViolation] {
        MonthlyPlan.violations(sessions: sessions, catalogue: catalogue, trainers: trainers, rooms: rooms, courseware: courseware)
    }

    static func summary(_ violations: [PlanViolation]) -> [String] {
        violations.map { "\($0.kind) \($0.sessions.map(\.rawValue).joined(separator: ","))" }
    }

    @Test func aCleanPlanHasNoViolationsAndPublishes() throws {
        #expect(Self.check(Self.clean).isEmpty)
        let plan = try MonthlyPlan.publish(
            sessions: Self.clean.reversed(), catalogue: Self.catalogue, trainers: Self.trainers, rooms: Self.rooms,
            courseware: Self.courseware)
        #expect(plan.sessions.map(\.id) == ["S1", "S4", "S2", "S3"])
    }

    @Test func publishRejectsWithTheWholeList() {
        let draft = Self.clean + [Self.session("S5", 550, 570), Self.session("S6", room: "R9", 2000, 2060, capacity: 0)]
        #expect(throws: PlanRejected(violations: Self.check(draft))) {
            try MonthlyPlan.publish(
                sessions: draft, catalogue: Self.catalogue, trainers: Self.trainers, rooms: Self.rooms, courseware: Self.courseware)
        }
    }

    @Test func trainerDoubleBooked() {
        let found = Self.check(Self.clean + [Self.session("S5", 1500, 1560), Self.session("S6", room: "R2", 1530, 1590)])
        #expect(Self.summary(found) == ["trainerDoubleBooked S5,S6"])
        #expect(found[0].description.contains("T1"))
    }

    @Test func roomDoubleBooked() {
        let found = Self.check(Self.clean + [Self.session("S5", trainer: "T2", 650, 700)])
        #expect(Self.summary(found) == ["roomDoubleBooked S2,S5"])
        #expect(found[0].description.contains("R1"))
    }

    @Test func capacityAboveRoom() {
        #expect(Self.summary(Self.check([Self.session("S1", 540, 600, capacity: 13)])) == ["capacityAboveRoom S1"])
        #expect(Self.check([Self.session("S1", 540, 600, capacity: 12)]).isEmpty)
    }

    @Test func trainerNotQualified() {
        let found = Self.check([Self.session("S1", course: "C-online", trainer: "T2", room: nil, 540, 600)])
        #expect(Self.summary(found) == ["trainerNotQualified S1"])
    }

    @Test func outsideTrainerAvailability() {
        // Starts inside the day-0 block but runs past 17:00; and one entirely in the night.
        let found = Self.check([Self.session("S1", 990, 1050), Self.session("S2", room: "R2", 1200, 1260)])
        #expect(Self.summary(found) == ["outsideTrainerAvailability S1", "outsideTrainerAvailability S2"])
    }

    @Test func coursewareNotApproved() {
        let pending = [Self.courseware[0], CoursewareVersion(course: "C-online", version: "3")]
        // An approver without a date is not an approval either.
        let half = [Self.courseware[0], CoursewareVersion(course: "C-online", version: "3", approvedBy: "M1")]
        let sessions = [Self.session("S1", course: "C-online", room: nil, 540, 600), Self.session("S2", 600, 660)]
        #expect(Self.summary(Self.check(sessions, courseware: pending)) == ["coursewareNotApproved S1"])
        #expect(Self.summary(Self.check(sessions, courseware: half)) == ["coursewareNotApproved S1"])
    }

    @Test func unknownCourseTrainerAndRoom() {
        #expect(Self.summary(Self.check([Self.session("S1", course: "C-none", 540, 600)])) == ["unknownCourse S1"])
        #expect(Self.summary(Self.check([Self.session("S1", trainer: "T9", 540, 600)])) == ["unknownTrainer S1"])
        #expect(Self.summary(Self.check([Self.session("S1", room: "R9", 540, 600)])) == ["unknownRoom S1"])
    }

    @Test func roomRulesFollowTheMethod() {
        #expect(Self.summary(Self.check([Self.session("S1", room: nil, 540, 600)])) == ["roomMissingForClassroom S1"])
        #expect(Self.summary(Self.check([Self.session("S1", course: "C-online", room: "R1", 540, 600)])) == ["roomOnOnlineSession S1"])
    }

    @Test func endBeforeStartAndEmptySessions() {
        let found = Self.check([Self.session("S1", 600, 540), Self.session("S2", room: "R2", 700, 700)])
        #expect(Self.summary(found) == ["endBeforeStart S1", "endBeforeStart S2"])
    }

    @Test func threePairwiseOverlappingSessionsGiveThreePairs() {
        let found = Self.check([
            Self.session("C", course: "C-online", room: nil, 1590, 1700),
            Self.session("A", course: "C-online", room: nil, 1500, 1620),
            Self.session("B", course: "C-online", room: nil, 1510, 1600),
        ])
        #expect(Self.summary(found) == ["trainerDoubleBooked A,B", "trainerDoubleBooked A,C", "trainerDoubleBooked B,C"])
    }

    @Test func backToBackSessionsDoNotOverlap() {
        let chain = (0..<10).map { Self.session(SessionID("S\($0)"), 1440 + 60 * $0, 1500 + 60 * $0) }
        #expect(Self.check(chain).isEmpty)
    }

    @Test func manyViolationsAreAllReportedInOrder() {
        let draft = [
            Self.session("S1", 540, 600, capacity: 30), // above R1 and, with S2, trainer and room double booked
            Self.session("S2", course: "C-online", trainer: "T2", room: "R1", 570, 630), // online in a room, T2 not qualified
            Self.session("S3", trainer: "T9", room: nil, 540, 600), // unknown trainer, classroom without room
            Self.session("S4", course: "C-none", room: "R9", 2000, 1990), // unknown course and room, end before start
            Self.session("S5", trainer: "T1", room: "R2", 580, 700), // T1 double booked with S1
        ]
        // Sorted by first session id, then kind.
        let reference = Self.check(draft)
        #expect(Self.summary(reference) == [
            "capacityAboveRoom S1", "trainerDoubleBooked S1,S5", "roomDoubleBooked S1,S2",
            "roomOnOnlineSession S2", "trainerNotQualified S2",
            "unknownTrainer S3", "roomMissingForClassroom S3",
            "endBeforeStart S4", "unknownCourse S4", "unknownRoom S4",
        ])
        // Any input order gives the same list.
        for seed in 0..<5 {
            var rotated = draft
            rotated.rotate(by: seed)
            #expect(Self.check(rotated.reversed()) == reference)
            #expect(Self.check(rotated) == reference)
        }
    }

    @Test func fourHundredSessionsWithoutClashesAreClean() {
        let trainers = (0..<20).map {
            Trainer(id: TrainerID("T\($0)"), name: "t", qualifiedCourses: ["C-skills"], availability: [MinuteRange(start: 0, end: 43_200)])
        }
        let rooms = (0..<20).map { Room(id: RoomID("R\($0)"), site: "N", capacity: 12) }
        let sessions = (0..<400).map { i in
            DraftSession(id: SessionID("S\(i)"), course: "C-skills", trainer: TrainerID("T\(i % 20)"), room: RoomID("R\(i % 20)"),
                         time: MinuteRange(start: (i / 20) * 120, end: (i / 20) * 120 + 120), capacity: 10)
        }
        #expect(Self.check(sessions, trainers: trainers, rooms: rooms).isEmpty)
        var clash = sessions
        clash[399].time = MinuteRange(start: 0, end: 120) // T19/R19 now also at the start
        #expect(Self.summary(Self.check(clash, trainers: trainers, rooms: rooms)) == ["trainerDoubleBooked S19,S399", "roomDoubleBooked S19,S399"])
    }
}

extension Array {
    mutating func rotate(by k: Int) {
        guard !isEmpty else { return }
        let k = k % count
        self = Array(self[k...] + self[..<k])
    }
}

@Suite struct CatalogueTests {
    @Test func aValidCatalogueHasNoViolations() {
        let course = CatalogueCourse(
            id: "C1", title: "Complaints", kind: .skillImprovement, category: .elective, method: .simulation,
            durationMinutes: 90, purpose: "Calmer calls", topics: ["de-escalation"], criterionIDs: ["Q7"], metricIDs: ["FCR"])
        #expect(course.violations.isEmpty)
        #expect(course.course == Course(id: "C1", category: .elective, kind: .skillImprovement))
        #expect(Room(id: "R1", site: "N", capacity: 1).violations.isEmpty)
        #expect(Trainer(id: "T1", name: "Wang", biography: String(repeating: "字", count: 500), qualifiedCourses: [], availability: []).violations.isEmpty)
        #expect(CoursewareVersion(course: "C1", version: "1").violations.isEmpty)
        #expect(CoursewareVersion(course: "C1", version: "1", approvedBy: "M", approvedOn: 0).isApproved)
    }

    @Test func everyFieldProblemIsListed() {
        let course = CatalogueCourse(
            id: " ", title: "", kind: .skillImprovement, category: .elective, method: .classroom,
            durationMinutes: 0, topics: ["ok", ""], criterionIDs: [""], metricIDs: [""])
        #expect(course.violations.map(\.subject) == ["id", "title", "durationMinutes", "topics[1]", "criterionIDs[0]", "metricIDs[0]"])
        #expect(Room(id: "", site: "", capacity: 0).violations.map(\.subject) == ["id", "site", "capacity"])
        let trainer = Trainer(
            id: "", name: "", biography: String(repeating: "a", count: 501), qualifiedCourses: [],
            availability: [MinuteRange(start: 10, end: 10)])
        #expect(trainer.violations.map(\.subject) == ["id", "name", "biography", "availability[0]"])
        #expect(CoursewareVersion(course: "", version: "", approvedBy: "M").violations.map(\.subject) == ["course", "version", "approvedBy"])
        #expect(CoursewareVersion(course: "C", version: "1", approvedBy: "", approvedOn: 0).violations.map(\.subject) == ["approvedBy"])
    }
}
