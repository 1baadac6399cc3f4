import CalendarDates
import Testing
@testable import EffectivenessReview

/// Follow-up of a training: the target and its windows, the review at the window's end and
/// what follows it (one coaching request, or the supervisor after a repeated failure), the
/// two-week meeting with seed 004's questions, the survey's response rates, and the
/// performance record's CSV.
@Suite struct FollowUpTests {
    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(text) else { fatalError("bad test date \(text)") }
        return date
    }

    static let handleTime = TargetMetric.kpi("aht", direction: .lowerIsBetter)

    /// A target agreed on the day of a coaching on 2026-03-02: the window runs 2026-03-03 for
    /// `days` days.
    static func target(
        id: String = "t-1", agent: String = "a1", metric: TargetMetric = .qaTotal, baseline: Double = 80, target: Double = 90,
        samples: Int = 12, days: Int? = nil
    ) throws(FollowUpError) -> FollowUpTarget {
        try FollowUpTarget(
            id: id, agentID: agent, teamLeaderID: "tl-1", origin: .coaching(coachingID: "co-\(id)"), metric: metric,
            trainingOn: date("2026-03-02"), agreedOn: date("2026-03-02"), baseline: FollowUpFigure(value: baseline, samples: samples),
            targetValue: target, followUpDays: days)
    }

    static func review(_ target: FollowUpTarget, _ value: Double, samples: Int = 10) throws(FollowUpError) -> TargetReview {
        try TargetReview.review(target, observed: FollowUpFigure(value: value, samples: samples), reviewedBy: "tl-1", on: target.reviewDueOn)
    }

    // MARK: Targets

    @Test("a 10-day follow-up window is refused, naming follow_up_days; 14 is the floor, 28 the default")
    func tenDayWindowIsRefused() throws {
        #expect(throws: FollowUpError.invalid([FollowUpViolation("follow_up_days", .windowTooShort(days: 10, minimum: 14))])) {
            try Self.target(days: 10)
        }
        #expect(throws: FollowUpError.self) { try Self.target(days: 13) }
        let fourteen = try Self.target(days: 14)
        #expect(fourteen.followUpWindow.days == 14)
        #expect(fourteen.followUpWindow.first == Self.date("2026-03-03") && fourteen.followUpWindow.last == Self.date("2026-03-16"))
        let byDefault = try Self.target()
        #expect(byDefault.followUpWindow.days == 28 && byDefault.reviewDueOn == Self.date("2026-03-31"))
        do {
            _ = try Self.target(days: 181)
            Issue.record("a 181-day window was accepted")
        } catch {
            #expect(error.fields == ["follow_up_days"])
        }
    }

    @Test("the baseline covers the 30 days before the training (configurable), the training day excluded")
    func baselineWindow() throws {
        let window = FollowUpPolicy().baselineWindow(before: Self.date("2026-03-31"))
        #expect(window.first == Self.date("2026-03-01") && window.last == Self.date("2026-03-30") && window.days == 30)
        let short = FollowUpPolicy(baselineDays: 14).baselineWindow(before: Self.date("2026-03-01"))
        #expect(short.description == "2026-02-15…2026-02-28")
        #expect(try Self.target().baselineWindow == FollowUpPolicy().baselineWindow(before: Self.date("2026-03-02")))
        #expect(FollowUpPolicy().violations.isEmpty)
        #expect(FollowUpPolicy(baselineDays: 0, defaultFollowUpDays: 10).violations.map(\.field) == ["baseline_days", "default_follow_up_days"])
    }

    @Test("a target must be an improvement over the baseline in the metric's direction")
    func targetMustImprove() throws {
        do {
            _ = try Self.target(baseline: 80, target: 80)
            Issue.record("a target equal to the baseline was accepted")
        } catch {
            #expect(error == .invalid([FollowUpViolation("target_value", .notAnImprovement(baseline: 80, target: 80, direction: .higherIsBetter))]))
        }
        // Handle time: a target above the baseline is worse, not better.
        #expect(throws: FollowUpError.self) { try Self.target(metric: Self.handleTime, baseline: 420, target: 450) }
        _ = try Self.target(metric: Self.handleTime, baseline: 420, target: 360)
        // The QA total lives in 0-100; a thin baseline is no baseline.
        do {
            _ = try Self.target(baseline: 80, target: 101, samples: 3)
            Issue.record("accepted")
        } catch {
            #expect(Set(error.fields) == ["target_value", "baseline_samples"])
        }
    }

    @Test("check-in notes are kept in date order, and only inside the follow-up window")
    func checkIns() throws {
        var target = try Self.target(days: 14)
        try target.addCheckIn(CheckInNote(on: Self.date("2026-03-10"), by: "tl-1", text: "Greeting better on 3 of 5 calls"))
        try target.addCheckIn(CheckInNote(on: Self.date("2026-03-05"), by: "tl-1", text: "Replayed two calls together"))
        #expect(target.checkIns.map(\.on) == [Self.date("2026-03-05"), Self.date("2026-03-10")])
        #expect(throws: FollowUpError.invalid([FollowUpViolation("on", .after(Self.date("2026-03-16")))])) {
            try target.addCheckIn(CheckInNote(on: Self.date("2026-03-17"), by: "tl-1", text: "late"))
        }
        #expect(throws: FollowUpError.self) { try target.addCheckIn(CheckInNote(on: Self.date("2026-03-06"), by: "tl-1", text: "  ")) }
    }

    // MARK: Review

    @Test("a target reached at the window's end reviews as achieved, with the figures it came from")
    func reachedIsAchieved() throws {
        let target = try Self.target(baseline: 80, target: 88)
        #expect(throws: FollowUpError.reviewBeforeWindowEnds(windowEndsOn: Self.date("2026-03-30"))) {
            try TargetReview.review(target, observed: FollowUpFigure(value: 88, samples: 10), reviewedBy: "tl-1", on: Self.date("2026-03-30"))
        }
        let review = try Self.review(target, 88)
        #expect(review.outcome == .achieved && review.progress == 1)
        #expect(review.baseline == FollowUpFigure(value: 80, samples: 12) && review.targetValue == 88)
        #expect(review.observed == FollowUpFigure(value: 88, samples: 10) && review.minimumSamples == 4)
        #expect(review.reviewedBy == "tl-1" && review.reviewedOn == Self.date("2026-03-31") && review.window == target.followUpWindow)
        #expect(try Self.review(target, 93).outcome == .achieved)
        #expect(try Self.review(target, 87.9).outcome == .partlyAchieved)
    }

    @Test("for handle time lower is achieved, higher is not")
    func handleTimeLowerIsAchieved() throws {
        let target = try Self.target(metric: Self.handleTime, baseline: 420, target: 360)
        #expect(try Self.review(target, 360).outcome == .achieved)
        #expect(try Self.review(target, 340).outcome == .achieved)
        #expect(try Self.review(target, 390).outcome == .partlyAchieved)  // exactly half way down
        #expect(try Self.review(target, 400).outcome == .notAchieved)
        let worse = try Self.review(target, 450)
        #expect(worse.outcome == .notAchieved && worse.progress == -0.5)
    }

    @Test("partly achieved at exactly half way from baseline to target; just short of half is not achieved")
    func partlyAtHalfWay() throws {
        let target = try Self.target(baseline: 80, target: 90)
        let half = try Self.review(target, 85)
        #expect(half.outcome == .partlyAchieved && half.progress == 0.5)
        #expect(try Self.review(target, 84.9).outcome == .notAchieved)
        // Rates in decimal fractions do not lose half way to rounding.
        let rate = try Self.target(metric: .kpi("fcr", direction: .higherIsBetter), baseline: 0.7, target: 0.9)
        #expect(try Self.review(rate, 0.8).outcome == .partlyAchieved)
        #expect(try Self.review(rate, 0.9).outcome == .achieved)
    }

    @Test("fewer evaluations than the policy's minimum (default 4) is insufficient data, not a verdict")
    func insufficientData() throws {
        let target = try Self.target(baseline: 80, target: 90)
        let thin = try Self.review(target, 95, samples: 3)
        #expect(thin.outcome == .insufficientData && thin.progress == nil)
        #expect(thin.nextStep(earlierOutcomes: []) == .none)
        #expect(try Self.review(target, 95, samples: 4).outcome == .achieved)
        let strict = try TargetReview.review(
            target, observed: FollowUpFigure(value: 95, samples: 9), reviewedBy: "tl-1", on: target.reviewDueOn,
            policy: FollowUpPolicy(minimumSamples: 10))
        #expect(strict.outcome == .insufficientData && strict.minimumSamples == 10)
    }

    @Test("not achieved files one coaching request; reviewing twice files the same request id")
    func reviewingTwiceFilesOneRequest() throws {
        let target = try Self.target(baseline: 80, target: 90)
        var filed: [String: ReviewCoachingRequest] = [:]
        var history: [EarlierTargetOutcome] = []
        for _ in 0..<2 {
            let review = try Self.review(target, 82)
            #expect(review.outcome == .notAchieved)
            guard case .requestCoaching(let request) = review.nextStep(earlierOutcomes: history) else {
                Issue.record("expected a coaching request")
                return
            }
            filed[request.requestID] = request
            history.append(review.asEarlierOutcome)
        }
        #expect(filed.count == 1)
        let request = try #require(filed.values.first)
        #expect(request.requestID.hasPrefix("rv-") && request.requestID.count == 19)
        #expect(request.agentID == "a1" && request.requestedBy == "tl-1" && request.metric == .qaTotal && request.attempt == 0)
        #expect(request.problem.contains("baseline 80, target 90, reached 82"))
        // The id depends on agent, metric and target, and on nothing else.
        let other = try Self.review(try Self.target(id: "t-2", baseline: 80, target: 90), 82)
        guard case .requestCoaching(let otherRequest) = other.nextStep(earlierOutcomes: []) else {
            Issue.record("expected a coaching request")
            return
        }
        #expect(otherRequest.requestID != request.requestID)
        #expect(
            TargetReview.derivedID(prefix: "rv-", agentID: "a1", metric: .qaTotal, targetID: "t-1")
                == TargetReview.derivedID(prefix: "rv-", agentID: "a1", metric: .qaTotal, targetID: "t-1"))
        #expect(
            TargetReview.derivedID(prefix: "rv-", agentID: "a1", metric: .criterion("x"), targetID: "t")
                != TargetReview.derivedID(prefix: "rv-", agentID: "a1", metric: .criterion("xt"), targetID: ""))
    }

    @Test("a second not-achieved review on the same agent and metric escalates to the supervisor")
    func secondFailureEscalates() throws {
        // First failure, March: a coaching request.
        let first = try Self.review(try Self.target(id: "t-1", baseline: 80, target: 90), 81)
        guard case .requestCoaching = first.nextStep(earlierOutcomes: []) else {
            Issue.record("the first failure should request coaching")
            return
        }
        // The coaching is delivered; a new target on the same metric, followed in April, fails too.
        let secondTarget = try FollowUpTarget(
            id: "t-2", agentID: "a1", teamLeaderID: "tl-1", origin: .coaching(coachingID: "co-2"), metric: .qaTotal,
            trainingOn: Self.date("2026-04-06"), agreedOn: Self.date("2026-04-06"), baseline: FollowUpFigure(value: 81, samples: 10),
            targetValue: 88)
        let second = try Self.review(secondTarget, 82)
        let history = [first.asEarlierOutcome]
        guard case .escalateToSupervisor(let escalation) = second.nextStep(earlierOutcomes: history) else {
            Issue.record("the second failure on the same metric should escalate")
            return
        }
        #expect(escalation.targetID == "t-2" && escalation.earlierNotAchieved == ["t-1"] && escalation.agentID == "a1")
        #expect(escalation.escalationID.hasPrefix("esc-"))
        // Idempotent too: the same review again escalates with the same id.
        #expect(second.nextStep(earlierOutcomes: history + [second.asEarlierOutcome]) == .escalateToSupervisor(escalation))
        // A late re-review of the first target does not escalate because of the newer failure.
        guard case .requestCoaching = first.nextStep(earlierOutcomes: history + [second.asEarlierOutcome]) else {
            Issue.record("the first target's decision changed with a later failure")
            return
        }

        // Another metric, another agent's failure, or an earlier success: back to coaching.
        let criterionTarget = try FollowUpTarget(
            id: "t-3", agentID: "a1", teamLeaderID: "tl-1", origin: .coaching(coachingID: "co-3"), metric: .criterion("phrasing"),
            trainingOn: Self.date("2026-04-06"), agreedOn: Self.date("2026-04-06"), baseline: FollowUpFigure(value: 60, samples: 10),
            targetValue: 80)
        guard case .requestCoaching = try Self.review(criterionTarget, 61).nextStep(earlierOutcomes: history) else {
            Issue.record("a failure on another metric escalated")
            return
        }
        var otherAgent = first.asEarlierOutcome
        otherAgent.agentID = "a2"
        var earlierSuccess = first.asEarlierOutcome
        earlierSuccess.outcome = .partlyAchieved
        guard case .requestCoaching(let again) = second.nextStep(earlierOutcomes: [otherAgent, earlierSuccess]) else {
            Issue.record("escalated without an earlier failure of this agent on this metric")
            return
        }
        #expect(again.attempt == 1)
        // Achieved and partly achieved file nothing.
        #expect(try Self.review(secondTarget, 88).nextStep(earlierOutcomes: history) == .none)
        #expect(try Self.review(secondTarget, 85).nextStep(earlierOutcomes: history) == .none)
    }

    // MARK: Meeting and survey

    static func answers(feeling: Int = 4, learned: String = "Acknowledge the feeling before the facts", goalsReached: GoalsReached = .partly)
        -> FollowUpAnswers
    {
        FollowUpAnswers(
            feeling: feeling, learned: learned, goalsReached: goalsReached, futureChanges: "More role play",
            managerSupport: "Listen to two of my calls a week")
    }

    @Test("the follow-up meeting is due 14 days after the session and asks seed 004's five questions, with the goals")
    func meeting() throws {
        var meeting = try FollowUpMeeting(
            sessionID: "s-1", agentID: "a1", teamLeaderID: "tl-1", sessionOn: Self.date("2026-03-02"), goals: "Warmth score 85")
        #expect(meeting.dueOn == Self.date("2026-03-16"))
        #expect(FollowUpMeeting.dueOn(afterSessionOn: Self.date("2026-03-02"), policy: FollowUpPolicy(meetingAfterDays: 10)) == Self.date("2026-03-12"))
        #expect(meeting.questions.count == 5)
        #expect(meeting.questions[2].1.contains("Warmth score 85"))
        #expect(!meeting.isHeld && meeting.isOverdue(on: Self.date("2026-03-17")) && !meeting.isOverdue(on: Self.date("2026-03-16")))

        try meeting.hold(on: Self.date("2026-03-16"), answers: Self.answers(), preference: .listening)
        let record = try #require(meeting.record)
        #expect(record.plan.methods == [.recordedCalls, .podcasts])
        #expect(record.plan.practice.first == Self.date("2026-03-16") && record.plan.practice.days == 30)
        #expect(!meeting.isOverdue(on: Self.date("2026-04-01")))
        // The same record again is harmless; other answers are refused.
        try meeting.hold(on: Self.date("2026-03-16"), answers: Self.answers(), preference: .listening)
        #expect(throws: FollowUpError.alreadyAnswered) {
            try meeting.hold(on: Self.date("2026-03-16"), answers: Self.answers(feeling: 2), preference: .listening)
        }
    }

    @Test("answers are validated: feeling 1-5, something learned, goals verdict consistent with the goals agreed")
    func answerValidation() throws {
        #expect(Self.answers().violations(goals: "Warmth 85").isEmpty)
        #expect(Self.answers(feeling: 0).violations(goals: "Warmth 85").map(\.field) == ["feeling"])
        #expect(Self.answers(feeling: 6).violations(goals: "Warmth 85").map(\.field) == ["feeling"])
        #expect(Self.answers(learned: " \n").violations(goals: "Warmth 85") == [FollowUpViolation("learned", .required)])
        #expect(Self.answers(learned: "bell\u{07}").violations(goals: "Warmth 85") == [FollowUpViolation("learned", .controlCharacters)])
        #expect(Self.answers(goalsReached: .noGoalsAgreed).violations(goals: "Warmth 85").map(\.field) == ["goals_reached"])
        #expect(Self.answers(goalsReached: .reached).violations(goals: "  ").map(\.field) == ["goals_reached"])
        #expect(Self.answers(goalsReached: .noGoalsAgreed).violations(goals: "").isEmpty)
        var meeting = try FollowUpMeeting(sessionID: "s-1", agentID: "a1", teamLeaderID: "tl-1", sessionOn: Self.date("2026-03-02"), goals: "")
        do {
            try meeting.hold(on: Self.date("2026-03-02"), answers: Self.answers(feeling: 9), preference: .reading)
            Issue.record("accepted")
        } catch {
            #expect(error.fields == ["feeling", "goals_reached", "held_on"])
        }
        #expect(meeting.record == nil)
    }

    @Test("the continuing-learning plan follows the agent's preferred way of learning", arguments: [
        (LearningPreference.listening, [LearningMethod.recordedCalls, .podcasts]),
        (.directExperience, [.floorShadowing, .simulations]),
        (.reading, [.knowledgeBaseArticles, .manuals]),
        (.demonstration, [.videos, .sideBySide]),
        (.discussion, [.studyGroups, .oneToOneDiscussion]),
    ])
    func learningPlan(preference: LearningPreference, methods: [LearningMethod]) {
        let plan = ContinuingLearningPlan(preference: preference, startsOn: Self.date("2026-03-16"), policy: FollowUpPolicy(practiceDays: 28))
        #expect(plan.methods == methods)
        #expect(plan.practice.last == Self.date("2026-04-12"))
    }

    @Test("survey response rates per session and per trainer; each attendee counts once")
    func surveyResponseRates() throws {
        func survey(_ session: String, _ trainer: String, _ agent: String, answered: Bool) throws -> FollowUpSurvey {
            var survey = try FollowUpSurvey(sessionID: session, trainerID: trainer, agentID: agent, goals: "", sentOn: Self.date("2026-03-16"))
            if answered {
                try survey.answer(Self.answers(goalsReached: .noGoalsAgreed), preference: .discussion, on: Self.date("2026-03-17"))
            }
            return survey
        }
        // s-1 (trainer T1): 3 of 4 answered; s-2 (T1): 0 of 2; s-3 (T2): 1 of 1; a1's s-1 survey listed twice.
        let surveys = [
            try survey("s-1", "T1", "a1", answered: true), try survey("s-1", "T1", "a1", answered: false),
            try survey("s-1", "T1", "a2", answered: true), try survey("s-1", "T1", "a3", answered: true),
            try survey("s-1", "T1", "a4", answered: false),
            try survey("s-2", "T1", "a1", answered: false), try survey("s-2", "T1", "a5", answered: false),
            try survey("s-3", "T2", "a6", answered: true),
        ]
        let bySession = SurveyResponseRates.bySession(surveys)
        #expect(bySession.map(\.key) == ["s-1", "s-2", "s-3"])
        #expect(bySession.map(\.sent) == [4, 2, 1] && bySession.map(\.answered) == [3, 0, 1])
        #expect(bySession.map(\.rate) == [0.75, 0, 1])
        let byTrainer = SurveyResponseRates.byTrainer(surveys)
        #expect(byTrainer == [SurveyResponseRate(key: "T1", sent: 6, answered: 3), SurveyResponseRate(key: "T2", sent: 1, answered: 1)])
        #expect(byTrainer[0].rate == 0.5)
        #expect(SurveyResponseRates.pending(surveys).map(\.agentID) == ["a4", "a1", "a5"])  // a1's s-1 is answered in one copy

        var answered = try survey("s-1", "T1", "a9", answered: true)
        #expect(throws: FollowUpError.alreadyAnswered) {
            try answered.answer(Self.answers(feeling: 1, goalsReached: .noGoalsAgreed), preference: nil, on: Self.date("2026-03-18"))
        }
        var early = try survey("s-1", "T1", "a8", answered: false)
        #expect(throws: FollowUpError.invalid([FollowUpViolation("answered_on", .before(Self.date("2026-03-16")))])) {
            try early.answer(Self.answers(goalsReached: .noGoalsAgreed), preference: nil, on: Self.date("2026-03-15"))
        }
    }
}

/// The performance record and its CSV for performance management (seed 002).
@Suite struct PerformanceRecordTests {
    static func date(_ text: String) -> LocalDate { FollowUpTests.date(text) }

    @Test("RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled, lines end in CRLF")
    func csvQuoting() throws {
        #expect(PerformanceRecords.csvField("a1") == "a1")
        #expect(PerformanceRecords.csvField("Wang, Li") == "\"Wang, Li\"")
        #expect(PerformanceRecords.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(PerformanceRecords.csvField("two\nlines") == "\"two\nlines\"")
        #expect(PerformanceRecords.csvField("cr\r\nlf") == "\"cr\r\nlf\"")
        #expect(PerformanceRecords.csvField(" padded") == "\" padded\"")
        #expect(PerformanceRecords.csvField("") == "")
        #expect(PerformanceRecords.csvField("王小丽") == "王小丽")

        let month = try #require(YearMonth("2026-03"))
        let record = PerformanceRecord(
            agentID: "a1", agentName: "Wang, \"Lily\"", month: month, trainingsRequired: 3, trainingsRequiredAttended: 2,
            targetsReviewed: 1, targetsAchieved: 1, meetingsDue: 1, meetingsHeld: 1, surveysSent: 1)
        let csv = PerformanceRecords.csv([record])
        let header = "agent_id,agent_name,month,trainings_required,trainings_required_attended,trainings_voluntary_attended,"
            + "targets_reviewed,targets_achieved,targets_partly_achieved,meetings_due,meetings_held,surveys_sent,surveys_answered"
        #expect(csv == header + "\r\n" + #"a1,"Wang, ""Lily""",2026-03,3,2,0,1,1,0,1,1,1,0"# + "\r\n")
    }

    @Test("per agent per month: trainings required and attended, targets, meetings and surveys, each in its own month")
    func build() throws {
        let month = try #require(YearMonth("2026-03"))
        let attendance = [
            TrainingAttendanceFact(agentID: "a1", sessionID: "s-1", on: Self.date("2026-03-03"), required: true, attended: true),
            TrainingAttendanceFact(agentID: "a1", sessionID: "s-1", on: Self.date("2026-03-03"), required: true, attended: true),
            TrainingAttendanceFact(agentID: "a1", sessionID: "s-2", on: Self.date("2026-03-10"), required: true, attended: false),
            TrainingAttendanceFact(agentID: "a1", sessionID: "s-3", on: Self.date("2026-03-12"), required: false, attended: true),
            TrainingAttendanceFact(agentID: "a1", sessionID: "s-4", on: Self.date("2026-04-01"), required: true, attended: true),
        ]
        let target = try FollowUpTests.target(baseline: 80, target: 90, days: 14)  // reviewable from 2026-03-17
        let reviews = [
            try TargetReview.review(target, observed: FollowUpFigure(value: 91, samples: 8), reviewedBy: "tl-1", on: Self.date("2026-03-20")),
            try TargetReview.review(target, observed: FollowUpFigure(value: 86, samples: 8), reviewedBy: "tl-1", on: Self.date("2026-03-21")),
        ]
        var held = try FollowUpMeeting(sessionID: "s-1", agentID: "a1", teamLeaderID: "tl-1", sessionOn: Self.date("2026-03-03"), goals: "")
        try held.hold(on: Self.date("2026-03-17"), answers: FollowUpTests.answers(goalsReached: .noGoalsAgreed), preference: .reading)
        let notHeld = try FollowUpMeeting(sessionID: "s-2", agentID: "a1", teamLeaderID: "tl-1", sessionOn: Self.date("2026-03-10"), goals: "")
        let nextMonth = try FollowUpMeeting(sessionID: "s-3", agentID: "a1", teamLeaderID: "tl-1", sessionOn: Self.date("2026-03-20"), goals: "")
        let survey = try FollowUpSurvey(sessionID: "s-1", trainerID: "T1", agentID: "a1", goals: "", sentOn: Self.date("2026-03-17"))

        let records = PerformanceRecords.build(
            month: month, agents: ["a1": "Wang Li", "a2": "Zhao Min"], attendance: attendance, reviews: reviews,
            meetings: [held, notHeld, nextMonth], surveys: [survey])
        #expect(records == [
            PerformanceRecord(
                agentID: "a1", agentName: "Wang Li", month: month, trainingsRequired: 2, trainingsRequiredAttended: 1,
                trainingsVoluntaryAttended: 1, targetsReviewed: 2, targetsAchieved: 1, targetsPartlyAchieved: 1, meetingsDue: 2,
                meetingsHeld: 1, surveysSent: 1, surveysAnswered: 0),
            PerformanceRecord(agentID: "a2", agentName: "Zhao Min", month: month),
        ])
    }
}
