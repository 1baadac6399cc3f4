import Testing
@testable import TrainingScheduling

/// The enrolment rules on top of placement: audiences, sign-ups in a chosen session served
/// first come first served, the agents of a month from roster and tiers, and the run's figures.
@Suite struct EnrolmentTests {
    typealias P = PlacementTests
    static let optional = Course(id: "C-opt", category: .optional, kind: .teamCollaboration)

    @Test func anAdvancedAgentIsBoundOnlyByMandatoryCoursesAndACoachingAgentByElectiveOnesToo() throws {
        let newBusiness = Course(id: "C-new", category: .elective, kind: .newBusiness)
        let courses = [P.skills, P.quality, newBusiness, Self.optional]
        let agents = [P.agent("adv", tier: .advanced), P.agent("coach", tier: .coaching)]
        let sessions = courses.enumerated().map { i, course in P.session(SessionID("S\(i)"), course, 480 + 60 * i, 530 + 60 * i) }
        let result = try Placement.place(P.input(agents: agents, courses: courses, sessions: sessions))
        let bound = Dictionary(grouping: result.placements.filter(\.required), by: \.agent).mapValues { Set($0.map(\.course)) }
        #expect(bound["adv"] == ["C-skills", "C-new"])
        #expect(bound["coach"] == ["C-skills", "C-quality", "C-new"])
        #expect(result.unplaced.isEmpty)
    }

    @Test func sixteenOnShiftAgainstFourteenNeededSendAtMostTwoToTraining() throws {
        // 100 contacts in 30 minutes, 180 s handle time, 80 % in 20 s: 14 agents (13 give 79.6 %).
        let agents = (1...16).map { P.agent(AgentID("a\($0 < 10 ? "0" : "")\($0)"), queues: ["Q1"]) }
        let forecasts = (16..<34).map {
            QueueForecast(queue: "Q1", interval: Interval($0), expectedContacts: 100, averageHandleTimeSeconds: 180, shrinkage: 0)
        }
        let result = try Placement.place(P.input(
            agents: agents, sessions: [P.session("S1", P.skills, 540, 600, capacity: 16)], forecasts: forecasts, policy: Placement.Policy()))
        #expect(result.placements.count == 2)
        #expect(result.unplaced.count == 14 && result.unplaced.allSatisfy { $0.reason == .coverage })
        let outlook = try result.outlook(session: "S1", adding: ["a16"])
        if case let .queue(_, onFloor, required, level) = outlook.first?.scope {
            #expect(onFloor == 13 && required == 14 && abs(level - 0.796) < 0.001)
        } else {
            Issue.record("expected a queue outlook")
        }
    }

    @Test func aCourseBindsOnlyItsAudience() throws {
        let forSales = Course(id: "C-sales", category: .mandatory, kind: .skillImprovement, audience: CourseAudience(departments: ["Sales"]))
        let atBeijing = Course(id: "C-bj", category: .mandatory, kind: .skillImprovement, audience: CourseAudience(sites: ["Beijing"]))
        let forLeaders = Course(id: "C-lead", category: .mandatory, kind: .serviceManagement, audience: CourseAudience(forManagers: true))
        var seller = P.agent("seller")
        seller.department = "Sales"
        seller.site = "Beijing"
        var leader = P.agent("leader")
        leader.department = "Care"
        leader.site = "Chengdu"
        leader.leadsTeam = true
        #expect(forSales.binding(for: seller) == .binds && forSales.binding(for: leader) == .notApplicable)
        #expect(atBeijing.binding(for: seller) == .binds && atBeijing.binding(for: leader) == .notApplicable)
        #expect(forLeaders.binding(for: seller) == .notApplicable && forLeaders.binding(for: leader) == .binds)
    }

    @Test func aSignUpTakesTheChosenSessionOrWaitsForIt() throws {
        let agents = ["a1", "a2", "a3"].map { P.agent($0, tier: .advanced) }
        let sessions = [P.session("S-early", Self.optional, 480, 540, capacity: 1), P.session("S-late", Self.optional, 600, 660, capacity: 1)]
        // a2 signed up before a1 for the early session: first come, first served; a3 chose the late one.
        let volunteers = [
            Placement.Volunteer(agent: "a2", course: "C-opt", session: "S-early"),
            Placement.Volunteer(agent: "a1", course: "C-opt", session: "S-early"),
            Placement.Volunteer(agent: "a3", course: "C-opt", session: "S-late"),
        ]
        let result = try Placement.place(P.input(agents: agents, courses: [Self.optional], sessions: sessions, volunteers: volunteers))
        #expect(P.sessionOf(result, "a2", "C-opt") == "S-early")
        #expect(P.sessionOf(result, "a3", "C-opt") == "S-late")
        // a1 waits for the early session rather than being put in the late one.
        #expect(result.unplaced == [Placement.Unplaced(agent: "a1", course: "C-opt", reason: .noSeat, required: false)])
        #expect(result.placements.allSatisfy { !$0.required })

        // a2 withdraws: the freed seat goes to a1, a3 keeps theirs.
        let after = try Placement.place(P.input(
            agents: agents, courses: [Self.optional], sessions: sessions, previous: result.placements.map(\.seat),
            volunteers: Array(volunteers.dropFirst())))
        #expect(P.sessionOf(after, "a1", "C-opt") == "S-early")
        #expect(after.placements.first { $0.agent == "a3" }?.kept == true)
        #expect(after.dropped == [Placement.Dropped(seat: Placement.Seat(agent: "a2", session: "S-early"), reason: .notEnrolled)])
    }

    @Test func aSignUpForARequiredCourseAddsNothing() throws {
        let result = try Placement.place(P.input(
            agents: [P.agent("a1")], sessions: [P.session("S1", P.skills, 480, 540), P.session("S2", P.skills, 600, 660)],
            volunteers: [Placement.Volunteer(agent: "a1", course: "C-skills", session: "S2")]))
        #expect(result.placements.map(\.session) == ["S1"] && result.placements.allSatisfy(\.required))
    }

    @Test func theMonthsAgentsComeFromRosterAndTiers() {
        let roster = [
            RosterAgent(id: "a1", team: "T1", teamLeader: "L1", department: "Care", site: "Chengdu", queue: "q1", status: .inService),
            RosterAgent(id: "a2", team: "T1", teamLeader: "L1", department: "Care", site: "Chengdu", queue: nil, status: .inService),
            RosterAgent(id: "new", team: "T2", teamLeader: "a1", department: "Care", site: "Chengdu", queue: "q1", status: .onboarding),
            RosterAgent(id: "gone", team: "T1", teamLeader: "L1", department: "Care", site: "Chengdu", queue: "q1", status: .left),
        ]
        let tiers = [
            TierOfAgent(agent: "a1", tier: .advanced, team: "T1", teamLeader: "L1", department: "Care", site: "Chengdu"),
            TierOfAgent(agent: "gone", tier: .coaching, team: "T1", teamLeader: "L1", department: "Care", site: "Chengdu"),
            TierOfAgent(agent: "elsewhere", tier: .coaching, team: "T9", teamLeader: nil, department: "Sales", site: "Beijing"),
        ]
        let agents = MonthEnrolment.agents(roster: roster, tiers: tiers)
        #expect(agents.map(\.id) == ["a1", "a2", "elsewhere", "new"])
        let byID = Dictionary(uniqueKeysWithValues: agents.map { ($0.id, $0) })
        #expect(byID["a1"]?.standing == .inService(.advanced) && byID["a1"]?.leadsTeam == true && byID["a1"]?.queues == ["q1"])
        // In service without a tier: treated like insufficient data.
        #expect(byID["a2"]?.standing == .inService(.insufficientData) && byID["a2"]?.queues == [])
        #expect(byID["new"]?.standing == .onboarding)
        #expect(byID["elsewhere"]?.team == "T9" && byID["elsewhere"]?.standing == .inService(.coaching))
    }

    @Test func theSummaryCountsBoundVoluntaryWaitingAndChangedStandings() throws {
        let agents = [P.agent("a1"), P.agent("a2"), P.agent("adv", tier: .advanced)]
        let sessions = [P.session("S1", P.skills, 480, 540, capacity: 2), P.session("S2", Self.optional, 600, 660, capacity: 1)]
        let volunteers = [Placement.Volunteer(agent: "adv", course: "C-opt", session: "S2"), Placement.Volunteer(agent: "a1", course: "C-opt", session: "S2")]
        let result = try Placement.place(P.input(agents: agents, courses: [P.skills, Self.optional], sessions: sessions, volunteers: volunteers))
        let summary = MonthEnrolment.summary(
            of: result, agents: agents, previousStandings: ["a1": .inService(.standard), "a2": .inService(.coaching), "adv": .inService(.advanced)])
        #expect(summary.bound == 3 && summary.placedBound == 2 && summary.unplaced == 1)
        #expect(summary.placedVoluntary == 1 && summary.waiting == 1)
        #expect(summary.newlyPlaced == 3 && summary.kept == 0)
        #expect(summary.standingChanges == 1)
    }

    @Test func shiftsOfAMonthAreCheckedTogether() {
        let day = 1440
        #expect(ShiftRules.violations([MinuteRange(start: 480, end: 1020), MinuteRange(start: day + 480, end: day + 1020)], monthMinutes: 30 * day).isEmpty)
        let found = ShiftRules.violations(
            [MinuteRange(start: 480, end: 1020), MinuteRange(start: 900, end: 1200), MinuteRange(start: 31 * day, end: 31 * day + 60),
             MinuteRange(start: 600, end: 600 + 25 * 60)],
            monthMinutes: 30 * day)
        #expect(found.map(\.subject) == ["shifts[2].start", "shifts[3].end", "shifts[3]", "shifts[1]"])
    }

    @Test func aForecastNeedsFiniteVolumeAndShrinkageBelowOne() {
        #expect(IntervalVolume(expectedContacts: 100, averageHandleSeconds: 180, shrinkage: 0.3).violations.isEmpty)
        let bad = IntervalVolume(expectedContacts: -1, averageHandleSeconds: .nan, shrinkage: 1).violations.map(\.subject)
        #expect(bad == ["expected_contacts", "average_handle_seconds", "shrinkage"])
    }
}
