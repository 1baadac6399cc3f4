import CalendarDates

// The review at the end of a follow-up window (seed 000: 结果复盘), and what follows from it:
// nothing, one coaching request, or, after a repeated failure on the same metric, the
// supervisor.

/// How a target came out.
public enum TargetOutcome: Int, Hashable, Sendable, CaseIterable {
    /// The figure reached the target (in the metric's direction).
    case achieved = 1
    /// At least half way from the baseline to the target, not all the way.
    case partlyAchieved = 2
    /// Less than half way, or worse than the baseline.
    case notAchieved = 3
    /// Fewer evaluations or samples in the window than the policy's minimum: no verdict.
    case insufficientData = 4
}

/// The review of one target at its window's end, with the figures it came from.
///
/// Why the figures are kept with the outcome (DOMAIN.md, principle "objective"): an outcome
/// without its baseline, target, observed figure and sample count cannot be checked or
/// argued with later; with them, anyone can redo the arithmetic.
public struct TargetReview: Hashable, Sendable {
    public let targetID: String
    public let agentID: String
    public let teamLeaderID: String
    public let metric: TargetMetric
    public let baseline: FollowUpFigure
    public let targetValue: Double
    public let window: DaySpan
    /// The agent's figure over the follow-up window.
    public let observed: FollowUpFigure
    /// The policy's minimum sample count the review applied.
    public let minimumSamples: Int
    /// The share of the way from baseline to target the agent went, direction-aware:
    /// 1 reached, 0.5 half way, below 0 worse than the baseline. nil when insufficient data.
    public let progress: Double?
    public let outcome: TargetOutcome
    public let reviewedBy: String
    public let reviewedOn: LocalDate

    /// Progress within this of 1 or 0.5 counts as there: figures are averages, and
    /// 84.99999999999999 is 85 to the person who agreed the target.
    public static let tolerance = 1e-9

    /// Reviews `target` with the agent's figure over its follow-up window.
    ///
    /// Refused with `reviewBeforeWindowEnds` before `target.reviewDueOn`, and with
    /// `invalid` when the observed figure is not a figure of the metric or the reviewer is
    /// blank.
    public static func review(
        _ target: FollowUpTarget, observed: FollowUpFigure, reviewedBy: String, on reviewedOn: LocalDate,
        policy: FollowUpPolicy = FollowUpPolicy()
    ) throws(FollowUpError) -> TargetReview {
        guard reviewedOn >= target.reviewDueOn else { throw .reviewBeforeWindowEnds(windowEndsOn: target.followUpWindow.last) }
        let found = observed.violations("observed", metric: target.metric) + FollowUpFields.identifier(reviewedBy, "reviewed_by")
        guard found.isEmpty else { throw .invalid(found) }
        let (outcome, progress) = judge(
            direction: target.metric.direction, baseline: target.baseline.value, target: target.targetValue, observed: observed,
            minimumSamples: policy.minimumSamples)
        return TargetReview(
            targetID: target.id, agentID: target.agentID, teamLeaderID: target.teamLeaderID, metric: target.metric,
            baseline: target.baseline, targetValue: target.targetValue, window: target.followUpWindow, observed: observed,
            minimumSamples: policy.minimumSamples, progress: progress, outcome: outcome, reviewedBy: reviewedBy, reviewedOn: reviewedOn)
    }

    /// The verdict alone: insufficient data below `minimumSamples`; otherwise progress =
    /// (observed − baseline) / (target − baseline), both differences taken in the metric's
    /// direction, and achieved at ≥ 1, partly achieved at ≥ 0.5, not achieved below.
    public static func judge(
        direction: TargetMetric.Direction, baseline: Double, target: Double, observed: FollowUpFigure, minimumSamples: Int
    ) -> (outcome: TargetOutcome, progress: Double?) {
        guard observed.samples >= minimumSamples, observed.value.isFinite else { return (.insufficientData, nil) }
        let needed = direction.sign * (target - baseline)
        let gained = direction.sign * (observed.value - baseline)
        guard needed > 0 else {
            // Not a valid target (FollowUpTarget refuses it); judge on the target alone.
            return (direction.sign * (observed.value - target) >= 0 ? .achieved : .notAchieved, nil)
        }
        let progress = gained / needed
        if progress >= 1 - tolerance { return (.achieved, progress) }
        if progress >= 0.5 - tolerance { return (.partlyAchieved, progress) }
        return (.notAchieved, progress)
    }

    /// This review as an earlier outcome for the agent's later reviews.
    public var asEarlierOutcome: EarlierTargetOutcome {
        EarlierTargetOutcome(targetID: targetID, agentID: agentID, metric: metric, outcome: outcome, windowEndsOn: window.last)
    }
}

/// An outcome of one of the agent's earlier targets, as the next-step decision needs it.
public struct EarlierTargetOutcome: Hashable, Sendable {
    public var targetID: String
    public var agentID: String
    public var metric: TargetMetric
    public var outcome: TargetOutcome
    /// The last day of that target's follow-up window: what "earlier" is measured by.
    public var windowEndsOn: LocalDate

    public init(targetID: String, agentID: String, metric: TargetMetric, outcome: TargetOutcome, windowEndsOn: LocalDate) {
        self.targetID = targetID
        self.agentID = agentID
        self.metric = metric
        self.outcome = outcome
        self.windowEndsOn = windowEndsOn
    }
}

/// A coaching request the review files for an agent who did not reach a target; the
/// service emits it as `CoachingRequested`.
public struct ReviewCoachingRequest: Hashable, Sendable {
    /// Derived from (agent, metric, target): the same review done twice files one request.
    public let requestID: String
    public let agentID: String
    /// The team leader who agreed the target.
    public let requestedBy: String
    public let metric: TargetMetric
    public let targetID: String
    /// What is wrong, with the figures.
    public let problem: String
    /// How many earlier targets this agent had on this metric.
    public let attempt: Int
}

/// A case handed to the supervisor instead of another round of coaching.
public struct SupervisorEscalation: Hashable, Sendable {
    /// Derived from (agent, metric, target), like a request's id.
    public let escalationID: String
    public let agentID: String
    public let teamLeaderID: String
    public let metric: TargetMetric
    public let targetID: String
    /// The earlier targets on this metric that were not achieved, oldest first.
    public let earlierNotAchieved: [String]
    public let reason: String
}

/// What follows a review.
public enum FollowUpAction: Hashable, Sendable {
    /// Achieved, partly achieved or insufficient data: nothing is filed.
    case none
    /// The first failure on this metric: back into coaching (the loop closes).
    case requestCoaching(ReviewCoachingRequest)
    /// A repeated failure on this metric: the supervisor decides.
    case escalateToSupervisor(SupervisorEscalation)
}

extension TargetReview {
    /// What follows this review, given the agent's earlier outcomes (any agent's may be
    /// passed: only this agent's on the same metric count).
    ///
    /// Not achieved files one coaching request, unless an *earlier* target of this agent on
    /// the same metric was not achieved either: then the case goes to the supervisor
    /// (seed 000: a person changes only when they want to; training is not a cure-all, and
    /// sending the agent round the loop again would only repeat it).
    ///
    /// Idempotent: the ids depend only on (agent, metric, target), and outcomes of this
    /// same target are ignored, so reviewing twice gives the same action with the same id.
    /// "Earlier" is by window end (ties by target id), not by the order of calls, so a
    /// late re-review of an old target does not escalate because of a newer failure.
    public func nextStep(earlierOutcomes: [EarlierTargetOutcome]) -> FollowUpAction {
        guard outcome == .notAchieved else { return .none }
        let earlier = earlierOutcomes.filter {
            $0.agentID == agentID && $0.metric.key == metric.key && $0.targetID != targetID
                && ($0.windowEndsOn < window.last || ($0.windowEndsOn == window.last && $0.targetID < targetID))
        }
        .sorted { ($0.windowEndsOn, $0.targetID) < ($1.windowEndsOn, $1.targetID) }
        var earlierFailures: [String] = []
        for outcome in earlier where outcome.outcome == .notAchieved && !earlierFailures.contains(outcome.targetID) {
            earlierFailures.append(outcome.targetID)
        }
        let figures = "baseline \(Self.format(baseline.value)), target \(Self.format(targetValue)), "
            + "reached \(Self.format(observed.value)) over \(window) (\(observed.samples) samples)"
        if earlierFailures.isEmpty {
            return .requestCoaching(ReviewCoachingRequest(
                requestID: Self.derivedID(prefix: "rv-", agentID: agentID, metric: metric, targetID: targetID),
                agentID: agentID, requestedBy: teamLeaderID, metric: metric, targetID: targetID,
                problem: "Target on \(metric) not achieved: \(figures)",
                attempt: Set(earlier.map(\.targetID)).count))
        }
        return .escalateToSupervisor(SupervisorEscalation(
            escalationID: Self.derivedID(prefix: "esc-", agentID: agentID, metric: metric, targetID: targetID),
            agentID: agentID, teamLeaderID: teamLeaderID, metric: metric, targetID: targetID, earlierNotAchieved: earlierFailures,
            reason: "Target on \(metric) not achieved again (\(figures)); earlier not achieved: "
                + earlierFailures.joined(separator: ", ")))
    }

    /// `prefix` and 16 hex digits of FNV-1a over the length-prefixed agent, metric key and
    /// target id: stable across processes and releases (unlike `Hasher`), within the 64
    /// characters the scheduling service accepts as a request id.
    static func derivedID(prefix: String, agentID: String, metric: TargetMetric, targetID: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        for field in [agentID, metric.key, targetID] {
            var length = UInt64(field.utf8.count)
            for _ in 0..<8 {
                add(UInt8(truncatingIfNeeded: length))
                length >>= 8
            }
            for byte in field.utf8 { add(byte) }
        }
        let hex = String(hash, radix: 16)
        return prefix + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// A figure for a sentence: up to two decimals, no trailing zeros.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        let hundredths = (value * 100).rounded()
        guard abs(hundredths) < 1e15 else { return String(value) }
        let whole = Int(hundredths)
        let sign = whole < 0 ? "-" : ""
        let magnitude = abs(whole)
        let fraction = magnitude % 100
        if fraction == 0 { return sign + String(magnitude / 100) }
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction)
        return sign + String(magnitude / 100) + "." + digits
    }
}
