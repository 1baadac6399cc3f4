import TrainingWire

/// A generated enum of the contract, named on the command line and in files by its proto
/// name in lower case (`IN_SERVICE` → `in_service`, `ADVANCED` → `advanced`).
protocol WireEnum: CaseIterable, RawRepresentable<Int32>, Sendable {
    var protoName: String { get }
}

extension WireEnum {
    /// Nil for the UNSPECIFIED value, which no person or file should have to name.
    var cliName: String? { rawValue == 0 ? nil : protoName.lowercased() }

    /// In declaration order.
    static var cliNames: [String] { allCases.compactMap(\.cliName) }

    /// Accepts the lower-case name or the proto name, in any case.
    init?(cliName: String) {
        let wanted = cliName.lowercased()
        guard let match = Self.allCases.first(where: { $0.cliName == wanted }) else { return nil }
        self = match
    }

    /// The name for JSON, or null for UNSPECIFIED.
    var json: JSONValue { cliName.map(JSONValue.string) ?? .null }
}

extension AgentStatus: WireEnum {}
extension ContactChannel: WireEnum {}
extension DayKind: WireEnum {}
extension GroupBy: WireEnum {}
extension MetricAggregation: WireEnum {}
extension MetricDirection: WireEnum {}
extension RecordOutcome: WireEnum {}
extension SummaryState: WireEnum {}
extension Tier: WireEnum {}
extension VoidReason: WireEnum {}
