import Testing
import ScoringIntake

@Suite struct MonthCloseTests {
    let october = Fx.month("2026-10")

    var agents: [AgentMonth] {
        [
            AgentMonth(entry: Fx.entry("a3"), statistics: Fx.statistics([96, 97, 95, 98])),  // 96.5 advanced
            AgentMonth(entry: Fx.entry("a1"), statistics: Fx.statistics([80, 82, 78, 85])),  // 81.25 coaching
            AgentMonth(entry: Fx.entry("a2"), statistics: Fx.statistics([90, 88, 92, 91])),  // 90.25 standard
            AgentMonth(entry: Fx.entry("a4", status: .onboarding, hire: "2026-10-08"), statistics: Fx.statistics([70, 70, 70, 70])),
            AgentMonth(entry: Fx.entry("a5", status: .left, leftOn: "2026-10-20"), statistics: Fx.statistics([70, 70, 70, 70])),
            AgentMonth(entry: Fx.entry("a6", status: .left, leftOn: "2026-11-03"), statistics: Fx.statistics([86, 87, 88, 89])),  // 87.5 standard
            AgentMonth(entry: Fx.entry("a7"), statistics: Fx.statistics([99, 99, 99])),  // too few
            AgentMonth(entry: Fx.entry("a0", hire: "2026-11-02"), statistics: ScoreStatistics()),  // hired after the month
        ]
    }

    func close(previous: [String: Tier] = [:], policy: TierPolicy = .defaults) throws -> [TierAssignment] {
        try MonthClose.assignments(month: october, agents: agents, policy: policy, calendar: Fx.calendar(), previous: previous)
    }

    @Test func onlyAgentsInServiceAtMonthEndAreTieredSortedById() throws {
        let result = try close()
        #expect(result.map(\.agentID) == ["a1", "a2", "a3", "a6", "a7"])
    }

    @Test func tiersComeFromThePolicy() throws {
        let tiers = Dictionary(uniqueKeysWithValues: try close().map { ($0.agentID, $0.tier) })
        #expect(tiers == ["a1": .coaching, "a2": .standard, "a3": .advanced, "a6": .standard, "a7": .insufficientData])

        var strict = TierPolicy.defaults
        strict.coachingThreshold = 91
        let stricter = Dictionary(uniqueKeysWithValues: try close(policy: strict).map { ($0.agentID, $0.tier) })
        #expect(stricter["a2"] == .coaching)
    }

    @Test func numbersTravelWithTheTier() throws {
        let a6 = try #require(try close().first { $0.agentID == "a6" })
        #expect(a6.average == 87.5)
        #expect(a6.count == 4)
        #expect(abs(a6.standardError - (5.0 / 12).squareRoot()) < 1e-9)
        #expect(!a6.borderline)  // |87.5 − 86| = 1.5 is more than the standard error 0.65
        let a1 = try #require(try close().first { $0.agentID == "a1" })
        #expect(a1.average == 81.3)  // 81.25 rounded half-up
        for assignment in try close() {
            let statistics = agents.first { $0.entry.agentID == assignment.agentID }?.statistics ?? ScoreStatistics()
            #expect(assignment.borderline == TierPolicy.defaults.isBorderline(statistics))
        }
        #expect(a6.tier == .standard)
        #expect(a6.name == "Agent a6" && a6.teamID == "team-1" && a6.teamLeaderID == "tl-team-1")
    }

    @Test func problemSummaryDueOnlyForCoaching() throws {
        let result = try close()
        for assignment in result {
            if assignment.tier == .coaching {
                #expect(assignment.problemSummaryDue == Fx.date("2026-11-04"), "\(assignment.agentID)")
            } else {
                #expect(assignment.problemSummaryDue == nil, "\(assignment.agentID)")
            }
        }
        #expect(result.contains { $0.tier == .coaching })
    }

    @Test func previousTierIsCarriedAndChangeFlagged() throws {
        let result = try close(previous: ["a1": .coaching, "a2": .advanced, "a5": .coaching])
        let byID = Dictionary(uniqueKeysWithValues: result.map { ($0.agentID, $0) })
        #expect(byID["a1"]?.previousTier == .coaching)
        #expect(byID["a1"]?.changed == false)
        #expect(byID["a2"]?.previousTier == .advanced)
        #expect(byID["a2"]?.changed == true)
        #expect(byID["a3"]?.previousTier == nil)
        #expect(byID["a3"]?.changed == false)
        #expect(byID["a5"] == nil)
    }

    @Test func closingNeedsTheNextMonthsYear() throws {
        let december = Fx.month("2026-12")
        #expect(throws: CenterCalendar.Problem.yearNotImported(2027)) {
            try MonthClose.assignments(
                month: december, agents: agents, policy: .defaults, calendar: Fx.calendar(years: [2026]), previous: [:])
        }
    }

    @Test func hasEndedOnlyAfterTheLastDay() {
        #expect(!MonthClose.hasEnded(october, today: Fx.date("2026-10-31")))
        #expect(MonthClose.hasEnded(october, today: Fx.date("2026-11-01")))
        #expect(!MonthClose.hasEnded(october, today: Fx.date("2026-10-01")))
        #expect(!MonthClose.hasEnded(Fx.month("2024-02"), today: Fx.date("2024-02-29")))
        #expect(MonthClose.hasEnded(Fx.month("2024-02"), today: Fx.date("2024-03-01")))
    }

    @Test func isTieredAtMonthEnd() {
        #expect(MonthClose.isTiered(Fx.entry("x"), month: october))
        #expect(!MonthClose.isTiered(Fx.entry("x", status: .onboarding), month: october))
        #expect(!MonthClose.isTiered(Fx.entry("x", status: .left, leftOn: "2026-10-31"), month: october))
        #expect(MonthClose.isTiered(Fx.entry("x", status: .left, leftOn: "2026-11-01"), month: october))
    }
}

@Suite struct WatchListTests {
    let policy = TierPolicy.defaults

    @Test func watchedBelowTheCoachingThresholdWithAtLeastOneEvaluation() {
        #expect(WatchList.isWatched(Fx.statistics([80]), policy: policy))
        #expect(WatchList.isWatched(Fx.statistics(mean: 85.94, count: 2), policy: policy))
        #expect(!WatchList.isWatched(Fx.statistics(mean: 85.95, count: 2), policy: policy))  // rounds to 86.0
        #expect(!WatchList.isWatched(Fx.statistics([86]), policy: policy))
        #expect(!WatchList.isWatched(ScoreStatistics(), policy: policy))
        var other = policy
        other.coachingThreshold = 80
        #expect(!WatchList.isWatched(Fx.statistics([82]), policy: other))
    }

    static func item(_ id: String, _ score: Double, _ max: Double) -> ItemScore {
        ItemScore(criterionID: id, name: id.uppercased(), score: score, maxScore: max, critical: false)
    }

    @Test func weakestCriteriaByPercentOfMaximum() {
        let evaluations = [
            [Self.item("phrasing", 30, 40), Self.item("accuracy", 27, 30), Self.item("warmth", 15, 30), Self.item("closing", 9, 10)],
            [Self.item("phrasing", 34, 40), Self.item("accuracy", 24, 30), Self.item("warmth", 21, 30), Self.item("closing", 10, 10)],
        ]
        // warmth 60%, phrasing 80%, accuracy 85%, closing 95%.
        let weakest = WatchList.weakestCriteria(evaluations)
        #expect(weakest.map(\.criterionID) == ["warmth", "phrasing", "accuracy"])
        #expect(weakest.map(\.count) == [2, 2, 2])
        #expect(abs(weakest[0].average - 60) < 1e-9)
        #expect(abs(weakest[1].average - 80) < 1e-9)
        #expect(weakest[0].name == "WARMTH")
        #expect(WatchList.weakestCriteria(evaluations, limit: 1).map(\.criterionID) == ["warmth"])
        #expect(WatchList.weakestCriteria(evaluations, limit: 10).count == 4)
        #expect(WatchList.weakestCriteria([]).isEmpty)
    }

    @Test func tiesAreBrokenByCriterionID() {
        let evaluations = [[Self.item("zeta", 5, 10), Self.item("alpha", 10, 20), Self.item("mid", 1, 2), Self.item("beta", 9, 10)]]
        #expect(WatchList.weakestCriteria(evaluations).map(\.criterionID) == ["alpha", "mid", "zeta"])
        let ids = ["h", "c", "f", "a", "g", "b", "e", "d"]
        let tied = [ids.map { Self.item($0, 7, 10) } + [Self.item("weak", 1, 10)]]
        #expect(WatchList.weakestCriteria(tied, limit: 9).map(\.criterionID) == ["weak", "a", "b", "c", "d", "e", "f", "g", "h"])
    }

    @Test func summaryState() {
        let due = Fx.date("2026-11-24")
        #expect(WatchList.summaryState(submittedOn: nil, due: due) == .missing)
        #expect(WatchList.summaryState(submittedOn: Fx.date("2026-11-23"), due: due) == .onTime)
        #expect(WatchList.summaryState(submittedOn: due, due: due) == .onTime)
        #expect(WatchList.summaryState(submittedOn: Fx.date("2026-11-25"), due: due) == .late)
    }
}

@Suite struct KpiTests {
    static let rate = MetricDefinition(metricID: "fcr", name: "First-contact resolution", unit: "", direction: .higherIsBetter, aggregation: .rate)
    static let complaints = MetricDefinition(metricID: "complaints", name: "Complaints", unit: "count", direction: .lowerIsBetter, aggregation: .sum)
    static let handleTime = MetricDefinition(metricID: "aht", name: "Average handle time", unit: "s", direction: .lowerIsBetter, aggregation: .mean)

    static func sample(_ value: Double, start: String = "2026-10-01", end: String = "2026-10-31", metric: String = "fcr") -> KpiSample {
        KpiSample(agentID: "a-1", metricID: metric, periodStart: start, periodEnd: end, value: value)
    }

    @Test(arguments: [
        (sample(0.82), rate, [String]()),
        (sample(0), rate, []),
        (sample(1), rate, []),
        (sample(1.01), rate, ["value"]),
        (sample(-0.01), rate, ["value"]),
        (sample(.nan), rate, ["value"]),
        (sample(-1, metric: "complaints"), complaints, ["value"]),
        (sample(0, metric: "complaints"), complaints, []),
        (sample(-12, metric: "aht"), handleTime, []),
        (sample(412.5, metric: "aht"), handleTime, []),
        (sample(.infinity, metric: "aht"), handleTime, ["value"]),
        (sample(0.5, start: "2026-10-31", end: "2026-10-01"), rate, ["period_end"]),
        (sample(0.5, start: "2026-10-31", end: "2026-10-31"), rate, []),
        (sample(0.5, start: "2026-10-1"), rate, ["period_start"]),
        (sample(0.5, end: ""), rate, ["period_end"]),
    ])
    func sampleViolations(_ sample: KpiSample, _ metric: MetricDefinition, _ subjects: [String]) {
        #expect(sample.violations(agentKnown: true, metric: metric).map(\.subject) == subjects)
    }

    @Test func unknownMetricAndAgent() {
        #expect(Self.sample(0.5).violations(agentKnown: false, metric: Self.rate).map(\.subject) == ["agent_id"])
        #expect(Self.sample(0.5).violations(agentKnown: true, metric: nil).map(\.subject) == ["metric_id"])
        // Without a definition the value range of a rate cannot be checked.
        #expect(Self.sample(7).violations(agentKnown: true, metric: nil).map(\.subject) == ["metric_id"])
        var anonymous = Self.sample(0.5)
        anonymous.agentID = ""
        anonymous.metricID = ""
        #expect(anonymous.violations(agentKnown: false, metric: nil).map(\.subject) == ["agent_id", "metric_id"])
    }

    @Test func metricDefinitionViolations() {
        #expect(Self.rate.violations.isEmpty)
        let bad = MetricDefinition(metricID: "", name: "", unit: String(repeating: "u", count: 65), direction: nil, aggregation: nil)
        #expect(bad.violations.map(\.subject) == ["metric_id", "name", "unit", "direction", "aggregation"])
        let longID = MetricDefinition(metricID: String(repeating: "m", count: 65), name: "M", unit: "", direction: .higherIsBetter, aggregation: .mean)
        #expect(longID.violations.map(\.subject) == ["metric_id"])
    }
}
