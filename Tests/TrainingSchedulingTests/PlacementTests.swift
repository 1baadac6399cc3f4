import Testing
@testable import TrainingScheduling

/// Small placement cases. Unless a test is about coverage, agents serve no forecast queue
/// and the team share is 100 %, so that only the rule under test can refuse a seat.
@Suite struct PlacementTests {
    static let skills = Course(id: "C-skills", category: .mandatory, kind: .skillImprovement)
    static let quality = Course(id: "C-quality", category: .elective, kind: .serviceQualityImprovement)
    static let unlimited = Placement.Policy(maximumTeamShareOffFloor: 1)

    static func agent(_ id: AgentID, leader: AgentID? = "L1", tier: AgentTier = .standard, queues: [QueueID] = []) -> Agent {
        Agent(id: id, team: "T1", teamLeader: leader, queues: queues, standing: .inService(tier))
    }

    static func session(_ id: SessionID, _ course: Course, _ start: Int, _ end: Int, capacity: Int = 10, staff: [AgentID] = []) -> TrainingSession {
        TrainingSession(id: id, course: course.id, range: MinuteRange(start: start, end: end), capacity: capacity, staff: staff)
    }

    /// A shift 08:00–17:00 on day 0.
    static func dayShift(_ id: AgentID) -> Shift { Shift(agent: id, start: 480, end: 1020) }

    static func input(
        agents: [Agent], courses: [Course] = [skills], sessions: [TrainingSession], shifts: [Shift]? = nil,
        forecasts: [QueueForecast] = [], previous: [Placement.Seat] = [], volunteers: [Placement.Volunteer] = [],
        policy: Placement.Policy = unlimited
    ) -> Placement.Input {
        Placement.Input(
            agents: agents, courses: courses, sessions: sessions, shifts: shifts ?? agents.map { dayShift($0.id) },
            forecasts: forecasts, previous: previous, volunteers: volunteers, policy: policy)
    }

    static func sessionOf(_ result: Placement.Result, _ agent: AgentID, _ course: CourseID) -> SessionID? {
        result.placements.first { $0.agent == agent && $0.course == course }?.session
    }

    @Test func anAgentNeverSitsInTwoOverlappingSessions() throws {
        let a = Self.agent("a1")
        // Both courses only at 09:00: one is placed, the other clashes.
        let clash = try Placement.place(Self.input(
            agents: [a], courses: [Self.skills, Self.quality],
            sessions: [Self.session("S1", Self.skills, 540, 600), Self.session("S2", Self.quality, 570, 630)]))
        #expect(clash.placements.map(\.session) == ["S1"])
        #expect(clash.unplaced == [Placement.Unplaced(agent: "a1", course: "C-quality", reason: .clashesWithOtherTraining, required: true)])

        // With a later session of the second course, both are placed, back to back.
        let fits = try Placement.place(Self.input(
            agents: [a], courses: [Self.skills, Self.quality],
            sessions: [Self.session("S1", Self.skills, 540, 600), Self.session("S2", Self.quality, 570, 630),
                       Self.session("S3", Self.quality, 600, 660)]))
        #expect(Self.sessionOf(fits, "a1", "C-quality") == "S3")
        #expect(fits.unplaced.isEmpty)
    }

    @Test func aFullSessionTakesNoMore() throws {
        let agents = ["a1", "a2", "a3"].map { Self.agent($0) }
        let result = try Placement.place(Self.input(agents: agents, sessions: [Self.session("S1", Self.skills, 540, 600, capacity: 2)]))
        #expect(result.placements.map(\.agent) == ["a1", "a2"])
        #expect(result.unplaced == [Placement.Unplaced(agent: "a3", course: "C-skills", reason: .noSeat, required: true)])
    }

    @Test func sessionsMustLieWithinTheShiftUnlessThePolicyAllowsOffShift() throws {
        let a = Self.agent("a1")
        let evening = [Self.session("S-evening", Self.skills, 1000, 1060)]  // ends after 17:00
        let refused = try Placement.place(Self.input(agents: [a], sessions: evening))
        #expect(refused.placements.isEmpty)
        #expect(refused.unplaced.map(\.reason) == [.noSessionWithinShifts])

        let allowed = try Placement.place(Self.input(
            agents: [a], sessions: evening, policy: Placement.Policy(allowsOffShiftTraining: true, maximumTeamShareOffFloor: 1)))
        #expect(allowed.placements.map(\.session) == ["S-evening"])
    }

    @Test func adjacentShiftsTogetherHoldASession() throws {
        let a = Self.agent("a1")
        let split = [Shift(agent: "a1", start: 480, end: 570), Shift(agent: "a1", start: 570, end: 720)]
        let result = try Placement.place(Self.input(agents: [a], sessions: [Self.session("S1", Self.skills, 540, 600)], shifts: split))
        #expect(result.placements.map(\.session) == ["S1"])
    }

    @Test func aCourseWithoutSessionsSaysSo() throws {
        let result = try Placement.place(Self.input(agents: [Self.agent("a1")], sessions: []))
        #expect(result.unplaced.map(\.reason) == [.noSessionScheduled])
    }

    @Test func theOwnTeamLeaderIsAvoidedWhileAnotherSessionWorks() throws {
        let a = Self.agent("a1", leader: "L1")
        let withLeader = Self.session("S1", Self.skills, 540, 600, staff: ["L1"])
        let other = Self.session("S2", Self.skills, 660, 720, staff: ["L2"])
        let avoided = try Placement.place(Self.input(agents: [a], sessions: [withLeader, other]))
        #expect(avoided.placements.first?.session == "S2")
        #expect(avoided.placements.first?.withOwnTeamLeader == false)

        // Only the leader's session works: placed there, and the result says so.
        let onlyOne = try Placement.place(Self.input(agents: [a], sessions: [withLeader]))
        #expect(onlyOne.placements.first?.session == "S1")
        #expect(onlyOne.placements.first?.withOwnTeamLeader == true)
    }

    @Test func aTeamLeaderWhoAttendsAvoidsTheirOwnAgentsToo() throws {
        // L1 is also an agent bound by the course; a1 reports to L1. Two sessions, room for all.
        let leader = Self.agent("L1", leader: "M1")
        let member = Self.agent("a1", leader: "L1")
        let result = try Placement.place(Self.input(
            agents: [member, leader],
            sessions: [Self.session("S1", Self.skills, 540, 600), Self.session("S2", Self.skills, 660, 720)]))
        // "L1" sorts before "a1", so the leader is placed first and the agent goes elsewhere.
        #expect(Self.sessionOf(result, "L1", "C-skills") == "S1")
        #expect(Self.sessionOf(result, "a1", "C-skills") == "S2")
        #expect(result.placements.allSatisfy { !$0.withOwnTeamLeader })
    }

    @Test func placementNeverBreaksAForecastInterval() throws {
        // Five agents on Q1 need four on the floor (see SmallFloor): one may go at a time.
        let ids: [AgentID] = ["a1", "a2", "a3"]
        let agents = ids.map { Self.agent($0, queues: ["Q1"]) }
        let others = ["b1", "b2"].map { Self.agent($0, queues: ["Q1"]) }
        let forecasts = (16..<34).map { SmallFloor.forecast("Q1", $0) }  // 08:00–17:00
        let sessions = [Self.session("S1", Self.skills, 540, 600), Self.session("S2", Self.skills, 660, 720)]
        let result = try Placement.place(Self.input(
            agents: agents + others, courses: [Self.skills], sessions: sessions, forecasts: forecasts,
            policy: Placement.Policy()))
        // a1 → S1, a2 → S2, then b1, b2, a3 find no interval with room.
        #expect(Self.sessionOf(result, "a1", "C-skills") == "S1")
        #expect(Self.sessionOf(result, "a2", "C-skills") == "S2")
        #expect(result.unplaced.map(\.agent) == ["a3", "b1", "b2"])
        #expect(result.unplaced.allSatisfy { $0.reason == .coverage })

        // The what-if for a3 joining S1: one interval pair at three on the floor, below target.
        let outlook = try result.outlook(session: "S1", adding: ["a3"])
        #expect(outlook.count == 2 && outlook.allSatisfy { !$0.keepsCoverage })
        if case let .queue(_, onFloor, required, level) = outlook.first?.scope {
            #expect(onFloor == 3 && required == 4)
            #expect(abs(level - SmallFloor.levelWithThree) < 1e-12)
        } else {
            Issue.record("expected a queue outlook")
        }
        #expect(throws: SchedulingError.unknownSession("S9")) { try result.outlook(session: "S9", adding: ["a3"]) }
    }

    @Test func withoutAForecastTheTeamShareBoundsPlacement() throws {
        let ids = (1...10).map { AgentID("t\($0)") }
        let result = try Placement.place(Self.input(
            agents: ids.map { Self.agent($0) }, sessions: [Self.session("S1", Self.skills, 540, 600, capacity: 10)],
            policy: Placement.Policy()))
        #expect(result.placements.count == 2)  // 20 % of ten
        #expect(result.unplaced.count == 8 && result.unplaced.allSatisfy { $0.reason == .coverage })
    }

    @Test func onboardingAgentsAreTrainedWithoutTouchingTheFloor() throws {
        let onboarding = Course(id: "C-onboarding", category: .mandatory, kind: .onboarding)
        let newHire = Agent(id: "n1", team: "T1", teamLeader: "L1", queues: ["Q1"], standing: .onboarding)
        let tight = ["a1", "a2", "a3", "a4"].map { Self.agent($0, queues: ["Q1"]) }  // exactly the four needed
        let result = try Placement.place(Self.input(
            agents: [newHire] + tight, courses: [onboarding, Self.skills],
            sessions: [Self.session("S-on", onboarding, 540, 600), Self.session("S-sk", Self.skills, 540, 600)],
            forecasts: (16..<34).map { SmallFloor.forecast("Q1", $0) }, policy: Placement.Policy()))
        #expect(result.placements.map(\.agent) == ["n1"])
        #expect(result.placements.first?.course == "C-onboarding")
        #expect(result.unplaced.count == 4 && result.unplaced.allSatisfy { $0.course == "C-skills" && $0.reason == .coverage })
    }

    @Test func voluntaryCoursesArePlacedOnlyForVolunteers() throws {
        let advanced = Self.agent("adv", tier: .advanced)
        let sessions = [Self.session("S1", Self.quality, 540, 600)]
        let none = try Placement.place(Self.input(agents: [advanced], courses: [Self.quality], sessions: sessions))
        #expect(none.placements.isEmpty && none.unplaced.isEmpty)
        let volunteered = try Placement.place(Self.input(
            agents: [advanced], courses: [Self.quality], sessions: sessions,
            volunteers: [Placement.Volunteer(agent: "adv", course: "C-quality")]))
        #expect(volunteered.placements.map(\.session) == ["S1"])
    }

    @Test func previousPlacementsAreKeptWhileValid() throws {
        let agents = ["a1", "a2"].map { Self.agent($0) }
        let sessions = [Self.session("S1", Self.skills, 540, 600), Self.session("S2", Self.skills, 660, 720)]
        // Left alone, both would go to S1; a2's earlier seat in S2 is kept.
        let result = try Placement.place(Self.input(
            agents: agents, sessions: sessions, previous: [Placement.Seat(agent: "a2", session: "S2")]))
        #expect(Self.sessionOf(result, "a1", "C-skills") == "S1")
        #expect(Self.sessionOf(result, "a2", "C-skills") == "S2")
        #expect(result.placements.map(\.kept) == [false, true])
        #expect(result.dropped.isEmpty)
    }

    @Test func aChangeDropsOnlyWhatItInvalidates() throws {
        let agents = ["a1", "a2", "a3"].map { Self.agent($0) }
        let sessions = [Self.session("S1", Self.skills, 540, 600, capacity: 1), Self.session("S2", Self.skills, 660, 720, capacity: 1),
                        Self.session("S3", Self.skills, 780, 840, capacity: 1)]
        let first = try Placement.place(Self.input(agents: agents, sessions: sessions))
        #expect(first.placements.map(\.session) == ["S1", "S2", "S3"])

        // a2's shift now ends at 11:00: S2 is outside it. a1 and a3 keep their seats; a2 has none left.
        var changed = Self.input(agents: agents, sessions: sessions, previous: first.placements.map(\.seat))
        changed.shifts = [Self.dayShift("a1"), Shift(agent: "a2", start: 480, end: 660), Self.dayShift("a3")]
        let second = try Placement.place(changed)
        #expect(second.placements.map(\.seat) == [Placement.Seat(agent: "a1", session: "S1"), Placement.Seat(agent: "a3", session: "S3")])
        #expect(second.placements.allSatisfy { $0.kept })
        #expect(second.dropped == [Placement.Dropped(seat: Placement.Seat(agent: "a2", session: "S2"), reason: .outsideShifts)])
        #expect(second.unplaced == [Placement.Unplaced(agent: "a2", course: "C-skills", reason: .noSeat, required: true)])
    }

    @Test func seatsThatNoLongerApplyAreDroppedWithTheirReason() throws {
        let sessions = [Self.session("S1", Self.quality, 540, 600)]
        let result = try Placement.place(Self.input(
            agents: [Self.agent("a1", tier: .advanced)], courses: [Self.quality], sessions: sessions,
            previous: [Placement.Seat(agent: "a1", session: "S1"), Placement.Seat(agent: "a1", session: "S-gone"),
                       Placement.Seat(agent: "ghost", session: "S1")]))
        #expect(result.placements.isEmpty)
        #expect(result.dropped.map(\.reason) == [.unknownSession, .notEnrolled, .unknownAgent])
    }

    @Test func theResultDoesNotDependOnInputOrder() throws {
        let base = Placement.benchmarkInput(agents: 300, sessions: 60)
        var shuffled = base
        var random = SplitMix64(seed: 7)
        shuffled.agents.shuffle(using: &random)
        shuffled.sessions.shuffle(using: &random)
        shuffled.shifts.shuffle(using: &random)
        shuffled.forecasts.shuffle(using: &random)
        shuffled.courses.shuffle(using: &random)
        let a = try Placement.place(base)
        let b = try Placement.place(shuffled)
        #expect(a.placements == b.placements)
        #expect(a.unplaced == b.unplaced)
    }

    @Test func malformedInputIsRefused() {
        #expect(throws: SchedulingError.unknownCourse(session: "S1", course: "C-quality")) {
            try Placement.place(Self.input(agents: [], sessions: [Self.session("S1", Self.quality, 0, 60)]))
        }
        #expect(throws: SchedulingError.duplicateSession("S1")) {
            try Placement.place(Self.input(agents: [], sessions: [Self.session("S1", Self.skills, 0, 60), Self.session("S1", Self.skills, 60, 90)]))
        }
        #expect(throws: SchedulingError.invalidSession("S1")) {
            try Placement.place(Self.input(agents: [], sessions: [Self.session("S1", Self.skills, 60, 60)]))
        }
        #expect(throws: SchedulingError.duplicateCourse("C-skills")) {
            try Placement.place(Self.input(agents: [], courses: [Self.skills, Self.skills], sessions: []))
        }
    }
}
