import CalendarDates
import Testing
@testable import EffectivenessReview

/// New-hire retention per monthly cohort, checked against a cohort counted by hand.
@Suite struct RetentionTests {
    static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate(text) else { fatalError("bad test date \(text)") }
        return date
    }

    static func hire(_ agent: String, _ hired: String, left: String? = nil, trainer: String = "T1", curriculum: String = "C1") -> HireRecord {
        HireRecord(agentID: agent, hiredOn: date(hired), leftOn: left.map(date), onboardingTrainerID: trainer, curriculumID: curriculum)
    }

    /// Ten hires in January 2026 (left_on is the first day away), counted by hand.
    /// Milestone day = hire + d; retained when left_on is after that day (or never left).
    ///
    /// | agent | hired  | left_on    | +30    | +60    | +90    | +180   | +365       | 30 | 60 | 90 | 180 | 365 |
    /// | a1    | 01-05  | —          |        |        |        |        |            | ✓  | ✓  | ✓  | ✓   | ✓   |
    /// | a2    | 01-05  | 01-20      | 02-04  |        |        |        |            | ✗  | ✗  | ✗  | ✗   | ✗   |
    /// | a3    | 01-12  | 02-11      | 02-11  |        |        |        |            | ✗ (left on day 30 itself) | ✗ | ✗ | ✗ | ✗ |
    /// | a4    | 01-12  | 02-12      | 02-11  | 03-13  |        |        |            | ✓  | ✗  | ✗  | ✗   | ✗   |
    /// | a5    | 01-19  | 04-30      | 02-18  | 03-20  | 04-19  | 07-18  |            | ✓  | ✓  | ✓  | ✗   | ✗   |
    /// | a6    | 01-19  | 2026-09-01 |        |        |        | 07-18  | 2027-01-19 | ✓  | ✓  | ✓  | ✓   | ✗   |
    /// | a7    | 01-26  | —          |        |        |        |        |            | ✓  | ✓  | ✓  | ✓   | ✓   |
    /// | a8    | 01-26  | 2026-12-31 |        |        |        | 07-25  | 2027-01-26 | ✓  | ✓  | ✓  | ✓   | ✗   |
    /// | a9    | 01-31  | 03-15      | 03-02  | 04-01  |        |        |            | ✓  | ✗  | ✗  | ✗   | ✗   |
    /// | a10   | 01-31  | —          |        |        |        |        |            | ✓  | ✓  | ✓  | ✓   | ✓   |
    ///
    /// Retained: 30 days 8/10 = 0.8; 60 days 6/10 = 0.6; 90 days 6/10 = 0.6; 180 days 5/10 = 0.5;
    /// 365 days 3/10 = 0.3. a1-a5 were onboarded by T1, a6-a10 by T2 (both curriculum C1):
    /// T1 30: 3/5, 60: 2/5, 90: 2/5, 180: 1/5, 365: 1/5; T2 30: 5/5, 60: 4/5, 90: 4/5, 180: 4/5, 365: 2/5.
    static let january: [HireRecord] = [
        hire("a1", "2026-01-05"),
        hire("a2", "2026-01-05", left: "2026-01-20"),
        hire("a3", "2026-01-12", left: "2026-02-11"),
        hire("a4", "2026-01-12", left: "2026-02-12"),
        hire("a5", "2026-01-19", left: "2026-04-30"),
        hire("a6", "2026-01-19", left: "2026-09-01", trainer: "T2"),
        hire("a7", "2026-01-26", trainer: "T2"),
        hire("a8", "2026-01-26", left: "2026-12-31", trainer: "T2"),
        hire("a9", "2026-01-31", left: "2026-03-15", trainer: "T2"),
        hire("a10", "2026-01-31", trainer: "T2"),
    ]

    /// One February hire, to show cohorts are kept apart.
    static let february = [hire("b1", "2026-02-02", left: "2026-02-20", curriculum: "C2")]

    @Test("a cohort's retention at 30, 60, 90, 180 and 365 days matches the hand count")
    func handCount() throws {
        let cohorts = try RetentionAnalysis.cohorts(Self.january + Self.february, today: Self.date("2027-06-01"))
        #expect(cohorts.map(\.group.month.description) == ["2026-01", "2026-02"])
        let january = cohorts[0]
        #expect(january.hires == 10)
        #expect(january.milestones.map(\.days) == [30, 60, 90, 180, 365])
        #expect(january.milestones.map(\.retained) == [8, 6, 6, 5, 3])
        #expect(january.milestones.map(\.share) == [0.8, 0.6, 0.6, 0.5, 0.3])
        #expect(january.share(atDays: 365) == 0.3 && january.share(atDays: 45) == nil)
        #expect(cohorts[1].milestones.map(\.retained) == [0, 0, 0, 0, 0])
    }

    @Test("by onboarding trainer and curriculum, each group matches the hand count")
    func byTrainerAndCurriculum() throws {
        let today = Self.date("2027-06-01")
        let byTrainer = try RetentionAnalysis.cohorts(Self.january, today: today, grouping: .trainer)
        #expect(byTrainer.map(\.group) == [
            RetentionGroup(month: Self.date("2026-01-01").yearMonth, onboardingTrainerID: "T1"),
            RetentionGroup(month: Self.date("2026-01-01").yearMonth, onboardingTrainerID: "T2"),
        ])
        #expect(byTrainer.map(\.hires) == [5, 5])
        #expect(byTrainer[0].milestones.map(\.retained) == [3, 2, 2, 1, 1])
        #expect(byTrainer[1].milestones.map(\.retained) == [5, 4, 4, 4, 2])
        #expect(byTrainer[1].milestones.map(\.share) == [1, 0.8, 0.8, 0.8, 0.4])

        let both = try RetentionAnalysis.cohorts(Self.january + Self.february, today: today, grouping: .trainerAndCurriculum)
        #expect(both.map(\.group.description) == ["2026-01 trainer T1 curriculum C1", "2026-01 trainer T2 curriculum C1", "2026-02 trainer T1 curriculum C2"])
        let byCurriculum = try RetentionAnalysis.cohorts(Self.january + Self.february, today: today, grouping: .curriculum)
        #expect(byCurriculum.map(\.hires) == [10, 1] && byCurriculum[0].milestones.map(\.retained) == [8, 6, 6, 5, 3])
    }

    @Test("milestones not yet reached by every hire of the cohort are nil, not counted as retained")
    func futureMilestonesAreNil() throws {
        // On 2026-04-15 the last January hires (01-31) have passed 30 days (03-02) and 60 days
        // (04-01) but not 90 days (05-01): a1's 90 days (04-05) alone do not make a figure.
        let cohort = try #require(try RetentionAnalysis.cohorts(Self.january, today: Self.date("2026-04-15")).first)
        #expect(cohort.milestones.map(\.share) == [0.8, 0.6, nil, nil, nil])
        #expect(cohort.milestones.map(\.retained) == [8, 6, nil, nil, nil])
        #expect(cohort.milestones.map(\.completeOn.description) == ["2026-03-02", "2026-04-01", "2026-05-01", "2026-07-30", "2027-01-31"])
        // The milestone's own day counts as reached.
        let onTheDay = try #require(try RetentionAnalysis.cohorts(Self.january, today: Self.date("2026-05-01")).first)
        #expect(onTheDay.share(atDays: 90) == 0.6 && onTheDay.share(atDays: 180) == nil)
        // Before anyone reaches 30 days, nothing is reported at all.
        let early = try #require(try RetentionAnalysis.cohorts(Self.january, today: Self.date("2026-02-01")).first)
        #expect(early.milestones.allSatisfy { $0.share == nil && $0.retained == nil })
    }

    @Test("a leaving date before the hire date, a duplicate agent or a blank id is refused")
    func invalidInput() {
        do {
            _ = try RetentionAnalysis.cohorts(
                [Self.hire("a1", "2026-01-05", left: "2026-01-04"), Self.hire("a2", "2026-01-05"), Self.hire("a2", "2026-01-06"),
                 Self.hire(" ", "2026-01-06")],
                today: Self.date("2026-06-01"))
            Issue.record("accepted")
        } catch {
            guard case .invalid(let violations) = error else { return }
            #expect(violations.map(\.field) == ["hires[0].left_on", "hires[2].agent_id", "hires[3].agent_id"])
        }
        #expect(throws: RetentionError.self) {
            try RetentionAnalysis.cohorts(Self.january, today: Self.date("2026-06-01"), milestoneDays: [0, 30])
        }
    }
}
