import Testing
import ScoringIntake

@Suite struct RosterSubmissionTests {
    let today = Fx.date("2026-06-15")

    @Test func aValidInServiceRowBecomesAnEntry() throws {
        let entry = try #require(Fx.entry(Fx.submission().validated(today: today)))
        #expect(entry.agentID == "a-100")
        #expect(entry.status == .inService)
        #expect(entry.hireDate == Fx.date("2025-03-01"))
        #expect(entry.leftOn == nil)
        #expect(entry.effectiveDate == Fx.date("2026-06-01"))
    }

    @Test func aValidLeaver() throws {
        let entry = try #require(Fx.entry(Fx.submission(status: .left, leftOn: "2026-05-31").validated(today: today)))
        #expect(entry.status == .left)
        #expect(entry.leftOn == Fx.date("2026-05-31"))
        // Leaving on the hire date is possible (a no-show).
        #expect(Fx.entry(Fx.submission(status: .left, hire: "2026-05-31", leftOn: "2026-05-31").validated(today: today)) != nil)
    }

    @Test func anEmptyEffectiveDateMeansToday() throws {
        let entry = try #require(Fx.entry(Fx.submission(effective: "").validated(today: today)))
        #expect(entry.effectiveDate == today)
    }

    @Test(arguments: [
        (Fx.submission(status: nil), ["status"]),
        (Fx.submission(status: .left), ["left_on"]),
        (Fx.submission(status: .left, leftOn: "2026-6-01"), ["left_on"]),
        (Fx.submission(status: .left, leftOn: "2025-02-28"), ["left_on"]),
        (Fx.submission(status: .onboarding, leftOn: "2026-05-31"), ["left_on"]),
        (Fx.submission(status: .inService, leftOn: "2026-05-31"), ["left_on"]),
        (Fx.submission(hire: "2025-02-30"), ["hire_date"]),
        (Fx.submission(hire: ""), ["hire_date"]),
        (Fx.submission(effective: "2026/06/01"), ["effective_date"]),
        (Fx.submission(status: nil, hire: "x", effective: "y"), ["hire_date", "status", "effective_date"]),
    ])
    func invalidRowsNameTheirFields(_ submission: RosterSubmission, _ subjects: [String]) throws {
        let found = try #require(Fx.violations(submission.validated(today: today)))
        #expect(found.map(\.subject) == subjects)
    }

    @Test func leavingBeforeHireIsNamed() throws {
        let found = try #require(Fx.violations(Fx.submission(status: .left, leftOn: "2025-02-28").validated(today: today)))
        #expect(found == [DomainViolation("left_on", "is before hire_date")])
    }

    @Test func requiredTextFields() throws {
        var submission = Fx.submission()
        submission.agentID = ""
        submission.name = ""
        submission.teamID = ""
        submission.teamLeaderID = ""
        submission.department = ""
        submission.site = ""
        submission.queue = ""  // optional
        let found = try #require(Fx.violations(submission.validated(today: today)))
        #expect(found.map(\.subject) == ["agent_id", "name", "team_id", "team_leader_id", "department", "site"])
    }
}

@Suite struct RosterDecisionTests {
    let newest = Fx.entry("a-1", team: "team-1", effective: "2026-03-01")

    @Test func firstVersionIsAccepted() {
        #expect(RosterDecision.outcome(for: newest, newest: nil) == .accepted)
    }

    @Test func sameFactsWithALaterEffectiveDateIsADuplicate() {
        let resent = Fx.entry("a-1", team: "team-1", effective: "2026-04-01")
        #expect(resent.sameFacts(as: newest))
        #expect(RosterDecision.outcome(for: resent, newest: newest) == .duplicate)
        #expect(RosterDecision.outcome(for: newest, newest: newest) == .duplicate)
    }

    @Test func aTeamChangeReplaces() {
        let moved = Fx.entry("a-1", team: "team-2", effective: "2026-04-01")
        #expect(!moved.sameFacts(as: newest))
        #expect(RosterDecision.outcome(for: moved, newest: newest) == .replaced)
        // A correction on the same effective date also replaces.
        let corrected = Fx.entry("a-1", team: "team-2", effective: "2026-03-01")
        #expect(RosterDecision.outcome(for: corrected, newest: newest) == .replaced)
        let leaving = Fx.entry("a-1", status: .left, leftOn: "2026-04-30", team: "team-1", effective: "2026-04-30")
        #expect(RosterDecision.outcome(for: leaving, newest: newest) == .replaced)
    }

    @Test func anEarlierEffectiveDateIsStale() {
        let older = Fx.entry("a-1", team: "team-2", effective: "2026-02-28")
        #expect(RosterDecision.outcome(for: older, newest: newest) == .stale)
        let olderSame = Fx.entry("a-1", team: "team-1", effective: "2026-02-28")
        #expect(RosterDecision.outcome(for: olderSame, newest: newest) == .stale)
    }

    let history = [
        Fx.entry("a-1", hire: "2025-10-01", team: "team-1", effective: "2026-01-01"),
        Fx.entry("a-1", hire: "2025-10-01", team: "team-2", effective: "2026-06-01"),
        Fx.entry("a-1", hire: "2025-10-01", team: "team-3", effective: "2026-09-15"),
    ]

    @Test(arguments: [
        ("2025-12-31", nil), ("2026-01-01", "team-1"), ("2026-05-31", "team-1"), ("2026-06-01", "team-2"),
        ("2026-09-14", "team-2"), ("2026-09-15", "team-3"), ("2027-01-01", "team-3"),
    ])
    func versionInForceOnADay(_ day: String, _ team: String?) {
        #expect(RosterDecision.version(on: Fx.date(day), in: history)?.teamID == team)
    }

    @Test(arguments: [
        ("2025-09-30", nil), ("2025-10-01", "team-1"), ("2025-12-31", "team-1"), ("2026-06-01", "team-2"),
    ])
    func standingFallsBackToTheFirstVersionFromTheHireDate(_ day: String, _ team: String?) {
        #expect(RosterDecision.standing(on: Fx.date(day), in: history)?.teamID == team)
    }

    @Test func emptyHistoryHasNoStanding() {
        #expect(RosterDecision.version(on: Fx.date("2026-01-01"), in: []) == nil)
        #expect(RosterDecision.standing(on: Fx.date("2026-01-01"), in: []) == nil)
    }
}

@Suite struct RosterEntryStatusTests {
    @Test func aLeaverIsInServiceUntilTheLeavingDay() {
        let leaver = Fx.entry("a-1", status: .left, hire: "2025-01-10", leftOn: "2026-06-15")
        #expect(leaver.status(on: Fx.date("2026-06-14")) == .inService)
        #expect(leaver.status(on: Fx.date("2026-06-15")) == .left)
        #expect(leaver.status(on: Fx.date("2026-07-01")) == .left)
        #expect(leaver.status(on: Fx.date("2025-01-10")) == .inService)
        #expect(leaver.status(on: Fx.date("2025-01-09")) == nil)
    }

    @Test func beforeHireThereIsNoStatus() {
        let hire = Fx.entry("a-1", status: .onboarding, hire: "2026-11-02")
        #expect(hire.status(on: Fx.date("2026-11-01")) == nil)
        #expect(hire.status(on: Fx.date("2026-11-02")) == .onboarding)
        #expect(Fx.entry("a-2").status(on: Fx.date("2026-11-02")) == .inService)
    }
}
