/// The channel a scored contact came through.
public enum ContactChannel: Int, Sendable, Hashable {
    case voice = 1, chat = 2, email = 3
}

/// One scorecard line of an evaluation.
public struct ItemScore: Sendable, Hashable {
    public var criterionID: String
    public var name: String
    public var score: Double
    public var maxScore: Double
    public var critical: Bool

    public init(criterionID: String, name: String, score: Double, maxScore: Double, critical: Bool) {
        self.criterionID = criterionID
        self.name = name
        self.score = score
        self.maxScore = maxScore
        self.critical = critical
    }

    /// The item as a percentage of its maximum, the scale on which criteria are compared.
    public var percent: Double { maxScore > 0 ? score / maxScore * 100 : 0 }
}

/// One scored call of one agent, as the QA system sends it (revision by revision).
public struct Evaluation: Sendable, Hashable {
    public var evaluationID: String
    public var revision: Int
    public var agentID: String
    public var callID: String
    public var evaluatorID: String
    public var callStartedAt: Int64
    public var scoredAt: Int64
    public var scorecardID: String
    public var scorecardVersion: Int
    public var totalScore: Double
    public var items: [ItemScore]
    /// nil when the QA system did not say.
    public var channel: ContactChannel?

    public init(
        evaluationID: String, revision: Int, agentID: String, callID: String, evaluatorID: String,
        callStartedAt: Int64, scoredAt: Int64, scorecardID: String, scorecardVersion: Int, totalScore: Double,
        items: [ItemScore], channel: ContactChannel?
    ) {
        self.evaluationID = evaluationID
        self.revision = revision
        self.agentID = agentID
        self.callID = callID
        self.evaluatorID = evaluatorID
        self.callStartedAt = callStartedAt
        self.scoredAt = scoredAt
        self.scorecardID = scorecardID
        self.scorecardVersion = scorecardVersion
        self.totalScore = totalScore
        self.items = items
        self.channel = channel
    }

    /// A 64-bit digest of everything but the id and revision, to tell a harmless resend
    /// (DUPLICATE) from a conflicting one without storing and comparing every field.
    public var contentDigest: Int64 {
        var digest = ContentDigest()
        digest.add(agentID)
        digest.add(callID)
        digest.add(evaluatorID)
        digest.add(callStartedAt)
        digest.add(scoredAt)
        digest.add(scorecardID)
        digest.add(Int64(scorecardVersion))
        digest.add(totalScore)
        digest.add(Int64(channel?.rawValue ?? 0))
        for item in items {
            digest.add(item.criterionID)
            digest.add(item.name)
            digest.add(item.score)
            digest.add(item.maxScore)
            digest.add(Int64(item.critical ? 1 : 0))
        }
        return digest.value
    }
}

/// FNV-1a over field bytes, each field length-prefixed so that ("ab","c") ≠ ("a","bc").
struct ContentDigest {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    private mutating func byte(_ byte: UInt8) {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }

    mutating func add(_ value: Int64) {
        var bits = UInt64(bitPattern: value)
        for _ in 0..<8 {
            byte(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    mutating func add(_ value: Double) { add(Int64(bitPattern: value.bitPattern)) }

    mutating func add(_ value: String) {
        add(Int64(value.utf8.count))
        for unit in value.utf8 { byte(unit) }
    }

    var value: Int64 { Int64(bitPattern: hash) }
}

/// A stored scorecard version, as evaluation validation needs it.
public struct Scorecard: Sendable, Hashable {
    public struct Criterion: Sendable, Hashable {
        public var criterionID: String
        public var name: String
        public var maxScore: Double
        public var weight: Double
        public var critical: Bool

        public init(criterionID: String, name: String, maxScore: Double, weight: Double, critical: Bool) {
            self.criterionID = criterionID
            self.name = name
            self.maxScore = maxScore
            self.weight = weight
            self.critical = critical
        }
    }

    public var scorecardID: String
    public var version: Int
    public var name: String
    public var criteria: [Criterion]
    public var totalIsWeightedSum: Bool

    public init(scorecardID: String, version: Int, name: String, criteria: [Criterion], totalIsWeightedSum: Bool) {
        self.scorecardID = scorecardID
        self.version = version
        self.name = name
        self.criteria = criteria
        self.totalIsWeightedSum = totalIsWeightedSum
    }

    public var violations: [DomainViolation] {
        var found: [DomainViolation] = []
        found += FieldRules.identifier(scorecardID, "scorecard_id")
        if version < 1 { found.append(DomainViolation("version", "must be at least 1")) }
        if name.count > 200 { found.append(DomainViolation("name", "must be at most 200 characters")) }
        if criteria.isEmpty || criteria.count > 100 {
            found.append(DomainViolation("criteria", "must hold 1 to 100 criteria"))
        }
        var seen: Set<String> = []
        for (index, criterion) in criteria.enumerated() {
            let path = "criteria[\(index)]"
            found += FieldRules.identifier(criterion.criterionID, "\(path).criterion_id", maximum: 64)
            found += FieldRules.optionalText(criterion.name, "\(path).name", maximum: 200)
            if !seen.insert(criterion.criterionID).inserted {
                found.append(DomainViolation("\(path).criterion_id", "\"\(criterion.criterionID)\" appears twice"))
            }
            if !(criterion.maxScore.isFinite && criterion.maxScore > 0) {
                found.append(DomainViolation("\(path).max_score", "must be greater than 0"))
            }
            if !(criterion.weight.isFinite && criterion.weight >= 0) {
                found.append(DomainViolation("\(path).weight", "must be 0 or more"))
            }
        }
        return found
    }
}

/// Shared field checks: lengths and shapes the whole intake applies.
///
/// Written over UTF-8 bytes: these run on every field of every evaluation of a
/// 100,000-a-second ingest, where counting grapheme clusters or looking up Unicode
/// categories per character would cost more than storing the row.
enum FieldRules {
    static func identifier(_ value: String, _ field: String, maximum: Int = 128) -> [DomainViolation] {
        if value.isEmpty { return [DomainViolation(field, "is required")] }
        if exceeds(value, maximum) { return [DomainViolation(field, "must be at most \(maximum) characters")] }
        if hasControlCharacter(value) { return [DomainViolation(field, "must not contain control characters")] }
        return []
    }

    static func optionalText(_ value: String, _ field: String, maximum: Int) -> [DomainViolation] {
        exceeds(value, maximum) ? [DomainViolation(field, "must be at most \(maximum) characters")] : []
    }

    /// More than `maximum` characters. A string never has more characters than UTF-8 bytes,
    /// so the count is needed only for long strings.
    static func exceeds(_ value: String, _ maximum: Int) -> Bool {
        value.utf8.count > maximum && value.count > maximum
    }

    /// C0 controls, DEL and C1 controls (U+0080–U+009F, UTF-8 C2 80–C2 9F).
    static func hasControlCharacter(_ value: String) -> Bool {
        var afterC2 = false
        for byte in value.utf8 {
            if byte < 0x20 || byte == 0x7F || (afterC2 && byte < 0xA0) { return true }
            afterC2 = byte == 0xC2
        }
        return false
    }
}

/// The checks an evaluation must pass before it may count.
public struct EvaluationRules: Sendable {
    /// How far into the future a call or score time may lie (clocks of the QA system drift).
    public var allowedClockSkewMilliseconds: Int64 = 5 * 60 * 1000

    public init() {}

    /// Every violation of `evaluation`, given what the intake knows.
    /// - Parameters:
    ///   - agentKnown: whether the agent is on the roster.
    ///   - scorecard: the named scorecard version, nil if none is named or it is unknown.
    ///   - now: the service clock, Unix milliseconds.
    public func violations(of evaluation: Evaluation, agentKnown: Bool, scorecard: Scorecard?, now: Int64) -> [DomainViolation] {
        var found: [DomainViolation] = []
        found += FieldRules.identifier(evaluation.evaluationID, "evaluation_id")
        if evaluation.revision < 1 { found.append(DomainViolation("revision", "must be at least 1")) }
        found += FieldRules.identifier(evaluation.agentID, "agent_id", maximum: 64)
        if !evaluation.agentID.isEmpty && !agentKnown {
            found.append(DomainViolation("agent_id", "\"\(evaluation.agentID)\" is not on the roster; import the roster first"))
        }
        found += FieldRules.optionalText(evaluation.callID, "call_id", maximum: 128)
        found += FieldRules.optionalText(evaluation.evaluatorID, "evaluator_id", maximum: 128)
        found += FieldRules.optionalText(evaluation.scorecardID, "scorecard_id", maximum: 128)
        if evaluation.callStartedAt <= 0 { found.append(DomainViolation("call_started_at_unix_ms", "is required")) }
        if evaluation.scoredAt <= 0 { found.append(DomainViolation("scored_at_unix_ms", "is required")) }
        if evaluation.callStartedAt > 0 && evaluation.scoredAt > 0 && evaluation.callStartedAt > evaluation.scoredAt {
            found.append(DomainViolation("call_started_at_unix_ms", "is after scored_at_unix_ms"))
        }
        let latest = now + allowedClockSkewMilliseconds
        if evaluation.callStartedAt > latest {
            found.append(DomainViolation("call_started_at_unix_ms", "is in the future"))
        }
        if evaluation.scoredAt > latest {
            found.append(DomainViolation("scored_at_unix_ms", "is in the future"))
        }
        if !(evaluation.totalScore.isFinite && (0...100).contains(evaluation.totalScore)) {
            found.append(DomainViolation("total_score", "must be between 0 and 100"))
        }
        if evaluation.channel == nil { found.append(DomainViolation("channel", "must be voice, chat or email")) }
        found += itemViolations(evaluation)
        found += scorecardViolations(evaluation, scorecard: scorecard)
        return found
    }

    private func itemViolations(_ evaluation: Evaluation) -> [DomainViolation] {
        var found: [DomainViolation] = []
        if evaluation.items.count > 100 { found.append(DomainViolation("items", "must hold at most 100 items")) }
        var seen: Set<String> = []
        for (index, item) in evaluation.items.enumerated() {
            let path = "items[\(index)]"
            found += FieldRules.identifier(item.criterionID, "\(path).criterion_id", maximum: 64)
            if !seen.insert(item.criterionID).inserted {
                found.append(DomainViolation("\(path).criterion_id", "\"\(item.criterionID)\" appears twice"))
            }
            found += FieldRules.optionalText(item.name, "\(path).name", maximum: 200)
            if !(item.maxScore.isFinite && item.maxScore > 0) {
                found.append(DomainViolation("\(path).max_score", "must be greater than 0"))
            } else if !(item.score.isFinite && item.score >= 0 && item.score <= item.maxScore) {
                found.append(DomainViolation("\(path).score", "must be between 0 and max_score (\(item.maxScore))"))
            }
        }
        return found
    }

    private func scorecardViolations(_ evaluation: Evaluation, scorecard: Scorecard?) -> [DomainViolation] {
        guard !evaluation.scorecardID.isEmpty else { return [] }
        guard let scorecard else {
            return [DomainViolation("scorecard_id", "scorecard \"\(evaluation.scorecardID)\" version \(evaluation.scorecardVersion) is not stored")]
        }
        var found: [DomainViolation] = []
        let criteria = Dictionary(scorecard.criteria.map { ($0.criterionID, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, item) in evaluation.items.enumerated() {
            guard let criterion = criteria[item.criterionID] else {
                found.append(DomainViolation("items[\(index)].criterion_id", "\"\(item.criterionID)\" is not a criterion of scorecard \(scorecard.scorecardID) v\(scorecard.version)"))
                continue
            }
            if abs(criterion.maxScore - item.maxScore) > 1e-9 {
                found.append(DomainViolation("items[\(index)].max_score", "must be \(criterion.maxScore), the criterion's maximum"))
            }
        }
        if scorecard.totalIsWeightedSum && !evaluation.items.isEmpty && found.isEmpty {
            let present = Set(evaluation.items.map(\.criterionID))
            let missing = scorecard.criteria.map(\.criterionID).filter { !present.contains($0) }
            if !missing.isEmpty {
                found.append(DomainViolation("items", "missing criteria \(missing.joined(separator: ", ")) of scorecard \(scorecard.scorecardID)"))
            } else {
                let weighted = evaluation.items.reduce(0.0) { sum, item in sum + (criteria[item.criterionID]?.weight ?? 0) * item.score }
                if abs(weighted - evaluation.totalScore) > 0.01 {
                    found.append(DomainViolation("total_score", "is \(evaluation.totalScore) but the weighted sum of the items is \((weighted * 100).rounded() / 100)"))
                }
            }
        }
        return found
    }
}

/// What the intake already holds for an evaluation id: its latest revision.
public struct StoredRevision: Sendable, Hashable {
    public var revision: Int
    public var contentDigest: Int64

    public init(revision: Int, contentDigest: Int64) {
        self.revision = revision
        self.contentDigest = contentDigest
    }
}

/// How a valid incoming revision relates to what is stored. The same evaluation must
/// never count twice; a correction replaces the earlier version, which stays in history.
public enum RevisionDecision {
    public static func outcome(for incoming: Evaluation, digest: Int64, stored: StoredRevision?) -> RecordOutcome {
        guard let stored else { return .accepted }
        if incoming.revision > stored.revision { return .replaced }
        if incoming.revision < stored.revision { return .stale }
        if digest == stored.contentDigest { return .duplicate }
        return .rejected([DomainViolation(
            "revision", "revision \(incoming.revision) of \(incoming.evaluationID) is already stored with different content; send a higher revision to correct it")])
    }
}
