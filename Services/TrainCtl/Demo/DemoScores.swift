import CalendarDates
import Foundation
import TrainingWire

/// The demo's scorecard: six lines scored 0–10, whose weights make full marks 100, and
/// whose total is the weighted sum of the items.
enum DemoScorecard {
    struct Line {
        let id: String
        let name: String
        let weight: Double
        let critical: Bool
    }

    static let id = "qa-standard"
    static let version: UInt32 = 1
    static let name = "Service quality scorecard"
    static let maxScore = 10.0
    static let criteria: [Line] = [
        Line(id: "standard_phrasing", name: "Standard phrasing", weight: 1.5, critical: false),
        Line(id: "business_accuracy", name: "Business accuracy", weight: 2.5, critical: false),
        Line(id: "compliance", name: "Compliance", weight: 2.0, critical: true),
        Line(id: "service_warmth", name: "Service warmth", weight: 1.5, critical: false),
        Line(id: "resolution", name: "Resolution", weight: 1.5, critical: false),
        Line(id: "timeliness", name: "Timeliness", weight: 1.0, critical: false),
    ]
    static let totalWeight = criteria.reduce(0) { $0 + $1.weight }
    static let complianceIndex = criteria.firstIndex { $0.critical } ?? 2

    /// Σ weight × score: a multiple of 0.5 with whole-number scores, so exact in binary.
    static func total(_ scores: [Int]) -> Double {
        zip(criteria, scores).reduce(0) { $0 + $1.0.weight * Double($1.1) }
    }
}

/// One generated evaluation (a revision of it).
struct DemoEvaluation {
    var id = ""
    var revision: UInt32 = 1
    let agent: Int
    var callId = ""
    var evaluatorId: String
    let callStartedAt: Int64  // Unix ms
    var scoredAt: Int64
    var scores: [Int]
    let channel: String
    var total: Double { DemoScorecard.total(scores) }
}

/// Scored calls for every in-service agent and month: 4–20 a month (fewer in a partial
/// month or a month mostly on leave), item scores drawn around the agent's quality of that month, new hires
/// improving over their first months, and about 1 % corrected later by a revision 2.
struct DemoScores {
    static let evaluators = (1...14).map { "QA\(Digits.padded($0, 2))" }
    static let calibrationLead = "QA-LEAD"

    /// Relative chance that a call falls on a kind of day: the floor runs every day,
    /// thinner on weekends and holidays.
    static func dayWeight(_ kind: DayKind) -> Double {
        switch kind {
        case .workingDay, .makeupWorkingDay: 1.0
        case .holiday: 0.35
        default: 0.55
        }
    }

    let center: DemoCenter

    /// The agent's expected monthly mean: their quality, minus a new hire's learning gap
    /// (9 points in the first month, halving about every 1.4 months), plus a monthly wobble.
    func monthlyMean(agent: DemoCenter.Agent, agentIndex: Int, month: YearMonth) -> Double {
        var random = SplitMix64(seed: center.seed, stream: "monthly-mean", index: agentIndex * 100_000 + month.year * 12 + month.month)
        let learningGap = 9.0 * exp2(-Double(max(0, agent.serviceMonths(at: month))) / 1.4)
        return min(99.5, max(50, agent.quality - learningGap + random.normal(deviation: 1.2)))
    }

    /// Every evaluation, sorted as a QA export would be: by scoring time, corrections later.
    func generate() -> [DemoEvaluation] {
        var evaluations: [DemoEvaluation] = []
        evaluations.reserveCapacity(center.agents.count * center.months.count * 12)
        let offsetMs = Int64(ChinaCalendar.utcOffsetSeconds) * 1000
        let windowEndMs = Int64(center.windowEnd.dayNumber + 1) * 86_400_000 - offsetMs - 1000

        for (agentIndex, agent) in center.agents.enumerated() {
            var random = SplitMix64(seed: center.seed, stream: "evaluations", index: agentIndex)
            let department = DemoCenter.departments[agent.department]
            for month in center.months {
                guard let active = agent.activeDays(from: month.firstDay, to: month.lastDay) else { continue }
                let days = (active.lowerBound.dayNumber...active.upperBound.dayNumber).map(LocalDate.init(dayNumber:))
                let weights = days.map { DemoScores.dayWeight(center.calendar.kind(of: $0)) }
                let share = Double(days.count) / Double(month.dayCount)
                let wanted = min(20, max(4, agent.monthlyEvaluations + random.int(-2...2)))
                // About one agent-month in fifty is mostly spent on leave (sick, marriage,
                // annual): too few evaluations for a reliable average.
                let count = random.chance(0.02) ? random.int(1...3) : Int((Double(wanted) * share).rounded())
                let mean = monthlyMean(agent: agent, agentIndex: agentIndex, month: month)
                for _ in 0..<count {
                    let day = days[random.weightedIndex(weights)]
                    let secondOfDay = random.int((8 * 3600)...(22 * 3600 - 1))
                    let callStarted = (Int64(day.dayNumber) * 86_400 + Int64(secondOfDay)) * 1000 - offsetMs
                    let scored = min(windowEndMs, callStarted + Int64(random.int(3600...(48 * 3600))) * 1000)
                    let channelDraw = random.unit()
                    let channel = channelDraw < department.chatShare ? "chat"
                        : channelDraw < department.chatShare + department.emailShare ? "email" : "voice"
                    evaluations.append(DemoEvaluation(
                        agent: agentIndex, evaluatorId: random.pick(DemoScores.evaluators), callStartedAt: callStarted,
                        scoredAt: scored, scores: itemScores(agent: agent, mean: mean, random: &random), channel: channel))
                }
            }
        }

        evaluations.sort { ($0.scoredAt, $0.callStartedAt, $0.agent) < ($1.scoredAt, $1.callStartedAt, $1.agent) }
        for index in evaluations.indices {
            evaluations[index].id = "EV" + Digits.padded(index + 1, 7)
            evaluations[index].callId = "CL" + Digits.padded(index + 1, 8)
        }
        let corrections = corrections(of: evaluations, windowEndMs: windowEndMs)
        return (evaluations + corrections).sorted { ($0.scoredAt, $0.id, $0.revision) < ($1.scoredAt, $1.id, $1.revision) }
    }

    /// Item scores 0–10 around the agent's month: a shared shock for the call, the agent's
    /// strengths and weaknesses per line, and the critical compliance line, which is
    /// nearly always full and occasionally failed outright.
    private func itemScores(agent: DemoCenter.Agent, mean: Double, random: inout SplitMix64) -> [Int] {
        let expectedCompliance = (1 - agent.complianceFailRate) * 0.985
        let complianceWeight = DemoScorecard.criteria[DemoScorecard.complianceIndex].weight * DemoScorecard.maxScore
        let otherTarget = (mean - complianceWeight * expectedCompliance) / (100 - complianceWeight)
        let callShock = random.normal(deviation: 0.045)
        return DemoScorecard.criteria.indices.map { index in
            if index == DemoScorecard.complianceIndex {
                if random.chance(agent.complianceFailRate) { return 0 }
                return random.chance(0.03) ? 5 : 10
            }
            let fraction = otherTarget + agent.criterionOffsets[index] + callShock + random.normal(deviation: 0.06)
            return min(10, max(0, Int((fraction * 10).rounded())))
        }
    }

    /// About 1 % of evaluations corrected 1–10 days after scoring (a dispute upheld or a
    /// calibration): one line changes, the total follows, the revision becomes 2.
    private func corrections(of evaluations: [DemoEvaluation], windowEndMs: Int64) -> [DemoEvaluation] {
        var random = SplitMix64(seed: center.seed, stream: "corrections")
        var corrected: [DemoEvaluation] = []
        for evaluation in evaluations where random.chance(0.01) {
            let delay = Int64(random.int(1...10)) * 86_400_000 + Int64(random.int(0...36_000)) * 1000
            guard evaluation.scoredAt + delay < windowEndMs else { continue }
            var correction = evaluation
            correction.revision = 2
            correction.scoredAt = evaluation.scoredAt + delay
            correction.evaluatorId = DemoScores.calibrationLead
            if correction.scores[DemoScorecard.complianceIndex] == 0, random.chance(0.5) {
                correction.scores[DemoScorecard.complianceIndex] = 10  // the compliance failure was overturned
            } else {
                let candidates = DemoScorecard.criteria.indices.filter { $0 != DemoScorecard.complianceIndex }
                let line = random.pick(candidates)
                let raise = random.chance(0.7)
                let step = random.int(1...3)
                let old = correction.scores[line]
                var new = raise ? min(10, old + step) : max(0, old - step)
                if new == old { new = raise ? max(0, old - step) : min(10, old + step) }
                correction.scores[line] = new
            }
            corrected.append(correction)
        }
        return corrected
    }
}
