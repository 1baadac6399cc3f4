import Testing
@testable import TrainingScheduling

/// Reference values. Every literal below was computed independently of the code under test,
/// with Python 3 `fractions.Fraction` (exact rational arithmetic) from the textbook factorial
/// form C = (aⁿ/n!)·n/(n−a) / (Σₖ₌₀ⁿ⁻¹ aᵏ/k! + (aⁿ/n!)·n/(n−a)) and B = (aⁿ/n!)/Σₖ₌₀ⁿ aᵏ/k!,
/// then SL = 1 − C·exp(−(n−a)·T/AHT) and ASA = C·AHT/(n−a) in floating point. The code under
/// test uses the Erlang B recursion instead, so agreement checks the method, not a copy.
@Suite struct ErlangCTests {
    /// The classic worked example (Call Centre Helper, "Erlang C Formula – Made Simple":
    /// 100 calls in 30 minutes, AHT 180 s, 80 % in 20 s, 30 % shrinkage; it finds 68.21 %
    /// probability of waiting with 11 agents, 14 agents on phones, 20 scheduled). The digits
    /// are from the Python computation described above.
    static let classic: [(agents: Int, waiting: Double, serviceLevel: Double, speedOfAnswer: Double)] = [
        (11, 0.6821182046893324, 0.3896138117291533, 122.78127684407983),
        (12, 0.44938822429827086, 0.6401580403740066, 40.44494018684438),
        (13, 0.28527045303649295, 0.7955947884177831, 17.11622718218958),
        (14, 0.17413193359504983, 0.8883500191794669, 7.835937011777243),
        (15, 0.10204236700798801, 0.9414528428690223, 3.6735252122875686),
    ]

    static func forecast(
        contacts: Double, handleTime: Double = 180, target: ServiceLevelTarget = .eightyTwenty, shrinkage: Double = 0
    ) -> QueueForecast {
        QueueForecast(
            queue: "Q", interval: Interval(0), expectedContacts: contacts, averageHandleTimeSeconds: handleTime,
            target: target, shrinkage: shrinkage)
    }

    @Test func offeredLoadOfTheClassicExampleIsTenErlangs() throws {
        let load = try ErlangC.offeredLoad(contacts: 100, averageHandleTimeSeconds: 180, intervalSeconds: 1800)
        #expect(load == 10)
    }

    @Test(arguments: classic)
    func classicExampleMatchesTheFactorialForm(row: (agents: Int, waiting: Double, serviceLevel: Double, speedOfAnswer: Double)) {
        #expect(abs(ErlangC.erlangC(agents: row.agents, offeredLoad: 10) - row.waiting) < 1e-12)
        let level = ErlangC.serviceLevel(agents: row.agents, offeredLoad: 10, averageHandleTimeSeconds: 180, answerWithinSeconds: 20)
        #expect(abs(level - row.serviceLevel) < 1e-12)
        let asa = ErlangC.averageSpeedOfAnswer(agents: row.agents, offeredLoad: 10, averageHandleTimeSeconds: 180)
        #expect(abs(asa - row.speedOfAnswer) < 1e-9)
    }

    @Test func classicExampleNeedsFourteenOnPhonesAndTwentyWithThirtyPercentShrinkage() throws {
        #expect(try ErlangC.requiredAgentsOnPhones(forecast: Self.forecast(contacts: 100)) == 14)
        #expect(try ErlangC.requiredAgents(forecast: Self.forecast(contacts: 100, shrinkage: 0)) == 14)
        #expect(try ErlangC.requiredAgents(forecast: Self.forecast(contacts: 100, shrinkage: 0.3)) == 20)
    }

    /// Erlang B by the factorial form (Python fractions): B(10, 10) and B(5, 3).
    @Test func erlangBMatchesTheFactorialForm() {
        #expect(abs(ErlangC.erlangB(agents: 10, offeredLoad: 10) - 0.21458234310734733) < 1e-12)
        #expect(abs(ErlangC.erlangB(agents: 5, offeredLoad: 3) - 0.11005434782608696) < 1e-12)
        #expect(ErlangC.erlangB(agents: 0, offeredLoad: 3) == 1)
    }

    /// A second textbook case: 360 calls per half hour, 4-minute calls (48 Erlangs), 55 agents,
    /// answer within 15 s. Values from the Python computation above.
    @Test func fortyEightErlangsWithFiftyFiveAgents() throws {
        let load = try ErlangC.offeredLoad(contacts: 360, averageHandleTimeSeconds: 240, intervalSeconds: 1800)
        #expect(load == 48)
        #expect(abs(ErlangC.erlangC(agents: 55, offeredLoad: load) - 0.2387009363780092) < 1e-12)
        let level = ErlangC.serviceLevel(agents: 55, offeredLoad: load, averageHandleTimeSeconds: 240, answerWithinSeconds: 15)
        #expect(abs(level - 0.8458830921705803) < 1e-12)
        #expect(abs(ErlangC.averageSpeedOfAnswer(agents: 55, offeredLoad: load, averageHandleTimeSeconds: 240) - 8.184032104388887) < 1e-9)
    }

    /// 500 Erlangs (3,000 five-minute calls per half hour): the factorial form overflows a
    /// Double here (500⁵⁰⁰); the recursion must not. Python fractions: B(500, 500) =
    /// 0.034847777414685505; C(513) = 0.451619124740379, SL(513) = 0.8101617272639073,
    /// SL(512) = 0.7830527145855521, C(520) = 0.2747563446965241, SL(520) = 0.9275750138588581.
    @Test func fiveHundredErlangsWithoutOverflow() throws {
        #expect(abs(ErlangC.erlangB(agents: 500, offeredLoad: 500) - 0.034847777414685505) < 1e-12)
        #expect(abs(ErlangC.erlangC(agents: 513, offeredLoad: 500) - 0.451619124740379) < 1e-10)
        #expect(abs(ErlangC.erlangC(agents: 520, offeredLoad: 500) - 0.2747563446965241) < 1e-10)
        let sl = { (n: Int) in ErlangC.serviceLevel(agents: n, offeredLoad: 500, averageHandleTimeSeconds: 300, answerWithinSeconds: 20) }
        #expect(abs(sl(512) - 0.7830527145855521) < 1e-10)
        #expect(abs(sl(513) - 0.8101617272639073) < 1e-10)
        #expect(abs(sl(520) - 0.9275750138588581) < 1e-10)
        #expect(try ErlangC.requiredAgentsOnPhones(forecast: Self.forecast(contacts: 3000, handleTime: 300)) == 513)
    }

    @Test func hugeLoadsStayFinite() throws {
        // 50,000 Erlangs: far beyond any queue, but the arithmetic must still answer.
        let needed = try ErlangC.requiredAgentsOnPhones(forecast: Self.forecast(contacts: 300_000, handleTime: 300))
        #expect(needed > 50_000 && needed < 50_300)
        let c = ErlangC.erlangC(agents: needed, offeredLoad: 50_000)
        #expect(c.isFinite && c > 0 && c < 1)
    }

    @Test func noContactsNeedNobody() throws {
        #expect(try ErlangC.requiredAgents(forecast: Self.forecast(contacts: 0, shrinkage: 0.3)) == 0)
        #expect(ErlangC.serviceLevel(agents: 0, offeredLoad: 0, averageHandleTimeSeconds: 180, answerWithinSeconds: 20) == 1)
    }

    @Test func tooFewAgentsKeepNoServiceLevel() {
        #expect(ErlangC.erlangC(agents: 10, offeredLoad: 10) == 1)
        #expect(ErlangC.serviceLevel(agents: 9, offeredLoad: 10, averageHandleTimeSeconds: 180, answerWithinSeconds: 20) == 0)
        #expect(ErlangC.averageSpeedOfAnswer(agents: 10, offeredLoad: 10, averageHandleTimeSeconds: 180) == .infinity)
    }

    /// Exact ceilings (Python fractions): 21 / 0.7 is exactly 30 but 30.000000000000004 in
    /// floating point; 33 / 0.55 is exactly 60 but 59.99999999999999.
    @Test(arguments: [
        (onPhones: 14, shrinkage: 0.3, scheduled: 20),
        (onPhones: 21, shrinkage: 0.3, scheduled: 30),
        (onPhones: 33, shrinkage: 0.45, scheduled: 60),
        (onPhones: 22, shrinkage: 0.3, scheduled: 32),  // 31.43 → 32
        (onPhones: 10, shrinkage: 0, scheduled: 10),
        (onPhones: 0, shrinkage: 0.5, scheduled: 0),
    ])
    func shrinkageRoundsUpExactly(row: (onPhones: Int, shrinkage: Double, scheduled: Int)) {
        #expect(ErlangC.scheduled(forOnPhones: row.onPhones, shrinkage: row.shrinkage) == row.scheduled)
        // And back: the scheduled staff leaves at least the agents on phones, one fewer does not.
        #expect(ErlangC.onPhones(forScheduled: row.scheduled, shrinkage: row.shrinkage) >= row.onPhones)
        if row.scheduled > 0 {
            #expect(ErlangC.onPhones(forScheduled: row.scheduled - 1, shrinkage: row.shrinkage) < row.onPhones)
        }
    }

    @Test func moreShrinkageNeedsMoreScheduledAgents() throws {
        var previous = 0
        for step in 0...12 {
            let shrinkage = Double(step) / 20  // 0 … 0.6
            let needed = try ErlangC.requiredAgents(forecast: Self.forecast(contacts: 100, shrinkage: shrinkage))
            #expect(needed >= previous)
            previous = needed
        }
        #expect(previous == 35)  // ⌈14 / 0.4⌉
    }

    @Test func serviceLevelRisesAndWaitingFallsWithEveryAgent() {
        for load in [0.5, 3.7, 10, 48, 250] {
            var lastLevel = -1.0
            var lastWaiting = 2.0
            for n in (Int(load) + 1)...(Int(load) + 60) {
                let level = ErlangC.serviceLevel(agents: n, offeredLoad: load, averageHandleTimeSeconds: 300, answerWithinSeconds: 20)
                let waiting = ErlangC.erlangC(agents: n, offeredLoad: load)
                #expect(level > lastLevel || level == 1)
                #expect(waiting < lastWaiting || waiting == 0)
                lastLevel = level
                lastWaiting = waiting
            }
        }
    }

    @Test func requirementGrowsWithContactsAndTarget() throws {
        var previous = 0
        for contacts in stride(from: 0.0, through: 2_000, by: 25) {
            let needed = try ErlangC.requiredAgentsOnPhones(forecast: Self.forecast(contacts: contacts))
            #expect(needed >= previous)
            #expect(Double(needed) > contacts * 180 / 1800 || contacts == 0)
            previous = needed
        }
        let loose = try ErlangC.requiredAgentsOnPhones(forecast: Self.forecast(
            contacts: 500, target: ServiceLevelTarget(fraction: 0.7, answerWithinSeconds: 60)))
        let strict = try ErlangC.requiredAgentsOnPhones(forecast: Self.forecast(
            contacts: 500, target: ServiceLevelTarget(fraction: 0.95, answerWithinSeconds: 10)))
        #expect(loose < strict)
    }

    @Test func impossibleInputIsRefusedWithItsReason() {
        #expect(throws: ErlangCError.nonPositiveAverageHandleTime(0)) {
            try ErlangC.requiredAgents(forecast: Self.forecast(contacts: 100, handleTime: 0))
        }
        #expect(throws: ErlangCError.nonPositiveAverageHandleTime(-5)) {
            try ErlangC.requiredAgents(forecast: Self.forecast(contacts: 100, handleTime: -5))
        }
        for fraction in [0.0, 1.0, 1.2, -0.1] {
            #expect(throws: ErlangCError.targetOutsideOpenUnitInterval(fraction)) {
                try ErlangC.requiredAgents(forecast: Self.forecast(
                    contacts: 100, target: ServiceLevelTarget(fraction: fraction, answerWithinSeconds: 20)))
            }
        }
        for shrinkage in [1.0, -0.1, 1.5] {
            #expect(throws: ErlangCError.shrinkageOutsideUnitInterval(shrinkage)) {
                try ErlangC.requiredAgents(forecast: Self.forecast(contacts: 100, shrinkage: shrinkage))
            }
        }
        #expect(throws: ErlangCError.negativeContacts(-1)) {
            try ErlangC.requiredAgents(forecast: Self.forecast(contacts: -1))
        }
        #expect(throws: ErlangCError.negativeAnswerTime(-20)) {
            try ErlangC.requiredAgents(forecast: Self.forecast(
                contacts: 100, target: ServiceLevelTarget(fraction: 0.8, answerWithinSeconds: -20)))
        }
        #expect(throws: ErlangCError.nonPositiveIntervalLength(0)) {
            try ErlangC.offeredLoad(contacts: 1, averageHandleTimeSeconds: 1, intervalSeconds: 0)
        }
    }
}
