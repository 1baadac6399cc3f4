import CalendarDates

// The two-week follow-up meeting and the attendees' survey (seed 004: 培训的迅速实施 and
// 继续进行指导): five questions, the agent's preferred way of learning, and a
// continuing-learning plan that fits it.

/// One of seed 004's five follow-up questions, asked in the meeting and in the survey.
///
/// Why the same questions in both: the survey is the meeting's questions answered by the
/// agent alone, so the two can be read side by side (reaction, Kirkpatrick level 1).
public enum FollowUpQuestion: Int, Hashable, Sendable, CaseIterable {
    case feeling = 1
    case learned = 2
    case goalsReached = 3
    case futureChanges = 4
    case managerSupport = 5

    /// The question as put to the agent; the goals question shows the goals agreed before
    /// the training, so that "were they reached?" is about those goals and not a memory.
    public func prompt(goals: String) -> String {
        switch self {
        case .feeling: return "How did the training feel? (1 = poor … 5 = very good)"
        case .learned: return "What did you learn?"
        case .goalsReached:
            let trimmed = goals.trimmingWhitespace
            return trimmed.isEmpty
                ? "Were the goals agreed before the training reached? (no goals were recorded)"
                : "Were the goals agreed before the training reached? Goals: \(trimmed)"
        case .futureChanges: return "What should future trainings change?"
        case .managerSupport: return "How can your manager help you apply what you learned?"
        }
    }
}

/// Whether the goals agreed before the training were reached.
public enum GoalsReached: Int, Hashable, Sendable, CaseIterable {
    case reached = 1
    case partly = 2
    case notReached = 3
    /// No goals were recorded at the goal talk: the question has nothing to ask about.
    case noGoalsAgreed = 4
}

/// The answers to the five questions.
public struct FollowUpAnswers: Hashable, Sendable {
    public static let feelingRange = 1...5
    public static let maximumLength = 2_000

    /// How the training felt, 1 (poor) to 5 (very good).
    public var feeling: Int
    public var learned: String
    public var goalsReached: GoalsReached
    public var futureChanges: String
    public var managerSupport: String

    public init(feeling: Int, learned: String, goalsReached: GoalsReached, futureChanges: String, managerSupport: String) {
        self.feeling = feeling
        self.learned = learned
        self.goalsReached = goalsReached
        self.futureChanges = futureChanges
        self.managerSupport = managerSupport
    }

    /// Every problem, given the goals agreed before the training (empty when none were):
    /// feeling outside 1-5; "what was learned" blank (a follow-up that records nothing
    /// learned has not happened); any text too long or with control characters;
    /// `noGoalsAgreed` when there were goals, or a verdict on goals that were never agreed.
    public func violations(goals: String) -> [FollowUpViolation] {
        var found: [FollowUpViolation] = []
        if !Self.feelingRange.contains(feeling) { found.append(FollowUpViolation("feeling", .outOfRange(minimum: 1, maximum: 5))) }
        found += FollowUpFields.text(learned, "learned", maximum: Self.maximumLength, required: true)
        found += FollowUpFields.text(futureChanges, "future_changes", maximum: Self.maximumLength, required: false)
        found += FollowUpFields.text(managerSupport, "manager_support", maximum: Self.maximumLength, required: false)
        let hadGoals = !goals.trimmingWhitespace.isEmpty
        if hadGoals && goalsReached == .noGoalsAgreed {
            found.append(FollowUpViolation("goals_reached", .inconsistent("is no_goals_agreed but goals were agreed before the training")))
        } else if !hadGoals && goalsReached != .noGoalsAgreed {
            found.append(FollowUpViolation("goals_reached", .inconsistent("must be no_goals_agreed: no goals were recorded before the training")))
        }
        return found
    }
}

/// How an agent prefers to learn (seed 004: 倾听, 直接体验, 阅读, 实践演示, 讨论).
public enum LearningPreference: Int, Hashable, Sendable, CaseIterable {
    case listening = 1
    case directExperience = 2
    case reading = 3
    case demonstration = 4
    case discussion = 5

    /// The methods a continuing-learning plan proposes for this preference, best fit first.
    ///
    /// Why a fixed table: seed 004 pairs each way of learning with its means (listening:
    /// lectures and recordings; direct experience: role play and practice at work; reading:
    /// books and manuals; demonstration: watching an expert or a video; discussion: one by
    /// one or in groups); these are their call-center forms.
    public var suggestedMethods: [LearningMethod] {
        switch self {
        case .listening: [.recordedCalls, .podcasts]
        case .directExperience: [.floorShadowing, .simulations]
        case .reading: [.knowledgeBaseArticles, .manuals]
        case .demonstration: [.videos, .sideBySide]
        case .discussion: [.studyGroups, .oneToOneDiscussion]
        }
    }
}

/// A way to keep practising after a training.
public enum LearningMethod: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case recordedCalls = 1
    case podcasts = 2
    case floorShadowing = 3
    case simulations = 4
    case knowledgeBaseArticles = 5
    case manuals = 6
    case videos = 7
    case sideBySide = 8
    case studyGroups = 9
    case oneToOneDiscussion = 10

    public var description: String {
        switch self {
        case .recordedCalls: "listen to recorded model calls"
        case .podcasts: "podcasts and recorded lessons"
        case .floorShadowing: "shadow an experienced agent on the floor"
        case .simulations: "simulated calls and role play"
        case .knowledgeBaseArticles: "knowledge base articles"
        case .manuals: "manuals and scripts"
        case .videos: "demonstration videos"
        case .sideBySide: "side-by-side with a senior agent"
        case .studyGroups: "study groups"
        case .oneToOneDiscussion: "one-to-one discussion with the team leader"
        }
    }
}

/// The continuing-learning plan proposed at the meeting.
///
/// Why a plan with an end date: seed 004, a new skill needs about a month of practice
/// before it becomes habit; the plan covers that month in the agent's own way of learning.
public struct ContinuingLearningPlan: Hashable, Sendable {
    public let preference: LearningPreference
    public let methods: [LearningMethod]
    public let practice: DaySpan

    /// The plan for `preference`, running `policy.practiceDays` days from `startsOn`.
    public init(preference: LearningPreference, startsOn: LocalDate, policy: FollowUpPolicy = FollowUpPolicy()) {
        self.preference = preference
        self.methods = preference.suggestedMethods
        self.practice = DaySpan(first: startsOn, days: policy.practiceDays)
    }
}

/// The two-week follow-up meeting of a team leader and an agent after a session.
///
/// Why a meeting and not only the survey (seed 004): the answers are the agent's, but the
/// last question ("how can your manager help?") needs the manager in the room, and the
/// continuing-learning plan is agreed between them.
public struct FollowUpMeeting: Hashable, Sendable {
    /// What the meeting recorded.
    public struct Record: Hashable, Sendable {
        public let heldOn: LocalDate
        public let answers: FollowUpAnswers
        public let plan: ContinuingLearningPlan
    }

    public let sessionID: String
    public let agentID: String
    public let teamLeaderID: String
    public let sessionOn: LocalDate
    /// The goals agreed before the training (empty when none were recorded), shown with
    /// the goals question.
    public let goals: String
    public let dueOn: LocalDate
    public private(set) var record: Record?

    /// The day the meeting is due: `policy.meetingAfterDays` (14) calendar days after the session.
    public static func dueOn(afterSessionOn sessionOn: LocalDate, policy: FollowUpPolicy = FollowUpPolicy()) -> LocalDate {
        sessionOn.adding(days: policy.meetingAfterDays)
    }

    /// A meeting falling due for an attendee of a session.
    public init(
        sessionID: String, agentID: String, teamLeaderID: String, sessionOn: LocalDate, goals: String,
        policy: FollowUpPolicy = FollowUpPolicy()
    ) throws(FollowUpError) {
        var found = FollowUpFields.identifier(sessionID, "session_id")
        found += FollowUpFields.identifier(agentID, "agent_id")
        found += FollowUpFields.identifier(teamLeaderID, "team_leader_id")
        found += FollowUpFields.text(goals, "goals", maximum: FollowUpAnswers.maximumLength, required: false)
        guard found.isEmpty else { throw .invalid(found) }
        self.sessionID = sessionID
        self.agentID = agentID
        self.teamLeaderID = teamLeaderID
        self.sessionOn = sessionOn
        self.goals = goals
        self.dueOn = Self.dueOn(afterSessionOn: sessionOn, policy: policy)
        self.record = nil
    }

    public var isHeld: Bool { record != nil }

    /// Due and not held by `today`.
    public func isOverdue(on today: LocalDate) -> Bool { record == nil && today > dueOn }

    /// The five questions as put in this meeting.
    public var questions: [(FollowUpQuestion, String)] { FollowUpQuestion.allCases.map { ($0, $0.prompt(goals: goals)) } }

    /// Records the meeting and proposes the continuing-learning plan from the agent's
    /// preference, starting the day of the meeting.
    ///
    /// Refused when the answers are invalid (`FollowUpAnswers.violations`), when held on or
    /// before the session day ("held_on"), or when already recorded with other content
    /// (`alreadyAnswered`; the same content again changes nothing).
    public mutating func hold(
        on heldOn: LocalDate, answers: FollowUpAnswers, preference: LearningPreference, policy: FollowUpPolicy = FollowUpPolicy()
    ) throws(FollowUpError) {
        var found = answers.violations(goals: goals)
        if heldOn <= sessionOn { found.append(FollowUpViolation("held_on", .inconsistent("must be after the session on \(sessionOn)"))) }
        guard found.isEmpty else { throw .invalid(found) }
        let new = Record(heldOn: heldOn, answers: answers, plan: ContinuingLearningPlan(preference: preference, startsOn: heldOn, policy: policy))
        if let record {
            guard record == new else { throw .alreadyAnswered }
            return
        }
        record = new
    }
}

/// The follow-up survey an attendee answers alone: the meeting's five questions.
public struct FollowUpSurvey: Hashable, Sendable {
    public let sessionID: String
    /// The session's trainer: response rates are reported per trainer.
    public let trainerID: String
    public let agentID: String
    public let goals: String
    public let sentOn: LocalDate
    public private(set) var answeredOn: LocalDate?
    public private(set) var answers: FollowUpAnswers?
    /// The preferred way of learning, when the agent said.
    public private(set) var preference: LearningPreference?

    public init(sessionID: String, trainerID: String, agentID: String, goals: String, sentOn: LocalDate) throws(FollowUpError) {
        var found = FollowUpFields.identifier(sessionID, "session_id")
        found += FollowUpFields.identifier(trainerID, "trainer_id")
        found += FollowUpFields.identifier(agentID, "agent_id")
        found += FollowUpFields.text(goals, "goals", maximum: FollowUpAnswers.maximumLength, required: false)
        guard found.isEmpty else { throw .invalid(found) }
        self.sessionID = sessionID
        self.trainerID = trainerID
        self.agentID = agentID
        self.goals = goals
        self.sentOn = sentOn
    }

    public var isAnswered: Bool { answers != nil }

    /// Records the agent's answers. Refused when invalid, when dated before the survey was
    /// sent ("answered_on"), or when already answered differently (`alreadyAnswered`; the
    /// same answers again change nothing, so a resent form is harmless).
    public mutating func answer(_ answers: FollowUpAnswers, preference: LearningPreference?, on answeredOn: LocalDate) throws(FollowUpError) {
        var found = answers.violations(goals: goals)
        if answeredOn < sentOn { found.append(FollowUpViolation("answered_on", .before(sentOn))) }
        guard found.isEmpty else { throw .invalid(found) }
        if let existing = self.answers {
            guard existing == answers, self.preference == preference else { throw .alreadyAnswered }
            return
        }
        self.answers = answers
        self.preference = preference
        self.answeredOn = answeredOn
    }
}

/// How many surveys of a group were answered.
public struct SurveyResponseRate: Hashable, Sendable {
    /// The session id or trainer id.
    public let key: String
    public let sent: Int
    public let answered: Int

    /// answered / sent (a group exists only with at least one survey sent).
    public var rate: Double { sent == 0 ? 0 : Double(answered) / Double(sent) }
}

/// Survey response rates (pure aggregation).
///
/// Why per session and per trainer: a low rate is a fact about how a session was followed
/// up, not about the agents; it tells the manager whose surveys to chase. Each (session,
/// agent) counts once even if listed twice, answered if any copy is.
public enum SurveyResponseRates {
    public static func bySession(_ surveys: [FollowUpSurvey]) -> [SurveyResponseRate] {
        rates(surveys, key: \.sessionID)
    }

    public static func byTrainer(_ surveys: [FollowUpSurvey]) -> [SurveyResponseRate] {
        rates(surveys, key: \.trainerID)
    }

    /// Surveys sent and not answered, oldest first, each (session, agent) once and none
    /// whose other copy is answered: what delivery and reminders work through.
    public static func pending(_ surveys: [FollowUpSurvey]) -> [FollowUpSurvey] {
        let answered = Set(surveys.filter(\.isAnswered).map { [$0.sessionID, $0.agentID] })
        var listed: Set<[String]> = []
        return surveys.filter { !$0.isAnswered && !answered.contains([$0.sessionID, $0.agentID]) && listed.insert([$0.sessionID, $0.agentID]).inserted }
            .sorted { ($0.sentOn, $0.sessionID, $0.agentID) < ($1.sentOn, $1.sessionID, $1.agentID) }
    }

    private static func rates(_ surveys: [FollowUpSurvey], key: KeyPath<FollowUpSurvey, String>) -> [SurveyResponseRate] {
        struct Identity: Hashable {
            let session: String
            let agent: String
        }
        var byIdentity: [Identity: (key: String, answered: Bool)] = [:]
        for survey in surveys {
            let identity = Identity(session: survey.sessionID, agent: survey.agentID)
            let answered = (byIdentity[identity]?.answered ?? false) || survey.isAnswered
            byIdentity[identity] = (survey[keyPath: key], answered)
        }
        var counts: [String: (sent: Int, answered: Int)] = [:]
        for entry in byIdentity.values {
            let old = counts[entry.key] ?? (0, 0)
            counts[entry.key] = (old.sent + 1, old.answered + (entry.answered ? 1 : 0))
        }
        return counts.map { SurveyResponseRate(key: $0.key, sent: $0.value.sent, answered: $0.value.answered) }.sorted { $0.key < $1.key }
    }
}

fileprivate extension String {
    /// Without leading and trailing whitespace (no Foundation in the domain).
    var trimmingWhitespace: Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}
