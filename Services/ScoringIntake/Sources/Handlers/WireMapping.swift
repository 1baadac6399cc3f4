import RPCRuntime
import TrainingWire

// Wire types (TrainingWire) to domain types and back. The domain shares several names
// with the contract (Evaluation, Tier, RosterEntry…); here wire types are always
// qualified with `TrainingWire.`.

extension IntakeError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .invalid(let violations):
            RPCError(.invalidArgument, violations.map(\.description).joined(separator: "; "), violations: violations.map(\.wire))
        case .precondition(let violations):
            RPCError(.failedPrecondition, violations.map(\.description).joined(separator: "; "), violations: violations.map(\.wire))
        case .notFound(let message):
            RPCError(.notFound, message)
        case .alreadyExists(let message):
            RPCError(.alreadyExists, message)
        }
    }
}

extension DomainViolation {
    var wire: Violation { Violation(subject: subject, description: description) }

    /// "items[2].score: must be …"
    public var descriptionWithSubject: String { "\(subject): \(description)" }
}

extension IntakeError {
    /// Prefixes every subject with the request field it came from (`scorecard.criteria[0]…`).
    func under(_ prefix: String) -> IntakeError {
        switch self {
        case .invalid(let violations): .invalid(violations.map { DomainViolation("\(prefix).\($0.subject)", $0.description) })
        case .precondition(let violations): .precondition(violations.map { DomainViolation("\(prefix).\($0.subject)", $0.description) })
        default: self
        }
    }
}

enum BatchResults {
    /// The per-record answer of a batch method.
    static func response(_ outcomes: [RecordOutcome], ids: [String]) -> BatchResponse {
        var response = BatchResponse()
        response.results.reserveCapacity(outcomes.count)
        for (index, outcome) in outcomes.enumerated() {
            let id = index < ids.count ? ids[index] : ""
            switch outcome {
            case .accepted: response.record(.accepted, id: id)
            case .duplicate: response.record(.duplicate, id: id)
            case .replaced: response.record(.replaced, id: id)
            case .stale: response.record(.stale, id: id)
            case .rejected(let violations): response.record(.rejected, id: id, violations: violations.map(\.wire))
            }
        }
        return response
    }

    /// INVALID_ARGUMENT unless a batch holds 1 to `limit` records.
    static func checkSize(_ count: Int, field: String, limit: Int = 10_000) throws(IntakeError) {
        guard (1...limit).contains(count) else {
            throw .invalid(field, "must hold 1 to \(limit) records (it holds \(count))")
        }
    }
}

extension Evaluation {
    init(wire: TrainingWire.Evaluation) {
        self.init(
            evaluationID: wire.evaluationId, revision: Int(wire.revision), agentID: wire.agentId, callID: wire.callId,
            evaluatorID: wire.evaluatorId, callStartedAt: wire.callStartedAtUnixMs, scoredAt: wire.scoredAtUnixMs,
            scorecardID: wire.scorecardId, scorecardVersion: Int(wire.scorecardVersion), totalScore: wire.totalScore,
            items: wire.items.map {
                ItemScore(criterionID: $0.criterionId, name: $0.name, score: $0.score, maxScore: $0.maxScore, critical: $0.critical)
            },
            channel: ContactChannel(rawValue: Int(wire.channel.rawValue)))
    }
}

extension RosterSubmission {
    init(wire: TrainingWire.RosterEntry) {
        let status: AgentStatus? =
            switch wire.status {
            case .onboarding: .onboarding
            case .inService: .inService
            case .left: .left
            case .unspecified: nil
            }
        self.init(
            agentID: wire.agentId, name: wire.name, teamID: wire.teamId, teamLeaderID: wire.teamLeaderId,
            department: wire.department, site: wire.site, queue: wire.queue, hireDate: wire.hireDate, status: status,
            leftOn: wire.leftOn, effectiveDate: wire.effectiveDate)
    }
}

extension RosterEntry {
    var wire: TrainingWire.RosterEntry {
        TrainingWire.RosterEntry(
            agentId: agentID, name: name, teamId: teamID, teamLeaderId: teamLeaderID, department: department, site: site,
            queue: queue, hireDate: hireDate.description, status: status.wire, leftOn: leftOn?.description ?? "",
            effectiveDate: effectiveDate.description)
    }
}

extension AgentStatus {
    var wire: TrainingWire.AgentStatus {
        switch self {
        case .onboarding: .onboarding
        case .inService: .inService
        case .left: .left
        }
    }
}

extension Tier {
    var wire: TrainingWire.Tier {
        switch self {
        case .advanced: .advanced
        case .standard: .standard
        case .coaching: .coaching
        case .insufficientData: .insufficientData
        }
    }

    init?(wire: TrainingWire.Tier) {
        switch wire {
        case .advanced: self = .advanced
        case .standard: self = .standard
        case .coaching: self = .coaching
        case .insufficientData: self = .insufficientData
        case .unspecified: return nil
        }
    }
}

extension DayKind {
    init?(wire: TrainingWire.DayKind) {
        switch wire {
        case .workingDay: self = .workingDay
        case .restDay: self = .restDay
        case .holiday: self = .holiday
        case .makeupWorkingDay: self = .makeupWorkingDay
        case .unspecified: return nil
        }
    }

    var wire: TrainingWire.DayKind {
        switch self {
        case .workingDay: .workingDay
        case .restDay: .restDay
        case .holiday: .holiday
        case .makeupWorkingDay: .makeupWorkingDay
        }
    }
}

extension TierPolicy {
    var wire: TrainingWire.TierPolicy {
        TrainingWire.TierPolicy(
            version: UInt32(clamping: version), advancedThreshold: advancedThreshold, coachingThreshold: coachingThreshold,
            minimumEvaluations: UInt32(clamping: minimumEvaluations), roundingDecimals: UInt32(clamping: roundingDecimals),
            setBy: setBy, setAtUnixMs: setAtUnixMilliseconds)
    }
}

extension TierAssignment {
    var wire: TrainingWire.TierAssignment {
        TrainingWire.TierAssignment(
            agentId: agentID, name: name, teamId: teamID, teamLeaderId: teamLeaderID, department: department, site: site,
            tier: tier.wire, average: average, count: UInt32(clamping: count), standardError: standardError, borderline: borderline,
            problemSummaryDue: problemSummaryDue?.description ?? "", previousTier: previousTier?.wire ?? .unspecified)
    }
}

extension Scorecard {
    init(wire: TrainingWire.Scorecard) {
        self.init(
            scorecardID: wire.scorecardId, version: Int(wire.version), name: wire.name,
            criteria: wire.criteria.map {
                Criterion(criterionID: $0.criterionId, name: $0.name, maxScore: $0.maxScore, weight: $0.weight, critical: $0.critical)
            },
            totalIsWeightedSum: wire.totalIsWeightedSum)
    }
}

extension MetricDefinition {
    init(wire: TrainingWire.MetricDefinition) {
        self.init(
            metricID: wire.metricId, name: wire.name, unit: wire.unit,
            direction: MetricDirection(rawValue: Int(wire.direction.rawValue)),
            aggregation: MetricAggregation(rawValue: Int(wire.aggregation.rawValue)))
    }
}

extension KpiSample {
    init(wire: TrainingWire.KpiSample) {
        self.init(agentID: wire.agentId, metricID: wire.metricId, periodStart: wire.periodStart, periodEnd: wire.periodEnd, value: wire.value)
    }
}

extension ScoreStatistics {
    /// Mean rounded to 4 decimals for display; the policy's own rounding decides tiers.
    var displayMean: Double { (mean * 10_000).rounded() / 10_000 }
}
