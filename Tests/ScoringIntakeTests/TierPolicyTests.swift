import Testing
import ScoringIntake

@Suite struct ScoreStatisticsTests {
    @Test func meanVarianceAndStandardErrorByHand() {
        // 70, 85, 90, 95: mean 85, squared deviations 225 + 0 + 25 + 100 = 350.
        let statistics = Fx.statistics([70, 85, 90, 95])
        #expect(statistics.count == 4)
        #expect(statistics.sum == 340)
        #expect(statistics.mean == 85)
        #expect(abs(statistics.variance - 350.0 / 3) < 1e-9)
        #expect(abs(statistics.standardError - (350.0 / 3 / 4).squareRoot()) < 1e-9)
        #expect(abs(statistics.standardError - 5.400617) < 1e-6)
    }

    @Test func threeValues() {
        let statistics = Fx.statistics([80, 90, 100])
        #expect(statistics.mean == 90)
        #expect(statistics.variance == 100)
        #expect(abs(statistics.standardError - 5.773503) < 1e-6)
    }

    @Test func identicalValuesHaveNoSpread() {
        let statistics = Fx.statistics([91.3, 91.3, 91.3, 91.3, 91.3])
        #expect(statistics.variance >= 0)
        #expect(statistics.standardError < 1e-6)
    }

    @Test func mergeEqualsAddingEverything() {
        let first: [Double] = [72.5, 88, 93.25]
        let second: [Double] = [99, 61.5, 85, 90.75]
        var merged = Fx.statistics(first)
        merged.merge(Fx.statistics(second))
        let all = Fx.statistics(first + second)
        #expect(merged.count == all.count)
        #expect(merged.sum == all.sum)
        #expect(abs(merged.mean - all.mean) < 1e-12)
        #expect(abs(merged.variance - all.variance) < 1e-9)
        #expect(abs(merged.standardError - all.standardError) < 1e-9)
        var empty = ScoreStatistics()
        empty.merge(all)
        #expect(empty == all)
    }

    @Test func emptyAndSingleValueHaveNoError() {
        let empty = ScoreStatistics()
        #expect(empty.count == 0 && empty.mean == 0 && empty.variance == 0 && empty.standardError == 0)
        let single = Fx.statistics([73])
        #expect(single.count == 1 && single.mean == 73 && single.variance == 0 && single.standardError == 0)
    }
}

@Suite struct TierPolicyTests {
    let policy = TierPolicy.defaults

    @Test func defaultsAreThoseOfTheBrief() {
        #expect(policy.advancedThreshold == 95)
        #expect(policy.coachingThreshold == 86)
        #expect(policy.minimumEvaluations == 4)
        #expect(policy.roundingDecimals == 1)
        #expect(policy.violations.isEmpty)
    }

    @Test(arguments: [
        (95.0, Tier.advanced), (94.94, .standard), (94.95, .advanced), (99.99, .advanced), (100, .advanced),
        (86.0, .standard), (85.95, .standard), (85.94, .coaching), (0, .coaching), (90, .standard),
    ])
    func tierOfAMonthlyAverage(_ average: Double, _ expected: Tier) {
        #expect(policy.tier(for: Fx.statistics(mean: average, count: 4)) == expected)
        #expect(policy.tier(for: Fx.statistics(mean: average, count: 8)) == expected)
    }

    @Test(arguments: [(94.94, 94.9), (94.95, 95.0), (85.95, 86.0), (85.94, 85.9), (85.949, 85.9), (86.0, 86.0), (72.25, 72.3)])
    func roundingIsHalfUpToOneDecimal(_ average: Double, _ expected: Double) {
        #expect(policy.rounded(average) == expected)
    }

    @Test func roundingFollowsThePolicyDecimals() {
        var whole = policy
        whole.roundingDecimals = 0
        #expect(whole.rounded(85.5) == 86)
        #expect(whole.rounded(85.49) == 85)
        var two = policy
        two.roundingDecimals = 2
        #expect(two.rounded(85.995) == 86)
        #expect(two.rounded(85.994) == 85.99)
    }

    /// Means that are exactly x.x5 in decimals come out one ulp below in binary (85.94999…):
    /// the policy must still round them up, as a person with a calculator would.
    @Test func meansOfRealScoresRoundHalfUpDespiteBinaryError() {
        let justCoachingLine = Fx.statistics([85.5, 86.1, 86.1, 86.1])  // 343.8 / 4 = 85.95
        #expect(justCoachingLine.mean < 85.95)  // the binary mean is 85.94999…
        #expect(policy.rounded(justCoachingLine.mean) == 86.0)
        #expect(policy.tier(for: justCoachingLine) == .standard)
        #expect(!WatchList.isWatched(justCoachingLine, policy: policy))
        let justAdvancedLine = Fx.statistics([94.5, 95.1, 95.1, 95.1])  // 379.8 / 4 = 94.95
        #expect(policy.rounded(justAdvancedLine.mean) == 95.0)
        #expect(policy.tier(for: justAdvancedLine) == .advanced)
        #expect(policy.tier(for: Fx.statistics([94.5, 95.1, 95.1, 94.9])) == .standard)  // 94.9
    }

    @Test func tooFewEvaluationsMeansInsufficientData() {
        #expect(policy.tier(for: Fx.statistics([97, 98, 99])) == .insufficientData)
        #expect(policy.tier(for: Fx.statistics([70, 72, 71])) == .insufficientData)
        #expect(policy.tier(for: ScoreStatistics()) == .insufficientData)
        #expect(policy.tier(for: Fx.statistics([97, 98, 99, 96])) == .advanced)
        #expect(policy.tier(for: Fx.statistics([70, 72, 71, 73])) == .coaching)
        var strict = policy
        strict.minimumEvaluations = 10
        #expect(strict.tier(for: Fx.statistics([97, 98, 99, 96])) == .insufficientData)
    }

    @Test func customThresholdsApply() {
        var policy = self.policy
        policy.advancedThreshold = 90
        policy.coachingThreshold = 80
        #expect(policy.violations.isEmpty)
        #expect(policy.tier(for: Fx.statistics(mean: 90, count: 4)) == .advanced)
        #expect(policy.tier(for: Fx.statistics(mean: 85, count: 4)) == .standard)
        #expect(policy.tier(for: Fx.statistics(mean: 79.9, count: 4)) == .coaching)
    }

    static func modified(_ change: (inout TierPolicy) -> Void) -> TierPolicy {
        var policy = TierPolicy.defaults
        change(&policy)
        return policy
    }

    @Test(arguments: [
        (modified { $0.coachingThreshold = 96 }, ["coaching_threshold"]),
        (modified { $0.advancedThreshold = 100.5 }, ["advanced_threshold"]),
        (modified { $0.advancedThreshold = .nan }, ["advanced_threshold"]),
        (modified { $0.coachingThreshold = -1 }, ["coaching_threshold"]),
        (modified { $0.coachingThreshold = .infinity }, ["coaching_threshold"]),
        (modified { $0.minimumEvaluations = 0 }, ["minimum_evaluations"]),
        (modified { $0.minimumEvaluations = 10_001 }, ["minimum_evaluations"]),
        (modified { $0.roundingDecimals = 5 }, ["rounding_decimals"]),
        (modified { $0.roundingDecimals = -1 }, ["rounding_decimals"]),
        (modified { $0.coachingThreshold = 95 }, []),
        (modified { $0.advancedThreshold = 100; $0.coachingThreshold = 0; $0.minimumEvaluations = 1; $0.roundingDecimals = 4 }, []),
    ])
    func violations(_ policy: TierPolicy, _ subjects: [String]) {
        #expect(policy.violations.map(\.subject) == subjects)
    }

    @Test func borderlineWithinOneStandardError() {
        // 93 and 95: mean 94, standard error exactly 1: one error below the advanced threshold.
        #expect(policy.isBorderline(Fx.statistics([93, 95])))
        // 85 and 87: mean 86, right on the coaching threshold.
        #expect(policy.isBorderline(Fx.statistics([85, 87])))
        #expect(policy.isBorderline(Fx.statistics([84, 86])))  // mean 85, error 1
        // 92 and 94: mean 93, error 1: two errors from 95, seven from 86.
        #expect(!policy.isBorderline(Fx.statistics([92, 94])))
        #expect(!policy.isBorderline(Fx.statistics([83, 85])))  // mean 84, error 1: two below 86
        #expect(!policy.isBorderline(Fx.statistics(mean: 90, count: 10)))
    }

    @Test func borderlineNeedsTwoValues() {
        #expect(!policy.isBorderline(Fx.statistics([95])))
        #expect(!policy.isBorderline(Fx.statistics([86])))
        #expect(!policy.isBorderline(ScoreStatistics()))
    }
}
