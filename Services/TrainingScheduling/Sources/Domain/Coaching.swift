import CalendarDates

// Special coaching (专项辅导, DOMAIN.md "Context 2"; seeds 000 and 003): the team leader's
// problem summary for each coaching-tier agent, the supervisor's staged plan, and one-to-one
// coaching requests from request to delivery, every step recorded.

/// A coaching request: "c-" and a number for a team leader's request, or the review
/// service's own id when the request arrived as its `CoachingRequested` event.
public struct CoachingRequestID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }

    /// The id of a team leader's request number `number`.
    public static func teamLeaders(_ number: Int) -> CoachingRequestID { CoachingRequestID("c-\(number)") }
}

/// The coaching policy of the center.
///
/// Why a policy: how quickly a trainer must answer a request with a plan is the center's
/// decision (seed 000 names the steps, not the days); 3 working days is the default.
public struct CoachingPolicy: Hashable, Sendable {
    /// The values a center may set for `planWorkingDays`.
    public static let planWorkingDaysRange = 1...30

    /// Working days (Monday-Friday) after the request's date by which the plan is due.
    public var planWorkingDays: Int

    public init(planWorkingDays: Int = 3) {
        self.planWorkingDays = planWorkingDays
    }

    /// The date a request made on `requestedOn` must be planned by.
    public func planDue(requestedOn: LocalDate) -> LocalDate {
        WorkingDays.adding(planWorkingDays, to: requestedOn)
    }
}

/// Working-day arithmetic on the plain Monday-Friday week.
///
/// Why not the center's holiday calendar: it lives in the intake and is not replicated
/// here; a plan due date that ignores a public holiday errs on the side of the agent.
public enum WorkingDays {
    /// Whether `date` is Monday to Friday.
    public static func isWorkingDay(_ date: LocalDate) -> Bool { !date.isWeekend }

    /// The `count`-th working day after `date` (the date itself does not count): a request
    /// on a Friday plus 3 is the Wednesday after. `count` ≤ 0 gives `date`.
    public static func adding(_ count: Int, to date: LocalDate) -> LocalDate {
        var day = date
        var left = count
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }
}

/// Where a coaching-tier agent's problem summary stands.
///
/// Why decided by the first submission: the deadline is about the team leader handing the
/// trainer the agent's problems in time (seed 003, "before the 5th"); rewriting a summary
/// that arrived on time does not make it late, and polishing a late one does not make it on time.
public enum ProblemSummaryState: Int, Hashable, Sendable, CaseIterable {
    /// Not written yet, whether or not the due date has passed.
    case missing = 1
    /// First written on or before the due date (the center's local date).
    case onTime = 2
    /// First written after the due date.
    case late = 3

    public init(firstSubmittedOn: LocalDate?, due: LocalDate) {
        guard let firstSubmittedOn else {
            self = .missing
            return
        }
        self = firstSubmittedOn <= due ? .onTime : .late
    }
}

/// Free text of the coaching work (summaries, problems, checks, notes).
///
/// Why its own rule: unlike ids and titles these are paragraphs written by people, so line
/// breaks and tabs are allowed; other control characters are not.
public enum CoachingText {
    public static func violations(_ value: String, _ subject: String, maximum: Int, required: Bool = true, multiline: Bool = true) -> [FieldViolation] {
        if value.allSatisfy(\.isWhitespace) {
            return required ? [FieldViolation(subject: subject, description: "is required")] : []
        }
        if value.count > maximum { return [FieldViolation(subject: subject, description: "is longer than \(maximum) characters")] }
        let allowed: Set<UInt32> = multiline ? [0x09, 0x0A, 0x0D] : []
        if value.unicodeScalars.contains(where: { ($0.value <= 0x1F || (0x7F...0x9F).contains($0.value)) && !allowed.contains($0.value) }) {
            return [FieldViolation(subject: subject, description: multiline ? "must not contain control characters other than line breaks and tabs" : "must not contain control characters")]
        }
        return []
    }
}

/// One stage of a supervisor's staged coaching plan (seed 003: 主管阶段性辅导), e.g. week 1
/// phrasing drills, checked on 10 calls. Dates are the center's, both days included.
public struct CoachingStage: Hashable, Sendable {
    public var title: String
    public var start: LocalDate
    public var end: LocalDate
    public var checks: String

    public init(title: String, start: LocalDate, end: LocalDate, checks: String) {
        self.title = title
        self.start = start
        self.end = end
        self.checks = checks
    }

    /// A stage as written, before its dates are read.
    public struct Draft: Hashable, Sendable {
        public var title: String
        public var startDate: String
        public var endDate: String
        public var checks: String

        public init(title: String, startDate: String, endDate: String, checks: String) {
            self.title = title
            self.startDate = startDate
            self.endDate = endDate
            self.checks = checks
        }
    }

    public static let maximumStages = 20
    public static let maximumTitle = 200
    public static let maximumChecks = 2_000

    /// The stages of a plan, or every problem at once (subjects "stages", "stages[i].field").
    ///
    /// Why stages must be in order and apart: a staged plan is a sequence (the agent moves to
    /// the next stage when one is checked); two stages on the same day would leave the agent
    /// and the supervisor not knowing which check applies.
    public static func stages(_ drafts: [Draft]) throws(CoachingError) -> [CoachingStage] {
        var problems: [FieldViolation] = []
        if drafts.isEmpty || drafts.count > maximumStages {
            problems.append(FieldViolation(subject: "stages", description: "must hold 1 to \(maximumStages) stages (it holds \(drafts.count))"))
        }
        var stages: [CoachingStage?] = []
        for (i, draft) in drafts.enumerated() {
            let path = "stages[\(i)]"
            problems += CoachingText.violations(draft.title, "\(path).title", maximum: maximumTitle, multiline: false)
            problems += CoachingText.violations(draft.checks, "\(path).checks", maximum: maximumChecks)
            let start = LocalDate(draft.startDate), end = LocalDate(draft.endDate)
            if start == nil { problems.append(FieldViolation(subject: "\(path).start_date", description: "must be a date YYYY-MM-DD")) }
            if end == nil { problems.append(FieldViolation(subject: "\(path).end_date", description: "must be a date YYYY-MM-DD")) }
            if let start, let end, end < start {
                problems.append(FieldViolation(subject: "\(path).end_date", description: "is before start_date"))
            }
            if let start, let end {
                stages.append(CoachingStage(title: draft.title, start: start, end: end, checks: draft.checks))
            } else {
                stages.append(nil)
            }
        }
        // Order and overlap, between neighbours whose dates could be read.
        for i in stages.indices.dropFirst() {
            guard let previous = stages[i - 1], let stage = stages[i], previous.start <= previous.end else { continue }
            if stage.start < previous.start {
                problems.append(FieldViolation(subject: "stages[\(i)].start_date", description: "is before stages[\(i - 1)]: stages are listed in order"))
            } else if stage.start <= previous.end {
                problems.append(FieldViolation(subject: "stages[\(i)].start_date", description: "overlaps stages[\(i - 1)], which ends on \(previous.end)"))
            }
        }
        guard problems.isEmpty else { throw .invalid(problems) }
        return stages.compactMap { $0 }
    }
}

/// A team leader's request to a trainer for one-to-one coaching of an agent (seed 000 step
/// 2), from the request to its delivery and its closing by the effectiveness review.
///
/// Why every step is kept: team leader and trainer later review who did what and when
/// (DOMAIN.md, "recorded at every step"); the state alone would forget it.
public struct CoachingRequest: Hashable, Sendable {
    /// Where a request stands.
    public enum State: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// Waiting for the trainer's plan.
        case requested = 1
        /// Method and one-to-one sessions set; the plan may still be replaced.
        case planned = 2
        /// Done: `CoachingDelivered` went to the review service.
        case delivered = 3
        /// The review service measured it and closed it.
        case closed = 4
        /// Cancelled with a reason before delivery.
        case cancelled = 5

        public var description: String {
            switch self {
            case .requested: "requested"
            case .planned: "planned"
            case .delivered: "delivered"
            case .closed: "closed"
            case .cancelled: "cancelled"
            }
        }

        /// The state after `action`, or why the action is refused in this state.
        public func after(_ action: Action) throws(CoachingError) -> State {
            switch (action, self) {
            case (.plan, .requested), (.plan, .planned): return .planned
            case (.deliver, .planned): return .delivered
            case (.close, .delivered): return .closed
            case (.cancel, .requested), (.cancel, .planned): return .cancelled
            default: throw .refused(action, from: self)
            }
        }
    }

    /// What people do to a request.
    public enum Action: Hashable, Sendable, CustomStringConvertible {
        case plan, deliver, close, cancel

        public var description: String {
            switch self {
            case .plan: "plan"
            case .deliver: "deliver"
            case .close: "close"
            case .cancel: "cancel"
            }
        }
    }

    public enum Priority: Int, Hashable, Sendable, CaseIterable {
        case low = 1
        case normal = 2
        case high = 3
    }

    /// One step: who moved the request to which state, when (Unix milliseconds), and why.
    public struct Step: Hashable, Sendable {
        public var state: State
        public var by: String
        public var at: Int64
        public var note: String

        public init(state: State, by: String, at: Int64, note: String = "") {
            self.state = state
            self.by = by
            self.at = at
            self.note = note
        }
    }

    public static let maximumProblem = 4_000
    public static let maximumEvidence = 100
    public static let maximumNotes = 4_000
    public static let maximumReason = 2_000

    public var id: CoachingRequestID
    public var agent: AgentID
    /// Who asked: the team leader (for the review's requests, who it names).
    public var teamLeader: String
    public var problem: String
    /// The metric to move.
    public var metric: String
    /// Call or evaluation ids.
    public var evidence: [String]
    public var priority: Priority
    public var state: State
    /// Arrived as the review service's `CoachingRequested` event.
    public var fromReview: Bool
    /// From the review service: how many times the agent was coached on this metric before.
    public var attempt: Int
    public var trainer: TrainerID?
    public var method: CourseMethod?
    /// The one-to-one sessions: the center's local minutes since 1970-01-01, in order.
    public var sessions: [MinuteRange]
    public var requestedOn: LocalDate
    public var planDueOn: LocalDate
    public var deliveredOn: LocalDate?
    /// Oldest first.
    public var history: [Step]

    public init(
        id: CoachingRequestID, agent: AgentID, teamLeader: String, problem: String, metric: String, evidence: [String],
        priority: Priority, fromReview: Bool = false, attempt: Int = 0, requestedOn: LocalDate, planDueOn: LocalDate,
        requestedAt: Int64, note: String = ""
    ) {
        self.id = id
        self.agent = agent
        self.teamLeader = teamLeader
        self.problem = problem
        self.metric = metric
        self.evidence = evidence
        self.priority = priority
        self.state = .requested
        self.fromReview = fromReview
        self.attempt = attempt
        self.trainer = nil
        self.method = nil
        self.sessions = []
        self.requestedOn = requestedOn
        self.planDueOn = planDueOn
        self.deliveredOn = nil
        self.history = [Step(state: .requested, by: teamLeader, at: requestedAt, note: note)]
    }

    /// Still waiting for a plan after the day it was due.
    public func isOverdue(today: LocalDate) -> Bool {
        state == .requested && today > planDueOn
    }

    /// Moves the request on and records the step; refused (nothing changes) when the state
    /// does not allow the action.
    public mutating func apply(_ action: Action, by: String, at: Int64, note: String = "") throws(CoachingError) {
        let next = try state.after(action)
        state = next
        history.append(Step(state: next, by: by, at: at, note: note))
    }

    /// Sets the trainer's plan (REQUESTED or PLANNED: a plan may be replaced).
    public mutating func plan(trainer: TrainerID, method: CourseMethod, sessions: [MinuteRange], at: Int64) throws(CoachingError) {
        let note = state == .planned ? "plan replaced" : ""
        try apply(.plan, by: trainer.rawValue, at: at, note: note)
        self.trainer = trainer
        self.method = method
        self.sessions = sessions.sorted()
    }

    /// Records the delivery on the center's date `on`.
    public mutating func deliver(by: String, on date: LocalDate, at: Int64, notes: String) throws(CoachingError) {
        try apply(.deliver, by: by, at: at, note: notes)
        deliveredOn = date
    }
}

/// Why coaching work refuses a call, in the domain's terms.
public enum CoachingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The request is wrong (every problem at once).
    case invalid([FieldViolation])
    /// The request's state does not allow the action.
    case refused(CoachingRequest.Action, from: CoachingRequest.State)

    public var description: String {
        switch self {
        case .invalid(let problems):
            problems.map { "\($0.subject): \($0.description)" }.joined(separator: "; ")
        case .refused(let action, let state):
            "cannot \(action) a request that is \(state)" + Self.hint(action, state)
        }
    }

    private static func hint(_ action: CoachingRequest.Action, _ state: CoachingRequest.State) -> String {
        switch (action, state) {
        case (.deliver, .requested): " (plan it first)"
        case (.close, .requested), (.close, .planned): " (only a delivered request is closed)"
        case (.cancel, .delivered), (.cancel, .closed): " (it was delivered)"
        default: ""
        }
    }
}

/// The one-to-one sessions of a coaching plan: their shape, and whether the floor can
/// spare the agent then.
///
/// Why the floor is asked: one-to-one coaching takes the agent off the phones exactly as a
/// course does, so it must lie within the agent's shifts (training outside them is a policy
/// decision, `Placement.Policy.allowsOffShiftTraining`) and keep every queue and team
/// covered, counted the way placement counts them (`FloorCoverage`).
public enum CoachingSessions {
    public static let maximumSessions = 20
    /// A session is at most one day long, like a shift.
    public static let maximumMinutes = 24 * 60

    /// The first minute of the month `minute` (the center's local minutes since 1970) falls in.
    public static func monthStart(of minute: Int) -> (month: YearMonth, startMinute: Int) {
        let day = LocalDate(dayNumber: minute >= 0 ? minute / 1440 : (minute - 1439) / 1440)
        let month = day.yearMonth
        return (month, month.firstDay.dayNumber * 1440)
    }

    /// Every problem of the sessions as given (subjects "sessions", "sessions[i].end", "sessions[i]"):
    /// 1 to 20 sessions, each ending after it starts, at most a day long, within the month it
    /// starts in, none overlapping another.
    public static func violations(_ sessions: [MinuteRange]) -> [FieldViolation] {
        var problems: [FieldViolation] = []
        if sessions.isEmpty || sessions.count > maximumSessions {
            problems.append(FieldViolation(subject: "sessions", description: "must hold 1 to \(maximumSessions) sessions (it holds \(sessions.count))"))
        }
        for (i, session) in sessions.enumerated() {
            if session.end <= session.start {
                problems.append(FieldViolation(subject: "sessions[\(i)].end", description: "must be after start"))
            } else if session.end - session.start > maximumMinutes {
                problems.append(FieldViolation(subject: "sessions[\(i)].end", description: "is more than 24 hours after start"))
            } else {
                let (month, _) = monthStart(of: session.start)
                if session.end > (month.lastDay.dayNumber + 1) * 1440 {
                    problems.append(FieldViolation(subject: "sessions[\(i)].end", description: "is after the end of \(month): a session lies within one month"))
                }
            }
        }
        let ordered = sessions.enumerated().filter { $0.element.end > $0.element.start }.sorted { $0.element < $1.element }
        for (earlier, later) in zip(ordered, ordered.dropFirst()) where earlier.element.overlaps(later.element) {
            problems.append(FieldViolation(subject: "sessions[\(later.offset)]", description: "overlaps sessions[\(earlier.offset)]"))
        }
        return problems
    }

    /// Why the floor cannot spare the agent for a session.
    public enum Refusal: Hashable, Sendable {
        /// Some of the session is outside the agent's shifts.
        case outsideShifts
        /// The agent is busy then: a training seat or another coaching session (named).
        case busy(String, MinuteRange)
        /// Taking the agent would leave a queue or team short (the first such interval).
        case coverage(IntervalOutlook?)
    }

    /// The floor of one month, as far as coaching an agent is concerned (minutes since the month's start).
    public struct Floor: Sendable {
        /// The agent's shifts of the month.
        public var shifts: [MinuteRange]
        /// Whether a session may lie outside the shifts (the placement policy).
        public var allowsOffShift: Bool
        /// The month's floor with every training seat and planned coaching session taken;
        /// nil when the agent is in no enrolment of the month (only shifts are checked).
        public var coverage: FloorCoverage?
        /// What the agent already does at given times: training seats, other coaching.
        public var busy: [(what: String, time: MinuteRange)]

        public init(shifts: [MinuteRange], allowsOffShift: Bool = false, coverage: FloorCoverage? = nil, busy: [(what: String, time: MinuteRange)] = []) {
            self.shifts = shifts
            self.allowsOffShift = allowsOffShift
            self.coverage = coverage
            self.busy = busy
        }
    }

    /// Whether the merged shifts cover the whole of `range` (adjacent shifts join up).
    public static func covers(_ shifts: [MinuteRange], _ range: MinuteRange) -> Bool {
        guard range.end > range.start else { return false }
        var reached = range.start
        for shift in shifts.sorted() {
            if shift.start > reached { return false }  // a gap before the session is covered
            reached = max(reached, shift.end)
            if reached >= range.end { return true }
        }
        return false
    }

    /// The refusal for one session of `agent` (minutes since the month's start), or nil when
    /// the floor can spare the agent then.
    public static func refusal(agent: AgentID, session: MinuteRange, floor: Floor) -> Refusal? {
        if !floor.allowsOffShift && !covers(floor.shifts, session) { return .outsideShifts }
        if let clash = floor.busy.first(where: { $0.time.overlaps(session) }) { return .busy(clash.what, clash.time) }
        if let coverage = floor.coverage, !coverage.canTake(agent, during: session) {
            return .coverage(coverage.outlook(taking: [agent], during: session).first { !$0.keepsCoverage })
        }
        return nil
    }
}
