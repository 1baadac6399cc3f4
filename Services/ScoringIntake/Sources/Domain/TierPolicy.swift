import Foundation

/// Next month's training tier, decided from a monthly average (seed 003).
public enum Tier: Int, Sendable, Hashable, CaseIterable {
    /// 提升型, ≥ 95: only new-business and new-campaign trainings are mandatory.
    case advanced = 1
    /// 培训型, 86–95: all of next month's courses.
    case standard = 2
    /// 辅导型, < 86: all courses, staged coaching, continuous monitoring, a problem summary by the 5th.
    case coaching = 3
    /// Too few evaluations for a reliable average: the product says so rather than guess.
    case insufficientData = 4
}

/// The center's tiering rule: thresholds, the minimum number of evaluations and the
/// rounding of the average. Versioned, because a closed month must say which rule made
/// its tiers, and the rule changes by center policy.
public struct TierPolicy: Sendable, Hashable {
    public var version: Int
    public var advancedThreshold: Double
    public var coachingThreshold: Double
    public var minimumEvaluations: Int
    public var roundingDecimals: Int
    public var setBy: String
    public var setAtUnixMilliseconds: Int64

    /// The defaults of DOMAIN.md: ≥ 95 advanced, < 86 coaching, at least 4 evaluations, one decimal.
    public static let defaults = TierPolicy(
        version: 1, advancedThreshold: 95, coachingThreshold: 86, minimumEvaluations: 4, roundingDecimals: 1,
        setBy: "default", setAtUnixMilliseconds: 0)

    public init(
        version: Int, advancedThreshold: Double, coachingThreshold: Double, minimumEvaluations: Int,
        roundingDecimals: Int, setBy: String, setAtUnixMilliseconds: Int64
    ) {
        self.version = version
        self.advancedThreshold = advancedThreshold
        self.coachingThreshold = coachingThreshold
        self.minimumEvaluations = minimumEvaluations
        self.roundingDecimals = roundingDecimals
        self.setBy = setBy
        self.setAtUnixMilliseconds = setAtUnixMilliseconds
    }

    public var violations: [DomainViolation] {
        var found: [DomainViolation] = []
        if !(advancedThreshold.isFinite && (0...100).contains(advancedThreshold)) {
            found.append(DomainViolation("advanced_threshold", "must be between 0 and 100"))
        }
        if !(coachingThreshold.isFinite && (0...100).contains(coachingThreshold)) {
            found.append(DomainViolation("coaching_threshold", "must be between 0 and 100"))
        } else if coachingThreshold > advancedThreshold {
            found.append(DomainViolation("coaching_threshold", "must not be above advanced_threshold (\(advancedThreshold))"))
        }
        if minimumEvaluations < 1 || minimumEvaluations > 10_000 {
            found.append(DomainViolation("minimum_evaluations", "must be from 1 to 10000"))
        }
        if !(0...4).contains(roundingDecimals) {
            found.append(DomainViolation("rounding_decimals", "must be from 0 to 4"))
        }
        return found
    }

    /// The average as the policy compares it: rounded half-up to `roundingDecimals`.
    public func rounded(_ average: Double) -> Double {
        let scale = pow(10.0, Double(roundingDecimals))
        // Half-up on the decimal value; the epsilon makes an average that should be 85.95 but
        // comes out of the arithmetic as 85.9499… (e.g. the mean of 85.5, 86.1, 86.1, 86.1) round up.
        return (average * scale + 0.5 + 1e-9).rounded(.down) / scale
    }

    /// The tier of an agent with these statistics.
    public func tier(for statistics: ScoreStatistics) -> Tier {
        guard statistics.count >= minimumEvaluations else { return .insufficientData }
        let average = rounded(statistics.mean)
        if average >= advancedThreshold { return .advanced }
        if average < coachingThreshold { return .coaching }
        return .standard
    }

    /// Within one standard error of a threshold: a few more calls could change the tier.
    public func isBorderline(_ statistics: ScoreStatistics) -> Bool {
        guard statistics.count >= 2 else { return false }
        let mean = statistics.mean
        let error = statistics.standardError
        return abs(mean - advancedThreshold) <= error || abs(mean - coachingThreshold) <= error
    }
}
