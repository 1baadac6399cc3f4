import TrainingWire

extension BatchResponse {
    /// Adds one record's result and counts it under its outcome.
    ///
    /// Why here: every batch method of every service answers per record in the same shape
    /// (`BatchResponse` in scoring_intake.proto); the counting must not differ between them.
    public mutating func record(_ outcome: RecordOutcome, id: String, violations: [Violation] = []) {
        results.append(RecordResult(index: UInt32(results.count), id: id, outcome: outcome, violations: violations))
        switch outcome {
        case .accepted: accepted += 1
        case .duplicate: duplicate += 1
        case .replaced: replaced += 1
        case .stale: stale += 1
        case .rejected: rejected += 1
        case .unspecified: break
        }
    }
}
