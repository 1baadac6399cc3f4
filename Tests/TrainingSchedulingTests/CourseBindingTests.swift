import Testing
@testable import TrainingScheduling

@Suite struct CourseBindingTests {
    static let tiers: [AgentTier] = [.advanced, .standard, .coaching, .insufficientData]

    /// The table, row by row: category × tier → binding, for an ordinary in-service kind.
    @Test(arguments: [
        (CourseCategory.mandatory, AgentTier.advanced, CourseBinding.binds),
        (.mandatory, .standard, .binds),
        (.mandatory, .coaching, .binds),
        (.mandatory, .insufficientData, .binds),
        (.elective, .advanced, .voluntary),
        (.elective, .standard, .binds),
        (.elective, .coaching, .binds),
        (.elective, .insufficientData, .binds),
        (.optional, .advanced, .voluntary),
        (.optional, .standard, .voluntary),
        (.optional, .coaching, .voluntary),
        (.optional, .insufficientData, .voluntary),
    ])
    func categoryDecidesForInServiceAgents(category: CourseCategory, tier: AgentTier, expected: CourseBinding) {
        #expect(CourseBinding.of(category: category, kind: .skillImprovement, for: .inService(tier)) == expected)
    }

    @Test(arguments: [CourseKind.newBusiness, .newCampaign])
    func newBusinessAndNewCampaignAreAlwaysMandatory(kind: CourseKind) {
        for category in CourseCategory.allCases {
            #expect(CourseBinding.effectiveCategory(category, kind: kind) == .mandatory)
            for tier in Self.tiers {
                #expect(CourseBinding.of(category: category, kind: kind, for: .inService(tier)) == .binds)
            }
            #expect(CourseBinding.of(category: category, kind: kind, for: .onboarding) == .notApplicable)
        }
    }

    @Test func onboardingAgentsFollowOnlyTheOnboardingCurriculum() {
        for kind in CourseKind.allCases where kind != .onboarding {
            for category in CourseCategory.allCases {
                #expect(CourseBinding.of(category: category, kind: kind, for: .onboarding) == .notApplicable)
            }
        }
        #expect(CourseBinding.of(category: .mandatory, kind: .onboarding, for: .onboarding) == .binds)
        #expect(CourseBinding.of(category: .elective, kind: .onboarding, for: .onboarding) == .binds)
        #expect(CourseBinding.of(category: .optional, kind: .onboarding, for: .onboarding) == .voluntary)
    }

    @Test func onboardingCoursesAreNotForAgentsInService() {
        for tier in Self.tiers {
            for category in CourseCategory.allCases {
                #expect(CourseBinding.of(category: category, kind: .onboarding, for: .inService(tier)) == .notApplicable)
            }
        }
    }

    @Test func otherKindsKeepThePlansCategory() {
        for kind in CourseKind.allCases where ![.newBusiness, .newCampaign].contains(kind) {
            for category in CourseCategory.allCases {
                #expect(CourseBinding.effectiveCategory(category, kind: kind) == category)
            }
        }
    }
}
