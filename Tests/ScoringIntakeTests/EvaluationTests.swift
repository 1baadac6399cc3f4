import Testing
@testable import ScoringIntake

@Suite struct EvaluationRulesTests {
    @Test func aValidEvaluationHasNoViolations() {
        #expect(Fx.subjects(Fx.evaluation()).isEmpty)
        #expect(Fx.subjects(Fx.weightedEvaluation(), scorecard: Fx.weightedScorecard).isEmpty)
        // Naming no scorecard is allowed: nothing to check the items against.
        var unscored = Fx.evaluation()
        unscored.scorecardID = ""
        #expect(Fx.subjects(unscored, scorecard: nil).isEmpty)
    }

    static func changed(_ change: (inout Evaluation) -> Void) -> Evaluation {
        var evaluation = Fx.evaluation()
        change(&evaluation)
        return evaluation
    }

    @Test(arguments: [
        (changed { $0.evaluationID = "" }, ["evaluation_id"]),
        (changed { $0.evaluationID = "ev\n1" }, ["evaluation_id"]),
        (changed { $0.evaluationID = String(repeating: "e", count: 129) }, ["evaluation_id"]),
        (changed { $0.revision = 0 }, ["revision"]),
        (changed { $0.revision = -3 }, ["revision"]),
        (changed { $0.agentID = "" }, ["agent_id"]),
        (changed { $0.agentID = String(repeating: "a", count: 65) }, ["agent_id"]),
        (changed { $0.callID = String(repeating: "c", count: 129) }, ["call_id"]),
        (changed { $0.callStartedAt = 0 }, ["call_started_at_unix_ms"]),
        (changed { $0.scoredAt = 0 }, ["scored_at_unix_ms"]),
        (changed { $0.callStartedAt = $0.scoredAt + 1 }, ["call_started_at_unix_ms"]),
        (changed { $0.totalScore = 100.5 }, ["total_score"]),
        (changed { $0.totalScore = -1 }, ["total_score"]),
        (changed { $0.totalScore = .nan }, ["total_score"]),
        (changed { $0.totalScore = .infinity }, ["total_score"]),
        (changed { $0.items[1].score = 31 }, ["items[1].score"]),
        (changed { $0.items[1].score = -0.5 }, ["items[1].score"]),
        (changed { $0.items[2].score = .nan }, ["items[2].score"]),
        (changed { $0.items[1].criterionID = "" }, ["items[1].criterion_id", "items[1].criterion_id"]),
        (changed { $0.items[2].criterionID = "accuracy" }, ["items[2].criterion_id"]),
        (changed { $0.channel = nil }, ["channel"]),
        (changed { $0.items[2].criterionID = "empathy" }, ["items[2].criterion_id"]),
        (changed { $0.items[0].maxScore = 50 }, ["items[0].max_score"]),
        (changed { $0.items[0].maxScore = 0 }, ["items[0].max_score", "items[0].max_score"]),
    ])
    func eachRuleNamesItsField(_ evaluation: Evaluation, _ subjects: [String]) {
        #expect(Fx.subjects(evaluation) == subjects)
    }

    @Test func boundaryTotalsAreValid() {
        #expect(Fx.subjects(Fx.evaluation(total: 0)).isEmpty)
        #expect(Fx.subjects(Fx.evaluation(total: 100)).isEmpty)
    }

    @Test func unknownAgent() {
        let found = EvaluationRules().violations(of: Fx.evaluation(), agentKnown: false, scorecard: Fx.scorecard, now: Fx.now)
        #expect(found.map(\.subject) == ["agent_id"])
        #expect(found.first?.description.contains("a-100") == true)
    }

    @Test func unknownScorecard() {
        #expect(Fx.subjects(Fx.evaluation(), scorecard: nil) == ["scorecard_id"])
    }

    @Test func futureTimesBeyondTheClockSkewAreRejected() {
        let skew: Int64 = 5 * 60 * 1000
        #expect(EvaluationRules().allowedClockSkewMilliseconds == skew)
        var evaluation = Fx.evaluation()
        evaluation.callStartedAt = Fx.now + skew
        evaluation.scoredAt = Fx.now + skew
        #expect(Fx.subjects(evaluation).isEmpty)  // within the skew: fine
        evaluation.callStartedAt = Fx.now + skew + 1
        evaluation.scoredAt = Fx.now + skew + 1
        let found = EvaluationRules().violations(of: evaluation, agentKnown: true, scorecard: Fx.scorecard, now: Fx.now)
        #expect(found == [
            DomainViolation("call_started_at_unix_ms", "is in the future"), DomainViolation("scored_at_unix_ms", "is in the future"),
        ])
    }

    @Test func callAfterScoringIsNamed() {
        var evaluation = Fx.evaluation()
        evaluation.callStartedAt = evaluation.scoredAt + 1
        let found = EvaluationRules().violations(of: evaluation, agentKnown: true, scorecard: Fx.scorecard, now: Fx.now)
        #expect(found == [DomainViolation("call_started_at_unix_ms", "is after scored_at_unix_ms")])
        evaluation.callStartedAt = evaluation.scoredAt
        #expect(Fx.subjects(evaluation).isEmpty)
    }

    @Test func moreThan100Items() {
        var evaluation = Fx.evaluation()
        evaluation.scorecardID = ""
        evaluation.items = (0...100).map { ItemScore(criterionID: "k\($0)", name: "", score: 1, maxScore: 1, critical: false) }
        #expect(Fx.subjects(evaluation, scorecard: nil) == ["items"])
        evaluation.items.removeLast()
        #expect(Fx.subjects(evaluation, scorecard: nil).isEmpty)
    }

    @Test func weightedTotalMustMatchWithinOneHundredth() {
        #expect(Fx.subjects(Fx.weightedEvaluation(total: 90.02), scorecard: Fx.weightedScorecard) == ["total_score"])
        #expect(Fx.subjects(Fx.weightedEvaluation(total: 89.98), scorecard: Fx.weightedScorecard) == ["total_score"])
        #expect(Fx.subjects(Fx.weightedEvaluation(total: 90.009), scorecard: Fx.weightedScorecard).isEmpty)
        #expect(Fx.subjects(Fx.weightedEvaluation(total: 89.991), scorecard: Fx.weightedScorecard).isEmpty)
        // The plain scorecard does not check the total against its items.
        #expect(Fx.subjects(Fx.evaluation(total: 50)).isEmpty)
    }

    @Test func weightedTotalNeedsEveryCriterion() {
        var evaluation = Fx.weightedEvaluation(total: 60)
        evaluation.items.removeLast()  // 4·9 + 3·8 = 60, but warmth is missing
        let found = EvaluationRules().violations(of: evaluation, agentKnown: true, scorecard: Fx.weightedScorecard, now: Fx.now)
        #expect(found.map(\.subject) == ["items"])
        #expect(found.first?.description.contains("warmth") == true)
    }

    @Test func scorecardViolations() {
        #expect(Fx.scorecard.violations.isEmpty)
        var bad = Fx.weightedScorecard
        bad.scorecardID = ""
        bad.version = 0
        bad.criteria[1].criterionID = "phrasing"
        bad.criteria[2].maxScore = 0
        bad.criteria[0].weight = -1
        #expect(bad.violations.map(\.subject) == [
            "scorecard_id", "version", "criteria[0].weight", "criteria[1].criterion_id", "criteria[2].max_score",
        ])
        var empty = Fx.scorecard
        empty.criteria = []
        #expect(empty.violations.map(\.subject) == ["criteria"])
    }

    @Test func fieldRulesForIdentifiers() {
        #expect(FieldRules.identifier("", "x").map(\.subject) == ["x"])
        #expect(FieldRules.identifier("abc", "x").isEmpty)
        #expect(FieldRules.identifier("a\u{7}b", "x").map(\.description) == ["must not contain control characters"])
        #expect(FieldRules.identifier(String(repeating: "座", count: 64), "x", maximum: 64).isEmpty)
        #expect(FieldRules.identifier(String(repeating: "座", count: 65), "x", maximum: 64).count == 1)
        #expect(FieldRules.optionalText("", "x", maximum: 3).isEmpty)
        #expect(FieldRules.optionalText("abcd", "x", maximum: 3).map(\.subject) == ["x"])
    }
}

@Suite struct ContentDigestTests {
    @Test func equalContentGivesEqualDigestsWhateverTheIdAndRevision() {
        var other = Fx.evaluation()
        other.evaluationID = "ev-999"
        other.revision = 7
        #expect(other.contentDigest == Fx.evaluation().contentDigest)
    }

    static func changed(_ change: (inout Evaluation) -> Void) -> Evaluation {
        var evaluation = Fx.evaluation()
        change(&evaluation)
        return evaluation
    }

    @Test(arguments: [
        changed { $0.agentID = "a-101" },
        changed { $0.callID = "call-2" },
        changed { $0.evaluatorID = "qa-8" },
        changed { $0.callStartedAt += 1 },
        changed { $0.scoredAt += 1 },
        changed { $0.scorecardID = "sc-chat" },
        changed { $0.scorecardVersion = 4 },
        changed { $0.totalScore = 91.5 },
        changed { $0.channel = .chat },
        changed { $0.channel = nil },
        changed { $0.items[1].score = 26 },
        changed { $0.items[1].maxScore = 35 },
        changed { $0.items[1].name = "Accuracy" },
        changed { $0.items[1].criterionID = "accuracy2" },
        changed { $0.items[0].critical = true },
        changed { $0.items.removeLast() },
        changed { $0.items.append(ItemScore(criterionID: "x", name: "", score: 0, maxScore: 1, critical: false)) },
    ])
    func anyChangeOfContentChangesTheDigest(_ evaluation: Evaluation) {
        #expect(evaluation.contentDigest != Fx.evaluation().contentDigest)
    }

    @Test func adjacentStringsAreDelimited() {
        var first = Fx.evaluation()
        first.agentID = "ab"
        first.callID = "c"
        var second = Fx.evaluation()
        second.agentID = "a"
        second.callID = "bc"
        #expect(first.contentDigest != second.contentDigest)

        var third = Fx.evaluation()
        third.items[0].criterionID = "phrasingS"
        third.items[0].name = "tandard phrasing"
        #expect(third.contentDigest != Fx.evaluation().contentDigest)
    }
}

@Suite struct RevisionDecisionTests {
    let evaluation = { () -> Evaluation in
        var evaluation = Fx.evaluation()
        evaluation.revision = 2
        return evaluation
    }()

    @Test func nothingStoredIsAccepted() {
        #expect(RevisionDecision.outcome(for: evaluation, digest: evaluation.contentDigest, stored: nil) == .accepted)
    }

    @Test func higherRevisionReplaces() {
        let stored = StoredRevision(revision: 1, contentDigest: 42)
        #expect(RevisionDecision.outcome(for: evaluation, digest: evaluation.contentDigest, stored: stored) == .replaced)
    }

    @Test func lowerRevisionIsStale() {
        let stored = StoredRevision(revision: 3, contentDigest: evaluation.contentDigest)
        #expect(RevisionDecision.outcome(for: evaluation, digest: evaluation.contentDigest, stored: stored) == .stale)
    }

    @Test func sameRevisionSameContentIsADuplicate() {
        let stored = StoredRevision(revision: 2, contentDigest: evaluation.contentDigest)
        #expect(RevisionDecision.outcome(for: evaluation, digest: evaluation.contentDigest, stored: stored) == .duplicate)
    }

    @Test func sameRevisionOtherContentIsRejectedOnRevision() {
        let stored = StoredRevision(revision: 2, contentDigest: evaluation.contentDigest &+ 1)
        let outcome = RevisionDecision.outcome(for: evaluation, digest: evaluation.contentDigest, stored: stored)
        guard case .rejected(let found) = outcome else {
            Issue.record("expected rejected, got \(outcome)")
            return
        }
        #expect(found.map(\.subject) == ["revision"])
        #expect(found.first?.description.contains("ev-1") == true)
    }
}
