import CalendarDates
import Testing
@testable import TrainingScheduling

/// Coaching work in the domain: a request's states and the steps between them, the plan's
/// due date in working days, overdue requests, problem summaries on time or late, staged
/// plans and the one-to-one sessions a floor can spare.
@Suite struct CoachingTests {
    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(text) else { fatalError("bad test date \(text)") }
        return date
    }

    /// A request made on Monday 2026-11-30, due three working days later.
    static func request(on requested: String = "2026-11-30") -> CoachingRequest {
        let day = date(requested)
        return CoachingRequest(
            id: .teamLeaders(1), agent: "a3", teamLeader: "lead-t1", problem: "Skips the greeting script", metric: "phrasing",
            evidence: ["e-1"], priority: .high, requestedOn: day, planDueOn: CoachingPolicy().planDue(requestedOn: day), requestedAt: 1_000)
    }

    // MARK: States

    @Test("requested → planned → (plan replaced) → delivered → closed, each step recorded")
    func theWholeWay() throws {
        var request = Self.request()
        #expect(request.state == .requested && request.history.map(\.state) == [.requested])
        try request.plan(trainer: "T1", method: .recordingReview, sessions: [MinuteRange(start: 600, end: 660)], at: 2_000)
        #expect(request.state == .planned && request.trainer == "T1" && request.method == .recordingReview)
        try request.plan(trainer: "T2", method: .simulation, sessions: [MinuteRange(start: 700, end: 760), MinuteRange(start: 100, end: 160)], at: 3_000)
        #expect(request.trainer == "T2" && request.sessions.map(\.start) == [100, 700])
        try request.deliver(by: "T2", on: Self.date("2026-12-03"), at: 4_000, notes: "Two calls replayed")
        #expect(request.state == .delivered && request.deliveredOn == Self.date("2026-12-03"))
        try request.apply(.close, by: "review", at: 5_000, note: "Phrasing up 6 points")
        #expect(request.state == .closed)
        #expect(request.history.map(\.state) == [.requested, .planned, .planned, .delivered, .closed])
        #expect(request.history.map(\.by) == ["lead-t1", "T1", "T2", "T2", "review"])
        #expect(request.history.map(\.at) == [1_000, 2_000, 3_000, 4_000, 5_000])
        #expect(request.history.map(\.note) == ["", "", "plan replaced", "Two calls replayed", "Phrasing up 6 points"])
    }

    @Test("exactly these transitions are allowed")
    func transitionTable() {
        let allowed: [CoachingRequest.Action: [CoachingRequest.State: CoachingRequest.State]] = [
            .plan: [.requested: .planned, .planned: .planned],
            .deliver: [.planned: .delivered],
            .close: [.delivered: .closed],
            .cancel: [.requested: .cancelled, .planned: .cancelled],
        ]
        for action in [CoachingRequest.Action.plan, .deliver, .close, .cancel] {
            for state in CoachingRequest.State.allCases {
                let next = try? state.after(action)
                #expect(next == allowed[action]?[state], "\(action) from \(state)")
            }
        }
    }

    @Test("a refused step changes nothing and says why")
    func refusals() throws {
        var request = Self.request()
        #expect(throws: CoachingError.refused(.deliver, from: .requested)) {
            try request.deliver(by: "T1", on: Self.date("2026-12-01"), at: 2_000, notes: "")
        }
        #expect(request.state == .requested && request.history.count == 1 && request.deliveredOn == nil)
        #expect(CoachingError.refused(.deliver, from: .requested).description == "cannot deliver a request that is requested (plan it first)")
        try request.plan(trainer: "T1", method: .classroom, sessions: [MinuteRange(start: 0, end: 60)], at: 2_000)
        try request.deliver(by: "T1", on: Self.date("2026-12-01"), at: 3_000, notes: "")
        // Delivered once: a second delivery, a new plan or a cancellation are refused.
        #expect(throws: CoachingError.refused(.deliver, from: .delivered)) { try request.apply(.deliver, by: "T1", at: 4_000) }
        #expect(throws: CoachingError.refused(.plan, from: .delivered)) {
            try request.plan(trainer: "T1", method: .classroom, sessions: [], at: 4_000)
        }
        #expect(throws: CoachingError.refused(.cancel, from: .delivered)) { try request.apply(.cancel, by: "lead-t1", at: 4_000) }
        #expect(request.history.count == 3 && request.method == .classroom)

        var cancelled = Self.request()
        try cancelled.apply(.cancel, by: "lead-t1", at: 2_000, note: "Agent left the team")
        #expect(throws: CoachingError.refused(.plan, from: .cancelled)) {
            try cancelled.plan(trainer: "T1", method: .classroom, sessions: [], at: 3_000)
        }
        #expect(throws: CoachingError.refused(.close, from: .cancelled)) { try cancelled.apply(.close, by: "review", at: 3_000) }
    }

    // MARK: Working days and overdue

    @Test("the plan is due N working days after the request, weekends skipped")
    func workingDays() {
        let policy = CoachingPolicy()
        #expect(policy.planWorkingDays == 3)
        #expect(policy.planDue(requestedOn: Self.date("2026-11-30")) == Self.date("2026-12-03"))  // Monday → Thursday
        #expect(policy.planDue(requestedOn: Self.date("2026-11-27")) == Self.date("2026-12-02"))  // Friday → Wednesday
        #expect(policy.planDue(requestedOn: Self.date("2026-11-28")) == Self.date("2026-12-02"))  // Saturday → Wednesday
        #expect(WorkingDays.adding(1, to: Self.date("2026-12-04")) == Self.date("2026-12-07"))    // Friday → Monday
        #expect(WorkingDays.adding(5, to: Self.date("2026-12-02")) == Self.date("2026-12-09"))    // a whole week
        #expect(WorkingDays.adding(10, to: Self.date("2026-12-25")) == Self.date("2027-01-08"))   // across the year
        #expect(WorkingDays.adding(0, to: Self.date("2026-11-28")) == Self.date("2026-11-28"))
        #expect(CoachingPolicy(planWorkingDays: 1).planDue(requestedOn: Self.date("2026-11-29")) == Self.date("2026-11-30"))  // Sunday → Monday
    }

    @Test("overdue: still requested after the day the plan was due")
    func overdue() throws {
        var request = Self.request()  // Monday, due Thursday 2026-12-03
        #expect(request.planDueOn == Self.date("2026-12-03"))
        #expect(!request.isOverdue(today: Self.date("2026-12-03")))
        #expect(request.isOverdue(today: Self.date("2026-12-04")))
        try request.plan(trainer: "T1", method: .classroom, sessions: [MinuteRange(start: 0, end: 60)], at: 2_000)
        #expect(!request.isOverdue(today: Self.date("2026-12-04")))  // planned late, but planned
        var cancelled = Self.request()
        try cancelled.apply(.cancel, by: "lead-t1", at: 2_000, note: "Duplicate")
        #expect(!cancelled.isOverdue(today: Self.date("2026-12-31")))
    }

    // MARK: Problem summaries

    @Test("a summary is on time up to the end of its due date, late after, missing while none")
    func summaryState() {
        let due = Self.date("2026-12-04")
        #expect(ProblemSummaryState(firstSubmittedOn: nil, due: due) == .missing)
        #expect(ProblemSummaryState(firstSubmittedOn: Self.date("2026-12-01"), due: due) == .onTime)
        #expect(ProblemSummaryState(firstSubmittedOn: due, due: due) == .onTime)
        #expect(ProblemSummaryState(firstSubmittedOn: Self.date("2026-12-05"), due: due) == .late)
    }

    // MARK: Staged plans

    static func stage(_ title: String, _ start: String, _ end: String, checks: String = "10 calls checked") -> CoachingStage.Draft {
        CoachingStage.Draft(title: title, startDate: start, endDate: end, checks: checks)
    }

    static func problems(_ drafts: [CoachingStage.Draft]) -> [String] {
        do {
            _ = try CoachingStage.stages(drafts)
            return []
        } catch {
            guard case .invalid(let found) = error else { return ["\(error)"] }
            return found.map(\.subject)
        }
    }

    @Test("stages in order and apart are accepted, with their dates read")
    func goodStages() throws {
        let stages = try CoachingStage.stages([
            Self.stage("Week 1: greeting script", "2026-12-01", "2026-12-06", checks: "10 calls:\n greeting in the first 5 s"),
            Self.stage("Week 2: warmth", "2026-12-07", "2026-12-07"),
        ])
        #expect(stages.map(\.start) == [Self.date("2026-12-01"), Self.date("2026-12-07")])
        #expect(stages[0].checks.contains("\n"))
    }

    @Test("stages: count, dates, order and overlap are refused, each named")
    func badStages() {
        #expect(Self.problems([]) == ["stages"])
        #expect(Self.problems((0..<21).map { i in
            let day = Self.date("2026-12-01").adding(days: i).description
            return Self.stage("Day \(i)", day, day)
        }) == ["stages"])
        #expect(Self.problems([Self.stage("A", "2026-12-1", "2026-12-40")]) == ["stages[0].start_date", "stages[0].end_date"])
        #expect(Self.problems([Self.stage("A", "2026-12-05", "2026-12-04")]) == ["stages[0].end_date"])
        // Out of order, and overlapping by one shared day (both days count).
        #expect(Self.problems([Self.stage("A", "2026-12-08", "2026-12-10"), Self.stage("B", "2026-12-01", "2026-12-03")]) == ["stages[1].start_date"])
        #expect(Self.problems([Self.stage("A", "2026-12-01", "2026-12-07"), Self.stage("B", "2026-12-07", "2026-12-10")]) == ["stages[1].start_date"])
        #expect(Self.problems([Self.stage("", "2026-12-01", "2026-12-02", checks: " ")]) == ["stages[0].title", "stages[0].checks"])
        #expect(Self.problems([Self.stage("Week\n1", "2026-12-01", "2026-12-02", checks: String(repeating: "x", count: 2_001))])
            == ["stages[0].title", "stages[0].checks"])
    }

    // MARK: One-to-one sessions

    @Test("sessions: 1 to 20, each after its start, at most a day, within its month, none overlapping")
    func sessionShapes() {
        let december = Self.date("2026-12-01").dayNumber * 1440
        func range(_ start: Int, _ end: Int) -> MinuteRange { MinuteRange(start: december + start, end: december + end) }
        #expect(CoachingSessions.violations([range(600, 660)]).isEmpty)
        #expect(CoachingSessions.violations([]).map(\.subject) == ["sessions"])
        #expect(CoachingSessions.violations([range(600, 600), range(0, 1441)]).map(\.subject) == ["sessions[0].end", "sessions[1].end"])
        #expect(CoachingSessions.violations([range(600, 700), range(650, 720)]).map(\.subject) == ["sessions[1]"])
        // December 31, 23:00 to January 1, 01:00: two months.
        #expect(CoachingSessions.violations([range(30 * 1440 + 1380, 31 * 1440 + 60)]).map(\.subject) == ["sessions[0].end"])
        #expect(CoachingSessions.monthStart(of: december + 90).startMinute == december)
    }

    @Test("a session must lie within the agent's shifts; adjacent shifts join up")
    func withinShifts() {
        let floor = CoachingSessions.Floor(shifts: [MinuteRange(start: 540, end: 720), MinuteRange(start: 720, end: 1080)])
        #expect(CoachingSessions.refusal(agent: "a3", session: MinuteRange(start: 700, end: 760), floor: floor) == nil)
        #expect(CoachingSessions.refusal(agent: "a3", session: MinuteRange(start: 480, end: 560), floor: floor) == .outsideShifts)
        #expect(CoachingSessions.refusal(agent: "a3", session: MinuteRange(start: 1070, end: 1090), floor: floor) == .outsideShifts)
        #expect(CoachingSessions.refusal(agent: "a3", session: MinuteRange(start: 2000, end: 2060), floor: CoachingSessions.Floor(shifts: [])) == .outsideShifts)
        let gap = CoachingSessions.Floor(shifts: [MinuteRange(start: 540, end: 700), MinuteRange(start: 720, end: 1080)])
        #expect(CoachingSessions.refusal(agent: "a3", session: MinuteRange(start: 690, end: 730), floor: gap) == .outsideShifts)
        let allowed = CoachingSessions.Floor(shifts: [], allowsOffShift: true)
        #expect(CoachingSessions.refusal(agent: "a3", session: MinuteRange(start: 0, end: 60), floor: allowed) == nil)
    }

    @Test("a session is refused when the agent is busy then or the floor cannot spare them")
    func busyAndCoverage() throws {
        // Five agents of a team without a forecast queue, on shift 09:00-17:00: 20 % means one may leave.
        let agents = (1...5).map { Agent(id: AgentID("a\($0)"), team: "t1", teamLeader: nil, queues: [], standing: .inService(.coaching)) }
        let shifts = agents.map { Shift(agent: $0.id, start: 540, end: 1020) }
        var coverage = try FloorCoverage(agents: agents, shifts: shifts, forecasts: [])
        coverage.take("a2", during: MinuteRange(start: 600, end: 660))  // a2 is in a course 10:00-11:00
        let floor = CoachingSessions.Floor(
            shifts: [MinuteRange(start: 540, end: 1020)], coverage: coverage,
            busy: [(what: "training session S1", time: MinuteRange(start: 840, end: 900))])
        #expect(CoachingSessions.refusal(agent: "a1", session: MinuteRange(start: 720, end: 780), floor: floor) == nil)
        #expect(CoachingSessions.refusal(agent: "a1", session: MinuteRange(start: 870, end: 930), floor: floor)
            == .busy("training session S1", MinuteRange(start: 840, end: 900)))
        guard case .coverage(let short?) = CoachingSessions.refusal(agent: "a1", session: MinuteRange(start: 630, end: 690), floor: floor) else {
            Issue.record("a second agent of five off the floor at 10:30 should break the team's share")
            return
        }
        #expect(short.interval == Interval(21) && !short.keepsCoverage)
        #expect(short.scope == .team("t1", onShift: 5, inTraining: 2, allowedInTraining: 1))
    }

    // MARK: Text

    @Test("free text may hold line breaks, never other control characters")
    func freeText() {
        #expect(CoachingText.violations("Line one\nline two\ttab", "summary", maximum: 4_000).isEmpty)
        #expect(CoachingText.violations("bell\u{7}", "summary", maximum: 4_000).map(\.subject) == ["summary"])
        #expect(CoachingText.violations("", "notes", maximum: 10, required: false).isEmpty)
        #expect(CoachingText.violations("  ", "summary", maximum: 10).first?.description == "is required")
        #expect(CoachingText.violations("12345678901", "summary", maximum: 10).first?.description == "is longer than 10 characters")
    }
}
