import CalendarDates

// New-hire retention (DOMAIN.md "Context 3", seed 001: a year's trainee retention of only
// 55%): for each month's cohort of hires, the share still employed at 30, 60, 90, 180 and
// 365 days, by onboarding trainer and curriculum.

/// One hire as the roster gives it.
public struct HireRecord: Hashable, Sendable {
    public var agentID: String
    public var hiredOn: LocalDate
    /// The roster's `left_on`: the first day the agent is no longer in service; nil while
    /// employed.
    public var leftOn: LocalDate?
    /// Who trained the agent's onboarding ("" when unknown: a group of its own).
    public var onboardingTrainerID: String
    /// The onboarding curriculum followed ("" when unknown).
    public var curriculumID: String

    public init(agentID: String, hiredOn: LocalDate, leftOn: LocalDate?, onboardingTrainerID: String, curriculumID: String) {
        self.agentID = agentID
        self.hiredOn = hiredOn
        self.leftOn = leftOn
        self.onboardingTrainerID = onboardingTrainerID
        self.curriculumID = curriculumID
    }

    /// In service on `date`: hired on or before it, and not yet left (`left_on` is the
    /// first day away, as the roster says: "counts as in service before that day").
    public func isEmployed(on date: LocalDate) -> Bool {
        hiredOn <= date && (leftOn.map { date < $0 } ?? true)
    }
}

/// How cohorts are split.
public enum RetentionGrouping: Hashable, Sendable, CaseIterable {
    /// One row per hire month.
    case month
    /// Per hire month and onboarding trainer.
    case trainer
    /// Per hire month and curriculum.
    case curriculum
    /// Per hire month, onboarding trainer and curriculum.
    case trainerAndCurriculum
}

/// A cohort's identity: the hire month, and the trainer and curriculum where grouped by them.
public struct RetentionGroup: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let month: YearMonth
    /// nil when the grouping does not split by trainer.
    public let onboardingTrainerID: String?
    /// nil when the grouping does not split by curriculum.
    public let curriculumID: String?

    public init(month: YearMonth, onboardingTrainerID: String? = nil, curriculumID: String? = nil) {
        self.month = month
        self.onboardingTrainerID = onboardingTrainerID
        self.curriculumID = curriculumID
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.month, lhs.onboardingTrainerID ?? "", lhs.curriculumID ?? "") < (rhs.month, rhs.onboardingTrainerID ?? "", rhs.curriculumID ?? "")
    }

    public var description: String {
        [month.description, onboardingTrainerID.map { "trainer \($0)" }, curriculumID.map { "curriculum \($0)" }]
            .compactMap { $0 }.joined(separator: " ")
    }
}

/// A cohort's retention at one milestone.
public struct MilestoneRetention: Hashable, Sendable {
    /// Days after hire.
    public let days: Int
    /// The day the cohort's last hire reaches the milestone: from then on it is reported.
    public let completeOn: LocalDate
    /// Hires still employed on their milestone day; nil until `completeOn` has come.
    public let retained: Int?
    /// retained / hires; nil until `completeOn` has come.
    public let share: Double?
}

/// One cohort's retention curve.
public struct RetentionCohort: Hashable, Sendable {
    public let group: RetentionGroup
    public let hires: Int
    /// One entry per milestone, shortest first.
    public let milestones: [MilestoneRetention]

    /// The share at `days`, nil when not a milestone or not yet reached.
    public func share(atDays days: Int) -> Double? {
        milestones.first { $0.days == days }?.share
    }
}

/// Why retention refuses its input.
public enum RetentionError: Error, Hashable, Sendable {
    /// Every problem, by field ("hires[3].left_on", "milestone_days").
    case invalid([FollowUpViolation])
}

/// Retention per monthly cohort of new hires (pure).
///
/// Why a milestone is reported only once every hire of the cohort has reached it: a share
/// over the part of a cohort hired early in the month would change from day to day and
/// mean something else than the same milestone of an older cohort; and a milestone still
/// ahead of an agent is not retention, so it is never counted as retained (nil, not a guess).
public enum RetentionAnalysis {
    /// The milestones: 30, 60, 90, 180 and 365 days after hire.
    public static let milestoneDays = [30, 60, 90, 180, 365]

    /// The cohorts of `hires` as of `today`, sorted by group.
    ///
    /// A hire is retained at d days when still employed on hire date + d days. Refused when
    /// an agent appears twice, an agent id is blank, a leaving date is before the hire
    /// date, or a milestone is not a positive number of days.
    public static func cohorts(
        _ hires: [HireRecord], today: LocalDate, grouping: RetentionGrouping = .month, milestoneDays: [Int] = milestoneDays
    ) throws(RetentionError) -> [RetentionCohort] {
        var found: [FollowUpViolation] = []
        var seen: Set<String> = []
        for (index, hire) in hires.enumerated() {
            found += FollowUpFields.identifier(hire.agentID, "hires[\(index)].agent_id")
            if !seen.insert(hire.agentID).inserted {
                found.append(FollowUpViolation("hires[\(index)].agent_id", .inconsistent("\"\(hire.agentID)\" is listed twice")))
            }
            if let leftOn = hire.leftOn, leftOn < hire.hiredOn {
                found.append(FollowUpViolation("hires[\(index)].left_on", .before(hire.hiredOn)))
            }
        }
        if milestoneDays.isEmpty || milestoneDays.contains(where: { $0 < 1 }) {
            found.append(FollowUpViolation("milestone_days", .inconsistent("must be one or more positive numbers of days")))
        }
        guard found.isEmpty else { throw .invalid(found) }

        let days = Array(Set(milestoneDays)).sorted()
        var groups: [RetentionGroup: [HireRecord]] = [:]
        for hire in hires {
            groups[group(of: hire, by: grouping), default: []].append(hire)
        }
        return groups.map { group, members in
            RetentionCohort(group: group, hires: members.count, milestones: days.map { milestone(days: $0, members: members, today: today) })
        }
        .sorted { $0.group < $1.group }
    }

    static func group(of hire: HireRecord, by grouping: RetentionGrouping) -> RetentionGroup {
        let month = hire.hiredOn.yearMonth
        switch grouping {
        case .month: return RetentionGroup(month: month)
        case .trainer: return RetentionGroup(month: month, onboardingTrainerID: hire.onboardingTrainerID)
        case .curriculum: return RetentionGroup(month: month, curriculumID: hire.curriculumID)
        case .trainerAndCurriculum:
            return RetentionGroup(month: month, onboardingTrainerID: hire.onboardingTrainerID, curriculumID: hire.curriculumID)
        }
    }

    static func milestone(days: Int, members: [HireRecord], today: LocalDate) -> MilestoneRetention {
        let lastHire = members.map(\.hiredOn).max() ?? today
        let completeOn = lastHire.adding(days: days)
        guard completeOn <= today, !members.isEmpty else {
            return MilestoneRetention(days: days, completeOn: completeOn, retained: nil, share: nil)
        }
        let retained = members.filter { $0.isEmployed(on: $0.hiredOn.adding(days: days)) }.count
        return MilestoneRetention(days: days, completeOn: completeOn, retained: retained, share: Double(retained) / Double(members.count))
    }
}
