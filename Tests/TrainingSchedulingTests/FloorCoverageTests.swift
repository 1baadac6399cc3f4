import Testing
@testable import TrainingScheduling

/// A small floor: one forecast queue "Q1" whose load is 2 Erlangs (12 five-minute calls per
/// half hour, 80 % in 20 s, no shrinkage). Python fractions from the factorial form give
/// SL(3) = 0.5842191177637255 and SL(4) = 0.84779594451427, so it needs 4 agents.
enum SmallFloor {
    static let levelWithThree = 0.5842191177637255
    static let levelWithFour = 0.84779594451427

    static func forecast(_ queue: QueueID, _ interval: Int, contacts: Double = 12, shrinkage: Double = 0) -> QueueForecast {
        QueueForecast(
            queue: queue, interval: Interval(interval), expectedContacts: contacts, averageHandleTimeSeconds: 300,
            target: .eightyTwenty, shrinkage: shrinkage)
    }

    static func agent(
        _ id: AgentID, team: TeamID = "T1", leader: AgentID? = "L1", queues: [QueueID] = ["Q1"],
        standing: AgentStanding = .inService(.standard)
    ) -> Agent {
        Agent(id: id, team: team, teamLeader: leader, queues: queues, standing: standing)
    }

    /// Minutes 0–240 (intervals 0–7).
    static func morning(_ id: AgentID) -> Shift { Shift(agent: id, start: 0, end: 240) }

    /// Five agents on Q1, all on shift 0–240, a forecast for intervals 0–7.
    static func fiveOnQ1() throws -> FloorCoverage {
        let ids: [AgentID] = ["a1", "a2", "a3", "a4", "a5"]
        return try FloorCoverage(
            agents: ids.map { agent($0) }, shifts: ids.map(morning), forecasts: (0..<8).map { forecast("Q1", $0) })
    }
}

@Suite struct FloorCoverageTests {
    let session = MinuteRange(start: 60, end: 120)  // intervals 2 and 3

    @Test func requirementComesFromErlangC() throws {
        let floor = try SmallFloor.fiveOnQ1()
        #expect(floor.required(queue: "Q1", interval: Interval(2)) == 4)
        #expect(floor.onFloor(queue: "Q1", interval: Interval(2)) == 5)
    }

    @Test func takingOneOfFiveKeepsCoverageAndTheWhatIfSaysWhatRemains() throws {
        let floor = try SmallFloor.fiveOnQ1()
        #expect(floor.canTake("a1", during: session))
        #expect(floor.keepsCoverage(taking: ["a1"], during: session))
        let outlook = floor.outlook(taking: ["a1"], during: session)
        #expect(outlook.map(\.interval) == [Interval(2), Interval(3)])
        for entry in outlook {
            guard case let .queue(queue, onFloor, required, level) = entry.scope else {
                Issue.record("expected a queue outlook, got \(entry.scope)")
                continue
            }
            #expect(queue == "Q1" && onFloor == 4 && required == 4)
            #expect(abs(level - SmallFloor.levelWithFour) < 1e-12)
            #expect(entry.keepsCoverage)
        }
    }

    @Test func takingTwoOfFiveBreaksTheIntervalAndIsRefused() throws {
        var floor = try SmallFloor.fiveOnQ1()
        #expect(!floor.keepsCoverage(taking: ["a1", "a2"], during: session))
        let outlook = floor.outlook(taking: ["a1", "a2"], during: session)
        #expect(outlook.count == 2 && outlook.allSatisfy { !$0.keepsCoverage })
        if case let .queue(_, onFloor, _, level) = outlook.first?.scope {
            #expect(onFloor == 3)
            #expect(abs(level - SmallFloor.levelWithThree) < 1e-12)
        } else {
            Issue.record("expected a queue outlook")
        }
        // Incrementally: once a1 is in training, a2 may not go in those intervals, but may later.
        floor.take("a1", during: session)
        #expect(!floor.canTake("a2", during: session))
        #expect(!floor.canTake("a2", during: MinuteRange(start: 90, end: 150)))  // shares interval 3
        #expect(floor.canTake("a2", during: MinuteRange(start: 120, end: 180)))  // touching, not overlapping
        floor.release("a1", during: session)
        #expect(floor.canTake("a2", during: session))
    }

    @Test func partOfAnIntervalTakesTheAgentOffForAllOfIt() throws {
        var floor = try SmallFloor.fiveOnQ1()
        floor.take("a1", during: MinuteRange(start: 75, end: 80))  // inside interval 2 only
        #expect(floor.onFloor(queue: "Q1", interval: Interval(2)) == 4)
        #expect(floor.onFloor(queue: "Q1", interval: Interval(3)) == 5)
        #expect(!floor.canTake("a2", during: MinuteRange(start: 50, end: 61)))  // touches interval 2
        #expect(floor.canTake("a2", during: MinuteRange(start: 30, end: 60)))
    }

    @Test func trainingOutsideTheShiftCostsTheFloorNothing() throws {
        var floor = try SmallFloor.fiveOnQ1()
        floor.take("a1", during: session)
        // a2 after the shift: no coverage question at all.
        #expect(floor.canTake("a2", during: MinuteRange(start: 240, end: 300)))
        #expect(floor.outlook(taking: ["a2"], during: MinuteRange(start: 240, end: 300)).isEmpty)
    }

    @Test func anAgentCountsOnlyInIntervalsTheirShiftCoversWhole() throws {
        // a6 works 0:15–1:20: on the floor only in interval 1 (0:30–1:00).
        let floor = try FloorCoverage(
            agents: [SmallFloor.agent("a6")], shifts: [Shift(agent: "a6", start: 15, end: 80)],
            forecasts: [SmallFloor.forecast("Q1", 0, contacts: 0), SmallFloor.forecast("Q1", 1, contacts: 0)])
        #expect(floor.onFloor(queue: "Q1", interval: Interval(0)) == 0)
        #expect(floor.onFloor(queue: "Q1", interval: Interval(1)) == 1)
        #expect(floor.onFloor(queue: "Q1", interval: Interval(2)) == 0)  // 1:00–1:20 is not the whole of 1:00–1:30
    }

    @Test func aMultiQueueAgentCountsOnceTowardEachQueue() throws {
        let agents = [
            SmallFloor.agent("m1", queues: ["Q1", "Q2"]), SmallFloor.agent("m2", queues: ["Q1", "Q2", "Q-no-forecast"]),
            SmallFloor.agent("m3", queues: ["Q2"]),
        ]
        let floor = try FloorCoverage(
            agents: agents, shifts: ["m1", "m2", "m3"].map(SmallFloor.morning),
            forecasts: [SmallFloor.forecast("Q1", 2, contacts: 0), SmallFloor.forecast("Q2", 2, contacts: 0)])
        #expect(floor.onFloor(queue: "Q1", interval: Interval(2)) == 2)
        #expect(floor.onFloor(queue: "Q2", interval: Interval(2)) == 3)
        #expect(floor.onFloor(queue: "Q-no-forecast", interval: Interval(2)) == nil)
        let outlook = floor.outlook(taking: ["m2"], during: MinuteRange(start: 60, end: 90))
        let queues = outlook.compactMap { entry -> QueueID? in
            if case let .queue(queue, _, _, _) = entry.scope { return queue }
            return nil
        }
        #expect(queues == ["Q1", "Q2"])
    }

    @Test func onboardingAgentsAreNeitherCoverageNorALossOfIt() throws {
        let agents = [SmallFloor.agent("n1", standing: .onboarding)] + ["a1", "a2", "a3", "a4"].map { SmallFloor.agent($0) }
        let floor = try FloorCoverage(
            agents: agents, shifts: ["n1", "a1", "a2", "a3", "a4"].map(SmallFloor.morning),
            forecasts: (0..<8).map { SmallFloor.forecast("Q1", $0) })
        #expect(floor.onFloor(queue: "Q1", interval: Interval(2)) == 4)
        #expect(floor.canTake("n1", during: MinuteRange(start: 60, end: 120)))
        #expect(!floor.canTake("a1", during: MinuteRange(start: 60, end: 120)))
    }

    /// Without a forecast, at most ⌊20 % × on shift⌋ of a team may be in training at once.
    @Test func withoutAForecastTwentyPercentOfTheTeamMayLeave() throws {
        let ids = (1...10).map { AgentID("t\($0)") }
        var floor = try FloorCoverage(
            agents: ids.map { SmallFloor.agent($0, queues: ["Q-none"]) }, shifts: ids.map(SmallFloor.morning), forecasts: [])
        #expect(floor.keepsCoverage(taking: Array(ids.prefix(2)), during: session))
        #expect(!floor.keepsCoverage(taking: Array(ids.prefix(3)), during: session))
        floor.take(ids[0], during: session)
        floor.take(ids[1], during: session)
        #expect(!floor.canTake(ids[2], during: session))
        #expect(floor.canTake(ids[2], during: MinuteRange(start: 120, end: 180)))
        let outlook = floor.outlook(taking: [ids[2]], during: session)
        #expect(outlook.first?.scope == .team("T1", onShift: 10, inTraining: 3, allowedInTraining: 2))
        #expect(outlook.first?.keepsCoverage == false)
    }

    @Test func theShareIsConfigurableAndCountsOnlyAgentsOnShift() throws {
        let ids = (1...10).map { AgentID("t\($0)") }
        // Only four of the ten are on shift in the afternoon: ⌊0.5 × 4⌋ = 2 may go then.
        let shifts = ids.map(SmallFloor.morning) + ids.prefix(4).map { Shift(agent: $0, start: 240, end: 480) }
        let floor = try FloorCoverage(
            agents: ids.map { SmallFloor.agent($0, queues: []) }, shifts: shifts, forecasts: [],
            maximumTeamShareOffFloor: 0.5)
        let afternoon = MinuteRange(start: 300, end: 360)
        #expect(floor.keepsCoverage(taking: Array(ids.prefix(2)), during: afternoon))
        #expect(!floor.keepsCoverage(taking: Array(ids.prefix(3)), during: afternoon))
        #expect(floor.keepsCoverage(taking: Array(ids.prefix(5)), during: session))
        #expect(!floor.keepsCoverage(taking: Array(ids.prefix(6)), during: session))
    }

    @Test func aSmallTeamCannotSpareAnyoneUnderTheDefaultShare() throws {
        let ids: [AgentID] = ["s1", "s2", "s3", "s4"]
        let floor = try FloorCoverage(
            agents: ids.map { SmallFloor.agent($0, queues: []) }, shifts: ids.map(SmallFloor.morning), forecasts: [])
        #expect(!floor.canTake("s1", during: session))
    }

    @Test func malformedInputIsRefused() {
        #expect(throws: SchedulingError.duplicateForecast("Q1", Interval(0))) {
            try FloorCoverage(agents: [], shifts: [], forecasts: [SmallFloor.forecast("Q1", 0), SmallFloor.forecast("Q1", 0)])
        }
        #expect(throws: SchedulingError.invalidShift("a1", MinuteRange(start: 60, end: 60))) {
            try FloorCoverage(agents: [SmallFloor.agent("a1")], shifts: [Shift(agent: "a1", start: 60, end: 60)], forecasts: [])
        }
        #expect(throws: SchedulingError.shareOutsideUnitInterval(1.5)) {
            try FloorCoverage(agents: [], shifts: [], forecasts: [], maximumTeamShareOffFloor: 1.5)
        }
        #expect(throws: SchedulingError.duplicateAgent("a1")) {
            try FloorCoverage(agents: [SmallFloor.agent("a1"), SmallFloor.agent("a1")], shifts: [], forecasts: [])
        }
        #expect(throws: SchedulingError.invalidForecast("Q1", Interval(0), .nonPositiveAverageHandleTime(0))) {
            try FloorCoverage(agents: [], shifts: [], forecasts: [QueueForecast(
                queue: "Q1", interval: Interval(0), expectedContacts: 1, averageHandleTimeSeconds: 0, shrinkage: 0)])
        }
        #expect(throws: SchedulingError.horizonTooLong(intervals: 400 * 48 + 1)) {
            try FloorCoverage(agents: [], shifts: [], forecasts: [SmallFloor.forecast("Q1", 400 * 48)])
        }
    }
}
