import CalendarDates
import Foundation
import ScoringIntake

/// Shared builders for the domain tests. Namespaced so that nothing collides with the
/// module's own internal names under `@testable import`.
enum Fx {
    /// A date from a literal `YYYY-MM-DD` known to be valid.
    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(text) else { fatalError("fixture date \(text) does not parse") }
        return date
    }

    static func month(_ text: String) -> YearMonth {
        guard let month = YearMonth(text) else { fatalError("fixture month \(text) does not parse") }
        return month
    }

    /// Unix milliseconds of an ISO 8601 instant with an explicit offset, parsed by Foundation
    /// (an oracle independent of the domain's own day arithmetic).
    static func instant(_ text: String) -> Int64 {
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: text) else { fatalError("fixture instant \(text) does not parse") }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// A calendar in `zone` for `years`, with exceptions given as `YYYY-MM-DD`.
    static func calendar(
        _ exceptions: [String: DayKind] = [:], zone: String = "Asia/Shanghai", years: Set<Int> = [2025, 2026, 2027]
    ) throws -> CenterCalendar {
        var days: [LocalDate: DayKind] = [:]
        for (text, kind) in exceptions { days[date(text)] = kind }
        return try CenterCalendar(timeZoneIdentifier: zone, years: years, exceptions: days)
    }

    static func statistics(_ values: [Double]) -> ScoreStatistics {
        var statistics = ScoreStatistics()
        for value in values { statistics.add(value) }
        return statistics
    }

    /// `count` evaluations whose mean is exactly `mean` (the sum is `mean * count`, exact for powers of two).
    static func statistics(mean: Double, count: Int) -> ScoreStatistics {
        ScoreStatistics(count: count, sum: mean * Double(count), sumOfSquares: mean * mean * Double(count))
    }

    static func entry(
        _ agentID: String, status: AgentStatus = .inService, hire: String = "2025-03-01", leftOn: String? = nil,
        team: String = "team-1", effective: String = "2026-01-01"
    ) -> RosterEntry {
        RosterEntry(
            agentID: agentID, name: "Agent \(agentID)", teamID: team, teamLeaderID: "tl-\(team)", department: "Dept A",
            site: "Shanghai", queue: "billing", hireDate: date(hire), status: status, leftOn: leftOn.map(date),
            effectiveDate: date(effective))
    }

    static func submission(
        status: AgentStatus? = .inService, hire: String = "2025-03-01", leftOn: String = "", effective: String = "2026-06-01"
    ) -> RosterSubmission {
        RosterSubmission(
            agentID: "a-100", name: "Li Wei", teamID: "team-1", teamLeaderID: "tl-1", department: "Dept A",
            site: "Shanghai", queue: "billing", hireDate: hire, status: status, leftOn: leftOn, effectiveDate: effective)
    }

    /// The violations of a failed validation, or nil when it succeeded or failed otherwise.
    static func violations(_ result: Result<RosterEntry, IntakeError>) -> [DomainViolation]? {
        if case .failure(.invalid(let found)) = result { return found }
        return nil
    }

    static func entry(_ result: Result<RosterEntry, IntakeError>) -> RosterEntry? {
        if case .success(let entry) = result { return entry }
        return nil
    }

    // MARK: Evaluations

    /// The service clock of the evaluation tests: 2026-09-14T02:00Z.
    static let now: Int64 = 1_789_351_200_000

    /// A plain scorecard: three criteria out of 40/30/30, total not checked against the items.
    static let scorecard = Scorecard(
        scorecardID: "sc-voice", version: 3, name: "Voice QA",
        criteria: [
            .init(criterionID: "phrasing", name: "Standard phrasing", maxScore: 40, weight: 1, critical: false),
            .init(criterionID: "accuracy", name: "Business accuracy", maxScore: 30, weight: 1, critical: true),
            .init(criterionID: "warmth", name: "Service warmth", maxScore: 30, weight: 1, critical: false),
        ],
        totalIsWeightedSum: false)

    /// A scorecard whose total is the weighted sum of 0–10 items: 4, 3 and 3.
    static let weightedScorecard = Scorecard(
        scorecardID: "sc-weighted", version: 1, name: "Weighted QA",
        criteria: [
            .init(criterionID: "phrasing", name: "Standard phrasing", maxScore: 10, weight: 4, critical: false),
            .init(criterionID: "accuracy", name: "Business accuracy", maxScore: 10, weight: 3, critical: true),
            .init(criterionID: "warmth", name: "Service warmth", maxScore: 10, weight: 3, critical: false),
        ],
        totalIsWeightedSum: true)

    static func evaluation(total: Double = 91) -> Evaluation {
        Evaluation(
            evaluationID: "ev-1", revision: 1, agentID: "a-100", callID: "call-1", evaluatorID: "qa-7",
            callStartedAt: now - 3_600_000, scoredAt: now - 60_000, scorecardID: "sc-voice", scorecardVersion: 3,
            totalScore: total,
            items: [
                ItemScore(criterionID: "phrasing", name: "Standard phrasing", score: 36, maxScore: 40, critical: false),
                ItemScore(criterionID: "accuracy", name: "Business accuracy", score: 27, maxScore: 30, critical: true),
                ItemScore(criterionID: "warmth", name: "Service warmth", score: 28, maxScore: 30, critical: false),
            ],
            channel: .voice)
    }

    /// An evaluation on the weighted scorecard: 4·9 + 3·8 + 3·10 = 90.
    static func weightedEvaluation(total: Double = 90) -> Evaluation {
        var evaluation = evaluation(total: total)
        evaluation.scorecardID = "sc-weighted"
        evaluation.scorecardVersion = 1
        evaluation.items = [
            ItemScore(criterionID: "phrasing", name: "Standard phrasing", score: 9, maxScore: 10, critical: false),
            ItemScore(criterionID: "accuracy", name: "Business accuracy", score: 8, maxScore: 10, critical: true),
            ItemScore(criterionID: "warmth", name: "Service warmth", score: 10, maxScore: 10, critical: false),
        ]
        return evaluation
    }

    static func subjects(
        _ evaluation: Evaluation, agentKnown: Bool = true, scorecard: Scorecard? = Fx.scorecard, now: Int64 = Fx.now
    ) -> [String] {
        EvaluationRules().violations(of: evaluation, agentKnown: agentKnown, scorecard: scorecard, now: now).map(\.subject)
    }
}
