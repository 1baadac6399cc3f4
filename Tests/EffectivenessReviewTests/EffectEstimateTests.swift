import Foundation
import Testing
@testable import EffectivenessReview

/// The effect estimator: difference-in-differences against comparable agents, its Welch and
/// bootstrap intervals, and the statistics under them. The simulations plant a known effect
/// (or none) and check that the estimator finds it (or does not) as often as a 95%
/// interval should.
@Suite struct EffectEstimateTests {
    // MARK: Simulated centers

    /// Seeded normal draws (Box–Muller) for the simulations.
    struct Noise {
        var generator: SplitMix64

        init(seed: UInt64) { generator = SplitMix64(seed: seed) }

        mutating func normal(mean: Double = 0, sd: Double) -> Double {
            let u1 = 1 - generator.unitInterval()  // (0, 1]: the logarithm stays finite
            let u2 = generator.unitInterval()
            return mean + sd * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }

        mutating func pick<T>(_ options: [T]) -> T { options[generator.index(below: options.count)] }
    }

    /// `attendees` trained agents and `controls` comparable ones in two departments: a
    /// baseline per agent (sd 6), a monthly noise of sd 4, a common trend of +2 between the
    /// windows, and `effect` added to the attendees' figure after the training.
    static func plantedEffect(seed: UInt64, attendees: Int = 60, controls: Int = 60, effect: Double = 3) -> [EffectObservation] {
        var noise = Noise(seed: seed)
        return (0..<(attendees + controls)).map { index in
            let attended = index < attendees
            let baseline = noise.normal(mean: 80, sd: 6)
            let before = baseline + noise.normal(sd: 4)
            let after = baseline + 2 + (attended ? effect : 0) + noise.normal(sd: 4)
            return EffectObservation(
                agentID: "a\(index)", group: attended ? .attendee : .control, department: noise.pick(["north", "south"]),
                tier: "standard", before: before, after: after)
        }
    }

    /// Agents whose scores are their true ability plus noise each month, with no training
    /// effect at all. The low scorers of the month before are sent to training; half of them
    /// attend now, the other half are placed in a later session and serve as controls.
    static func regressionToTheMean(seed: UInt64, agents: Int = 800) -> [EffectObservation] {
        var noise = Noise(seed: seed)
        var observations: [EffectObservation] = []
        var attend = true
        for index in 0..<agents {
            let ability = noise.normal(mean: 82, sd: 5)
            let before = ability + noise.normal(sd: 4)
            let after = ability + noise.normal(sd: 4)
            let department = noise.pick(["north", "south"])
            guard before < 78 else { continue }  // picked for a low score
            observations.append(
                EffectObservation(
                    agentID: "a\(index)", group: attend ? .attendee : .control, department: department, tier: "coaching", before: before,
                    after: after))
            attend.toggle()
        }
        return observations
    }

    static func measured(_ result: EffectResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> EffectEstimate {
        try #require(result.estimate, "expected an estimate, got \(result)", sourceLocation: sourceLocation)
    }

    // MARK: Coverage of a planted effect

    @Test("over 200 simulations with a planted +3 effect, the 95% Welch interval covers +3 in 90–99% of them")
    func welchCoverage() throws {
        var covered = 0
        var differences = 0.0
        for simulation in 0..<200 {
            let observations = Self.plantedEffect(seed: 10_000 + UInt64(simulation))
            let estimate = try Self.measured(try EffectEstimator.estimate(observations, direction: .higherIsBetter))
            #expect(estimate.method == .welch && estimate.interval.level == 0.95)
            #expect(estimate.attendees + estimate.unmatchedAttendees == 60 && estimate.controls + estimate.unmatchedControls == 60)
            if estimate.interval.contains(3) { covered += 1 }
            differences += estimate.difference
        }
        print("Welch coverage of a planted +3: \(covered)/200; mean estimate \(differences / 200)")
        #expect((180...198).contains(covered), "covered \(covered) of 200")
        #expect(abs(differences / 200 - 3) < 0.3, "the estimator is unbiased: mean \(differences / 200)")
    }

    @Test("over 200 simulations with a planted +3 effect, the 95% bootstrap interval covers +3 in 90–99% of them")
    func bootstrapCoverage() throws {
        var covered = 0
        for simulation in 0..<200 {
            let observations = Self.plantedEffect(seed: 20_000 + UInt64(simulation))
            let method = EffectMethod.bootstrap(resamples: 500, seed: UInt64(simulation))
            let estimate = try Self.measured(try EffectEstimator.estimate(observations, direction: .higherIsBetter, method: method))
            #expect(estimate.method == method && estimate.degreesOfFreedom == nil)
            if estimate.interval.contains(3) { covered += 1 }
        }
        print("Bootstrap coverage of a planted +3: \(covered)/200")
        #expect((180...198).contains(covered), "covered \(covered) of 200")
    }

    // MARK: Regression to the mean

    @Test("attendees picked for low scores, no real effect: before/after shows a gain, difference-in-differences contains 0")
    func regressionToTheMeanIsNotCredited() throws {
        let observations = Self.regressionToTheMean(seed: 7)
        let welch = try Self.measured(try EffectEstimator.estimate(observations, direction: .higherIsBetter))
        print("Regression to the mean: plain before/after \(welch.plainBeforeAfter), difference \(welch.difference), interval \(welch.interval)")
        #expect(welch.plainBeforeAfter > 1, "a plain before/after credits the training with regression to the mean")
        #expect(welch.interval.contains(0), "difference-in-differences \(welch.interval) must contain 0")
        #expect(welch.attendees >= 50 && welch.controls >= 50)
        let bootstrap = try Self.measured(try EffectEstimator.estimate(observations, direction: .higherIsBetter, method: .bootstrap(seed: 7)))
        #expect(bootstrap.interval.contains(0) && bootstrap.plainBeforeAfter == welch.plainBeforeAfter)
    }

    @Test("over 100 low-scorer cohorts without effect, the plain gain is > 1 and the interval contains 0 about 95% of the time")
    func regressionToTheMeanAcrossCohorts() throws {
        var gains = 0
        var containsZero = 0
        for seed in 0..<100 {
            let estimate = try Self.measured(try EffectEstimator.estimate(Self.regressionToTheMean(seed: 500 + UInt64(seed)), direction: .higherIsBetter))
            if estimate.plainBeforeAfter > 1 { gains += 1 }
            if estimate.interval.contains(0) { containsZero += 1 }
        }
        print("Regression to the mean over 100 cohorts: plain gain > 1 in \(gains), interval contains 0 in \(containsZero)")
        #expect(gains >= 95)
        #expect((90...99).contains(containsZero))
    }

    // MARK: Too few agents

    @Test("a course with 6 attendees reports insufficient data, with both group sizes, by either method")
    func sixAttendees() throws {
        let attendees = (0..<6).map { EffectObservation(agentID: "t\($0)", group: .attendee, department: "north", tier: "coaching", before: 80 + Double($0 % 3), after: 85) }
        let controls = (0..<20).map { EffectObservation(agentID: "c\($0)", group: .control, department: "north", tier: "coaching", before: 80 + Double($0 % 4), after: 81) }
        for method in [EffectMethod.welch, .bootstrap(seed: 1)] {
            let result = try EffectEstimator.estimate(attendees + controls, direction: .higherIsBetter, method: method)
            #expect(result == .insufficientData(attendees: 6, controls: 20))
            #expect(result.estimate == nil)
        }
    }

    @Test("only comparable agents count toward the minimum: 12 attendees of whom 6 have controls is insufficient")
    func onlyComparableAgentsCount() throws {
        let matched = (0..<6).map { EffectObservation(agentID: "t\($0)", group: .attendee, department: "north", tier: "coaching", before: 80, after: 85) }
        let otherDepartment = (6..<12).map { EffectObservation(agentID: "t\($0)", group: .attendee, department: "south", tier: "coaching", before: 80, after: 85) }
        let controls = (0..<20).map { EffectObservation(agentID: "c\($0)", group: .control, department: "north", tier: "coaching", before: 80, after: 81) }
        #expect(try EffectEstimator.estimate(matched + otherDepartment + controls, direction: .higherIsBetter) == .insufficientData(attendees: 6, controls: 20))
        let policy = try EffectPolicy(minimumAttendees: 5, minimumControls: 5)
        let estimate = try Self.measured(try EffectEstimator.estimate(matched + otherDepartment + controls, direction: .higherIsBetter, policy: policy))
        #expect(estimate.attendees == 6 && estimate.unmatchedAttendees == 6 && estimate.controls == 20 && estimate.strata == 1)
    }

    // MARK: Direction

    /// Handle time in seconds: attendees drop by 30 (±2), controls by 5 (±2).
    static func handleTimes() -> [EffectObservation] {
        let spread: [Double] = [-2, -1, 0, 1, 2]
        return (0..<40).map { index in
            let attended = index < 20
            let before = 300 + Double(index % 20)
            let drop = (attended ? 30 : 5) + spread[index % 5]
            return EffectObservation(
                agentID: "a\(index)", group: attended ? .attendee : .control, department: "north", tier: "standard", before: before,
                after: before - drop)
        }
    }

    @Test("for a lower-is-better metric a drop in handle time is a positive effect")
    func lowerIsBetter() throws {
        let policy = try EffectPolicy(scoreBandWidth: 60)  // bands of a minute
        let estimate = try Self.measured(try EffectEstimator.estimate(Self.handleTimes(), direction: .lowerIsBetter, policy: policy))
        #expect(abs(estimate.difference - 25) < 1e-9)
        #expect(abs(estimate.plainBeforeAfter - 30) < 1e-9)
        #expect(estimate.interval.low > 0 && estimate.interval.contains(25))
        let reversed = try Self.measured(try EffectEstimator.estimate(Self.handleTimes(), direction: .higherIsBetter, policy: policy))
        #expect(abs(reversed.difference + 25) < 1e-9 && reversed.interval.high < 0)
    }

    // MARK: Strata

    @Test("strata are combined weighted by attendees; strata without both groups are left out and counted")
    func weightedByAttendees() throws {
        let spread: [Double] = [-1, 1]
        func agents(_ prefix: String, _ count: Int, _ group: EffectObservation.Group, department: String, gain: Double) -> [EffectObservation] {
            (0..<count).map { EffectObservation(agentID: "\(prefix)\($0)", group: group, department: department, tier: "standard", before: 80, after: 80 + gain + spread[$0 % 2]) }
        }
        let observations = agents("aa", 30, .attendee, department: "a", gain: 3) + agents("ac", 30, .control, department: "a", gain: 1)
            + agents("ba", 10, .attendee, department: "b", gain: 10) + agents("bc", 40, .control, department: "b", gain: 4)
            + agents("ca", 1, .attendee, department: "c", gain: 50) + agents("dc", 1, .control, department: "d", gain: -50)
        let estimate = try Self.measured(try EffectEstimator.estimate(observations, direction: .higherIsBetter))
        // (30 × (3 − 1) + 10 × (10 − 4)) / 40 = 3; not 4.29 (weighted by controls), 4 (equal), nor 2.04 (unstratified).
        #expect(abs(estimate.difference - 3) < 1e-9)
        #expect(abs(estimate.plainBeforeAfter - (30 * 3 + 10 * 10) / 40) < 1e-9)
        #expect(estimate.strata == 2 && estimate.attendees == 40 && estimate.controls == 70)
        #expect(estimate.unmatchedAttendees == 1 && estimate.unmatchedControls == 1)
    }

    @Test("comparable means same department, same tier and same prior score band")
    func comparability() throws {
        let attendees = (0..<10).map { EffectObservation(agentID: "t\($0)", group: .attendee, department: "north", tier: "coaching", before: 80, after: 82) }
        func controls(department: String = "north", tier: String = "coaching", before: Double) -> [EffectObservation] {
            (0..<10).map { EffectObservation(agentID: "c\($0)", group: .control, department: department, tier: tier, before: before, after: before + 1) }
        }
        #expect(try EffectEstimator.estimate(attendees + controls(before: 84.99), direction: .higherIsBetter).estimate?.controls == 10)
        #expect(try EffectEstimator.estimate(attendees + controls(before: 85), direction: .higherIsBetter) == .insufficientData(attendees: 0, controls: 0))
        #expect(try EffectEstimator.estimate(attendees + controls(before: 79.99), direction: .higherIsBetter) == .insufficientData(attendees: 0, controls: 0))
        #expect(try EffectEstimator.estimate(attendees + controls(department: "south", before: 80), direction: .higherIsBetter) == .insufficientData(attendees: 0, controls: 0))
        #expect(try EffectEstimator.estimate(attendees + controls(tier: "standard", before: 80), direction: .higherIsBetter) == .insufficientData(attendees: 0, controls: 0))
        let wide = try EffectPolicy(scoreBandWidth: 10)
        #expect(try EffectEstimator.estimate(attendees + controls(before: 85), direction: .higherIsBetter, policy: wide).estimate?.controls == 10)
    }

    @Test("with one attendee per stratum the attendees' variance falls back to their overall spread, and the interval stays finite")
    func singleAttendeeStrata() throws {
        var observations: [EffectObservation] = []
        for stratum in 0..<12 {
            let tier = "tier\(stratum)"
            observations.append(EffectObservation(agentID: "t\(stratum)", group: .attendee, department: "north", tier: tier, before: 80, after: 83 + Double(stratum % 3)))
            for control in 0..<3 {
                observations.append(EffectObservation(agentID: "c\(stratum)-\(control)", group: .control, department: "north", tier: tier, before: 80, after: 80 + Double(control)))
            }
        }
        let estimate = try Self.measured(try EffectEstimator.estimate(observations, direction: .higherIsBetter))
        #expect(abs(estimate.difference - 3) < 1e-9)
        let degrees = try #require(estimate.degreesOfFreedom)
        #expect(degrees.isFinite && degrees >= 11)
        #expect(estimate.interval.width > 0 && estimate.interval.width.isFinite && estimate.interval.contains(3))
    }

    // MARK: Intervals

    @Test("an interval shrinks as the groups grow, about as 1/√n")
    func intervalShrinks() throws {
        var widths: [Double] = []
        for size in [20, 80, 320] {
            let observations = Self.plantedEffect(seed: 99, attendees: size, controls: size)
            widths.append(try Self.measured(try EffectEstimator.estimate(observations, direction: .higherIsBetter)).interval.width)
        }
        #expect(widths[0] > widths[1] && widths[1] > widths[2], "\(widths)")
        #expect((0.15...0.4).contains(widths[2] / widths[0]), "\(widths)")
    }

    @Test("Welch's interval is the textbook one for a single stratum")
    func welchTextbook() throws {
        // Attendees gain 1...10 (mean 5.5, variance 9.1667), controls gain 0, 2, ..., 22 (mean 11 − 10 = 1, variance 52).
        let attendees = (1...10).map { EffectObservation(agentID: "t\($0)", group: .attendee, department: "d", tier: "t", before: 80, after: 80 + Double($0)) }
        let controls = (0..<12).map { EffectObservation(agentID: "c\($0)", group: .control, department: "d", tier: "t", before: 80, after: 70 + 2 * Double($0)) }
        let estimate = try Self.measured(try EffectEstimator.estimate(attendees + controls, direction: .higherIsBetter))
        let varianceA = 55.0 / 6 / 10
        let varianceC = 52.0 / 12
        let standardError = (varianceA + varianceC).squareRoot()
        let degrees = pow(varianceA + varianceC, 2) / (varianceA * varianceA / 9 + varianceC * varianceC / 11)
        #expect(abs(estimate.difference - (5.5 - 1)) < 1e-12)
        #expect(abs((estimate.standardError ?? 0) - standardError) < 1e-12)
        #expect(abs((estimate.degreesOfFreedom ?? 0) - degrees) < 1e-9)
        let t = try #require(StudentT.quantile(0.975, degreesOfFreedom: degrees))
        #expect(abs(estimate.interval.low - (4.5 - t * standardError)) < 1e-9 && abs(estimate.interval.high - (4.5 + t * standardError)) < 1e-9)
        // scipy.stats.ttest_ind(equal_var=False) on the same data: df 15.3088, interval (−0.37520, 9.37520).
        #expect(abs((estimate.degreesOfFreedom ?? 0) - 15.308801184400206) < 1e-9)
        #expect(abs(estimate.interval.low + 0.3751982551432178) < 1e-9 && abs(estimate.interval.high - 9.375198255143218) < 1e-9)
    }

    @Test("the bootstrap is deterministic for a seed, differs for another, and defaults to 2,000 resamples")
    func bootstrapDeterminism() throws {
        let observations = Self.plantedEffect(seed: 42)
        let first = try EffectEstimator.estimate(observations, direction: .higherIsBetter, method: .bootstrap(seed: 5))
        let again = try EffectEstimator.estimate(observations, direction: .higherIsBetter, method: .bootstrap(seed: 5))
        let other = try Self.measured(try EffectEstimator.estimate(observations, direction: .higherIsBetter, method: .bootstrap(seed: 6)))
        let welch = try Self.measured(try EffectEstimator.estimate(observations, direction: .higherIsBetter))
        #expect(first == again)
        let estimate = try Self.measured(first)
        #expect(estimate.method == .bootstrap(resamples: 2_000, seed: 5))
        #expect(estimate.interval != other.interval && estimate.difference == other.difference && estimate.difference == welch.difference)
        // Both intervals measure the same spread: their widths agree within a fifth.
        #expect(abs(estimate.interval.width / welch.interval.width - 1) < 0.2, "\(estimate.interval) vs \(welch.interval)")
    }

    @Test("the bootstrap draws from every agent: its interval sits on the estimate, as wide as Welch's where that one is exact")
    func bootstrapAgreesWithWelch() throws {
        // Attendees gain 0, 1, ..., 39 in input order (a draw that favoured some agents would
        // move the interval); controls gain −1, 0, 1 in turn.
        let attendees = (0..<40).map { EffectObservation(agentID: "t\($0)", group: .attendee, department: "d", tier: "t", before: 80, after: 80 + Double($0)) }
        let controls = (0..<40).map { EffectObservation(agentID: "c\($0)", group: .control, department: "d", tier: "t", before: 80, after: 79 + Double($0 % 3)) }
        let welch = try Self.measured(try EffectEstimator.estimate(attendees + controls, direction: .higherIsBetter))
        let bootstrap = try Self.measured(try EffectEstimator.estimate(controls + attendees, direction: .higherIsBetter, method: .bootstrap(seed: 3)))
        #expect(abs(welch.difference - 19.525) < 1e-9 && abs(bootstrap.difference - welch.difference) < 1e-12)
        let middle = (bootstrap.interval.low + bootstrap.interval.high) / 2
        #expect(abs(middle - welch.difference) < 0.15 * welch.interval.width / 2, "\(bootstrap.interval) around \(welch.difference)")
        #expect(abs(bootstrap.interval.width / welch.interval.width - 1) < 0.1, "\(bootstrap.interval) vs \(welch.interval)")
    }

    // MARK: Refused input

    @Test("a policy, a figure or a resample count that cannot give an honest number is refused by name")
    func refusals() throws {
        #expect(throws: EffectPolicy.Problem.minimumGroupSizeBelowTwo(1)) { try EffectPolicy(minimumAttendees: 1) }
        #expect(throws: EffectPolicy.Problem.minimumGroupSizeBelowTwo(0)) { try EffectPolicy(minimumControls: 0) }
        #expect(throws: EffectPolicy.Problem.scoreBandWidthNotPositive(0)) { try EffectPolicy(scoreBandWidth: 0) }
        #expect(throws: EffectPolicy.Problem.confidenceLevelOutOfRange(1)) { try EffectPolicy(confidenceLevel: 1) }
        let policy = try EffectPolicy()
        #expect(policy == .standard && policy.minimumAttendees == 10 && policy.minimumControls == 10 && policy.scoreBandWidth == 5)

        let fine = Self.plantedEffect(seed: 1, attendees: 10, controls: 10)
        var notANumber = fine
        notANumber[3].after = .nan
        #expect(throws: EffectEstimator.Problem.figureNotFinite(agentID: "a3")) { try EffectEstimator.estimate(notANumber, direction: .higherIsBetter) }
        var huge = fine
        huge[4].before = 1e308
        #expect(throws: EffectEstimator.Problem.figureOutOfRange(agentID: "a4")) { try EffectEstimator.estimate(huge, direction: .higherIsBetter) }
        var twice = fine
        twice[5].agentID = "a6"
        #expect(throws: EffectEstimator.Problem.duplicateAgent("a6")) { try EffectEstimator.estimate(twice, direction: .higherIsBetter) }
        #expect(throws: EffectEstimator.Problem.resamplesOutOfRange(10)) {
            try EffectEstimator.estimate(fine, direction: .higherIsBetter, method: .bootstrap(resamples: 10, seed: 1))
        }
    }

    // MARK: Statistics

    @Test(
        "the t quantile matches published values",
        arguments: [
            (0.975, 10.0, 2.228138851986274), (0.975, 30, 2.0422724563012378), (0.975, .infinity, 1.959963984540054),
            (0.975, 1, 12.706204736174694), (0.975, 2, 4.302652729749462), (0.95, 5, 2.0150483733330233),
            (0.995, 20, 2.8453397097861077), (0.975, 7.5, 2.333039626864974), (0.975, 3.3, 3.024874461840807),
            (0.975, 25_000, 1.9600588799054273), (0.975, 100_000, 1.9599877075346095), (0.9, 0.5, 10.27032441023451),
            (0.999, 1.5, 52.18443000899263),
        ])
    func tQuantile(p: Double, degrees: Double, expected: Double) throws {
        let value = try #require(StudentT.quantile(p, degreesOfFreedom: degrees))
        #expect(abs(value - expected) <= 1e-9 * expected, "t(\(p), \(degrees)) = \(value), expected \(expected)")
        let lower = try #require(StudentT.quantile(1 - p, degreesOfFreedom: degrees))
        #expect(abs(lower + expected) <= 1e-9 * expected)
        let back = try #require(StudentT.cumulativeProbability(value, degreesOfFreedom: degrees))
        #expect(abs(back - p) < 1e-12)
    }

    @Test("the t quantile at 3 significant figures, as in the tables: 2.228, 2.042, 1.960")
    func tTable() {
        func rounded(_ value: Double?) -> Double? { value.map { ($0 * 1000).rounded() / 1000 } }
        #expect(rounded(StudentT.quantile(0.975, degreesOfFreedom: 10)) == 2.228)
        #expect(rounded(StudentT.quantile(0.975, degreesOfFreedom: 30)) == 2.042)
        #expect(rounded(StudentT.quantile(0.975, degreesOfFreedom: .infinity)) == 1.960)
        #expect(StudentT.quantile(0.5, degreesOfFreedom: 4) == 0)
        // Beyond the expansion threshold the quantile joins the normal smoothly.
        let far = StudentT.quantile(0.975, degreesOfFreedom: 1e8) ?? 0
        #expect(far > 1.959963984540054 && far - 1.959963984540054 < 1e-7)
    }

    @Test("the t quantile refuses a probability or degrees of freedom outside its domain")
    func tDomain() {
        #expect(StudentT.quantile(0, degreesOfFreedom: 10) == nil)
        #expect(StudentT.quantile(1, degreesOfFreedom: 10) == nil)
        #expect(StudentT.quantile(.nan, degreesOfFreedom: 10) == nil)
        #expect(StudentT.quantile(0.9, degreesOfFreedom: 0) == nil)
        #expect(StudentT.quantile(0.9, degreesOfFreedom: .nan) == nil)
        #expect(StudentT.cumulativeProbability(.nan, degreesOfFreedom: 3) == nil)
    }

    @Test("ln Γ and the regularized incomplete beta function match reference values")
    func specialFunctions() {
        #expect(abs(StudentT.lnGamma(0.5) - 0.5723649429247) < 1e-13)
        #expect(abs(StudentT.lnGamma(5) - log(24)) < 1e-13)
        #expect(abs(StudentT.lnGamma(100.5) - 361.43554046777757) < 1e-10)
        #expect(abs(StudentT.lnGamma(1e-3) - 6.907178885383853) < 1e-12)
        #expect(abs(StudentT.regularizedIncompleteBeta(x: 0.3, complement: 0.7, a: 2.5, b: 0.5) - 0.018927124071945658) < 1e-14)
        #expect(abs(StudentT.regularizedIncompleteBeta(x: 0.9, complement: 0.1, a: 10, b: 0.5) - 0.15164090963470994) < 1e-13)
    }

    @Test("SplitMix64 gives the published sequence for seed 1234567, and indices stay in range")
    func splitMix() {
        var generator = SplitMix64(seed: 1_234_567)
        let first = (0..<5).map { _ in generator.next() }
        #expect(first == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423, 4_593_380_528_125_082_431, 16_408_922_859_458_223_821])
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 {
            let index = generator.index(below: 7)
            counts[index] += 1
        }
        #expect(counts.allSatisfy { (9_500...10_500).contains($0) }, "\(counts)")
        #expect((0..<1_000).allSatisfy { _ in (0..<1).contains(generator.unitInterval()) })
    }

    @Test("percentiles interpolate between order statistics")
    func percentiles() {
        #expect(EffectEstimator.percentile([1, 2, 3, 4, 5], 0.5) == 3)
        #expect(EffectEstimator.percentile([1, 2, 3, 4, 5], 0.125) == 1.5)
        #expect(EffectEstimator.percentile([1, 2, 3, 4, 5], 1) == 5)
        #expect(EffectEstimator.percentile([7], 0.975) == 7)
        #expect(EffectEstimator.percentile([], 0.5).isNaN)
    }

    // MARK: Performance

    @Test("effects for 10,000 agents and 2,000 sessions are computed well under 2 s (Welch, the bulk default)")
    func bulkPerformance() throws {
        // 20 departments of 500 agents, two tiers; each session trains 25 agents of one
        // department, and the department's other agents are its candidate controls.
        var noise = Noise(seed: 2_000)
        let agents = (0..<10_000).map { index in
            let before = noise.normal(mean: 84, sd: 6)
            return EffectObservation(
                agentID: "agent-\(index)", group: .control, department: "department-\(index % 20)", tier: index % 3 == 0 ? "coaching" : "standard",
                before: before, after: before + noise.normal(mean: 1, sd: 4))
        }
        let byDepartment = Dictionary(grouping: agents, by: \.department)
        let sessions: [[EffectObservation]] = (0..<2_000).map { session in
            let department = byDepartment["department-\(session % 20)"] ?? []
            let first = (session / 20 * 25) % department.count
            return department.enumerated().map { offset, agent in
                var observation = agent
                let distance = (offset - first + department.count) % department.count
                observation.group = distance < 25 ? .attendee : .control
                return observation
            }
        }
        let observationCount = sessions.reduce(0) { $0 + $1.count }
        let clock = ContinuousClock()
        var measuredCount = 0
        let elapsed = try clock.measure {
            for session in sessions where try EffectEstimator.estimate(session, direction: .higherIsBetter).estimate != nil {
                measuredCount += 1
            }
        }
        print("Bulk: 2,000 Welch estimates over \(observationCount) observations (\(measuredCount) measured) in \(elapsed)")
        #expect(measuredCount > 1_000)
        #expect(elapsed < .seconds(2))

        let oneBootstrap = try clock.measure {
            _ = try EffectEstimator.estimate(sessions[0], direction: .higherIsBetter, method: .bootstrap(seed: 1))
        }
        print("One bootstrap of 2,000 resamples over \(sessions[0].count) agents in \(oneBootstrap)")
        #expect(oneBootstrap < .seconds(2))
    }
}
