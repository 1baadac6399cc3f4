import TrainingWire

/// A generated enum of the contract, named on the command line and in files by its proto
/// name in lower case, without the prefix the contract puts before every value of some
/// enums (`IN_SERVICE` → `in_service`, `COURSE_KIND_NEW_BUSINESS` → `new_business`).
protocol WireEnum: CaseIterable, RawRepresentable<Int32>, Sendable {
    var protoName: String { get }
    /// What every value's proto name starts with and people need not type ("COURSE_KIND_").
    static var protoPrefix: String { get }
}

extension WireEnum {
    static var protoPrefix: String { "" }

    /// Nil for the UNSPECIFIED value, which no person or file should have to name.
    var cliName: String? {
        guard rawValue != 0 else { return nil }
        let name = protoName.hasPrefix(Self.protoPrefix) ? String(protoName.dropFirst(Self.protoPrefix.count)) : protoName
        return name.lowercased()
    }

    /// In declaration order.
    static var cliNames: [String] { allCases.compactMap(\.cliName) }

    /// Accepts the lower-case name or the whole proto name, in any case.
    init?(cliName: String) {
        let wanted = cliName.lowercased()
        guard let match = Self.allCases.first(where: {
            $0.cliName != nil && ($0.cliName == wanted || $0.protoName.lowercased() == wanted)
        }) else { return nil }
        self = match
    }

    /// The name for JSON, or null for UNSPECIFIED.
    var json: JSONValue { cliName.map(JSONValue.string) ?? .null }
}

// The scoring intake's enums: values without prefixes.
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

// The training scheduling's enums: values prefixed with the enum's name (or part of it).
extension CourseKind: WireEnum { static var protoPrefix: String { "COURSE_KIND_" } }
extension CourseCategory: WireEnum { static var protoPrefix: String { "COURSE_CATEGORY_" } }
extension CourseMethod: WireEnum { static var protoPrefix: String { "COURSE_METHOD_" } }
extension MonthlyPlanState: WireEnum { static var protoPrefix: String { "MONTHLY_PLAN_STATE_" } }
extension EnrolmentBasis: WireEnum { static var protoPrefix: String { "ENROLMENT_BASIS_" } }
extension AttendanceRequirement: WireEnum { static var protoPrefix: String { "ATTENDANCE_" } }
extension UnplacedReason: WireEnum { static var protoPrefix: String { "UNPLACED_REASON_" } }
extension SignUpOutcome: WireEnum { static var protoPrefix: String { "SIGN_UP_" } }
