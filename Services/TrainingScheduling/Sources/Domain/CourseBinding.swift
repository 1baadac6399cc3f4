/// A course's importance and urgency (seed 000).
public enum CourseCategory: Int, Hashable, Comparable, Sendable, CaseIterable {
    /// 必培, important and urgent: agents cannot do their daily work without it.
    case mandatory = 1
    /// 选培, important, not urgent: difficult cases, soft skills, service awareness.
    case elective = 2
    /// 非必培, neither: a manager decides; better folded into another course.
    case optional = 3

    /// Mandatory first: the order in which placement serves demands.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What a course is about (seeds 002–004). The kind matters to binding in two ways:
/// new business and new campaigns are always mandatory, and onboarding courses are the
/// new hires' curriculum and nobody else's.
public enum CourseKind: Int, Hashable, Sendable, CaseIterable {
    case newBusiness = 1
    case newCampaign = 2
    case skillImprovement = 3
    case serviceQualityImprovement = 4
    case serviceAwareness = 5
    case customerServiceSkills = 6
    case internalService = 7
    case teamCollaboration = 8
    case problemSolving = 9
    /// For managers; bound like any other course of its category.
    case serviceManagement = 10
    /// New-hire onboarding: followed only by agents in onboarding.
    case onboarding = 11
    case complaintHandling = 12
    case stressAndEmotionManagement = 13
    case careerDevelopment = 14
}

/// The agent's monthly training tier, decided at month close by the scoring intake.
public enum AgentTier: Int, Hashable, Sendable, CaseIterable {
    /// 提升型, ≥ 95.
    case advanced = 1
    /// 培训型, 86–95.
    case standard = 2
    /// 辅导型, < 86.
    case coaching = 3
    /// Too few evaluations for a reliable average: treated like an agent who needs the courses.
    case insufficientData = 4
}

/// Where an agent stands for enrolment: tiered and in service, or a new hire in onboarding
/// (not tiered, not floor coverage).
public enum AgentStanding: Hashable, Sendable {
    case inService(AgentTier)
    case onboarding
}

/// Whether a course binds an agent, is open to them as a volunteer, or is not for them.
///
/// Why a table in one place: enrolment, placement and the notice memo all ask the same
/// question, and a rule that differs between them would put agents in the wrong rooms.
public enum CourseBinding: Hashable, Sendable {
    /// The agent must attend: placement finds them a session.
    case binds
    /// The agent may attend if they volunteer.
    case voluntary
    /// The course is not for this agent (onboarding versus in-service).
    case notApplicable

    /// The category that decides binding: new-business and new-campaign courses are
    /// mandatory whatever the plan says, because without them agents cannot take the
    /// new calls at all.
    public static func effectiveCategory(_ category: CourseCategory, kind: CourseKind) -> CourseCategory {
        switch kind {
        case .newBusiness, .newCampaign: .mandatory
        default: category
        }
    }

    /// The rule of the issue:
    /// - onboarding agents follow the onboarding curriculum only: an onboarding course binds
    ///   them unless the plan marks it optional; no in-service course applies to them;
    /// - no onboarding course applies to in-service agents;
    /// - mandatory binds every tier; elective binds standard, coaching and
    ///   insufficient-data agents and is voluntary for advanced ones; optional binds
    ///   nobody and is voluntary for all.
    public static func of(category: CourseCategory, kind: CourseKind, for standing: AgentStanding) -> CourseBinding {
        let category = effectiveCategory(category, kind: kind)
        switch standing {
        case .onboarding:
            guard kind == .onboarding else { return .notApplicable }
            return category == .optional ? .voluntary : .binds
        case .inService(let tier):
            guard kind != .onboarding else { return .notApplicable }
            switch category {
            case .mandatory: return .binds
            case .elective: return tier == .advanced ? .voluntary : .binds
            case .optional: return .voluntary
            }
        }
    }
}
