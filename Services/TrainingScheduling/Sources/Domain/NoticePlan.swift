/// Which notices a change to the enrolment sends, to whom, and when.
///
/// Why a plan separate from placement: placement answers "who sits where"; the people
/// involved need to hear about every difference, exactly once: a new seat (the memo to the
/// agent, the brief to their team leader, a goal-talk reminder a week before), a seat taken
/// away (with the reason), a session moved (old and new time). Training is not a punishment
/// (seed 004): nothing addressed to the agent carries their tier; only the team leader's
/// brief says why the agent is in the course.
public enum NoticePlan {
    public struct Policy: Hashable, Sendable {
        /// Notice is due this long before a session (default 14 days).
        public var leadMinutes: Int
        /// The team leader's goal talk reminder comes this long before (default 7 days).
        public var goalTalkMinutes: Int

        public init(leadDays: Int = 14, goalTalkDays: Int = 7) {
            self.leadMinutes = leadDays * 1440
            self.goalTalkMinutes = goalTalkDays * 1440
        }
    }

    public enum Kind: Int, Hashable, Sendable {
        case placement = 1
        case teamLeaderBrief = 2
        case change = 3
        case cancellation = 4
        case goalTalkReminder = 5

        public var toTeamLeader: Bool { self == .teamLeaderBrief || self == .goalTalkReminder }
    }

    /// Why a seat went away, in words fit for the agent.
    public enum DropCause: Hashable, Sendable {
        case sessionCancelled(reason: String)
        /// The agent now sits in another session of the course (a placement notice follows).
        case replacedBy(SessionID)
        /// The course no longer applies to the agent, or their sign-up was withdrawn.
        case noLongerEnrolled
        /// Shifts, other training or coverage no longer allow the seat.
        case noLongerFits

        public var text: String {
            switch self {
            case .sessionCancelled(let reason): "The session was cancelled: \(reason)"
            case .replacedBy(let session): "You have a seat in another session of the course instead (\(session))."
            case .noLongerEnrolled: "This course is no longer on your plan for the month."
            case .noLongerFits: "Your shifts or the floor no longer allow this session; your team leader will tell you what comes next."
            }
        }
    }

    /// One difference between two placement runs.
    public enum Change: Hashable, Sendable {
        case placed(agent: AgentID, session: SessionID, range: MinuteRange, required: Bool)
        case dropped(agent: AgentID, session: SessionID, cause: DropCause)
        case moved(agent: AgentID, session: SessionID, from: MinuteRange, to: MinuteRange)
    }

    /// A notice to write. Times are minutes of the planning month.
    public struct Item: Hashable, Sendable {
        public var kind: Kind
        public var recipient: AgentID
        public var agent: AgentID
        public var session: SessionID
        public var sendAfterMinute: Int
        public var shortNotice: Bool
        /// The session's time now (for a cancellation: the time it had).
        public var range: MinuteRange?
        public var previousRange: MinuteRange?
        public var required: Bool
        public var reason: String
    }

    public static func isShortNotice(sessionStart: Int, placedAt now: Int, policy: Policy) -> Bool {
        now > sessionStart - policy.leadMinutes
    }

    /// The notices for `changes`, in a stable order. `teamLeader` gives each agent's team
    /// leader (none: no brief and no reminder). `required` is whether the course binds the
    /// agent (for the reminder's and brief's wording).
    public static func notices(
        for changes: [Change], teamLeader: (AgentID) -> AgentID?, now: Int, policy: Policy
    ) -> [Item] {
        var items: [Item] = []
        for change in changes {
            switch change {
            case let .placed(agent, session, range, required):
                let short = isShortNotice(sessionStart: range.start, placedAt: now, policy: policy)
                items.append(Item(
                    kind: .placement, recipient: agent, agent: agent, session: session, sendAfterMinute: now, shortNotice: short,
                    range: range, previousRange: nil, required: required, reason: ""))
                if let leader = teamLeader(agent) {
                    items.append(Item(
                        kind: .teamLeaderBrief, recipient: leader, agent: agent, session: session, sendAfterMinute: now,
                        shortNotice: short, range: range, previousRange: nil, required: required, reason: ""))
                    items.append(Item(
                        kind: .goalTalkReminder, recipient: leader, agent: agent, session: session,
                        sendAfterMinute: max(now, range.start - policy.goalTalkMinutes), shortNotice: short, range: range,
                        previousRange: nil, required: required, reason: ""))
                }
            case let .dropped(agent, session, cause):
                items.append(Item(
                    kind: .cancellation, recipient: agent, agent: agent, session: session, sendAfterMinute: now, shortNotice: false,
                    range: nil, previousRange: nil, required: false, reason: cause.text))
            case let .moved(agent, session, from, to):
                let short = isShortNotice(sessionStart: to.start, placedAt: now, policy: policy)
                items.append(Item(
                    kind: .change, recipient: agent, agent: agent, session: session, sendAfterMinute: now, shortNotice: short,
                    range: to, previousRange: from, required: false, reason: ""))
                if let leader = teamLeader(agent) {
                    items.append(Item(
                        kind: .goalTalkReminder, recipient: leader, agent: agent, session: session,
                        sendAfterMinute: max(now, to.start - policy.goalTalkMinutes), shortNotice: short, range: to,
                        previousRange: from, required: false, reason: ""))
                }
            }
        }
        return items
    }
}
