import CalendarDates
import TrainingWire

/// The roster as CSV: `agent_id,name,team_id,team_leader_id,department,site,hire_date,
/// status,left_on` in any order, plus optional `queue` and `effective_date` columns.
/// Dates are YYYY-MM-DD; status is onboarding, in_service or left.
///
/// Rows are sent in file order: when a file holds an agent's history (several rows with
/// effective dates), order it oldest first, or the server answers STALE.
enum RosterCSV {
    static let requiredColumns = ["agent_id", "name", "team_id", "team_leader_id", "department", "site", "hire_date", "status", "left_on"]
    static let optionalColumns = ["queue", "effective_date"]
    static var knownColumns: [String] { requiredColumns + optionalColumns }

    /// `effectiveDate` (from --effective-date) applies to every row and wins over the column.
    static func parse(
        path: String, bytes: [UInt8], format: InputFormat = .csv, map: FieldMap, effectiveDate: String?
    ) throws(InputFileError) -> InputFile<RosterEntry> {
        switch format {
        case .csv:
            return try InputFiles.csv(path: path, bytes: bytes, map: map, required: requiredColumns, known: knownColumns) { fields in
                let entry = entry(from: &fields, effectiveDate: effectiveDate)
                return (entry.agentId, entry)
            }
        case .jsonl:
            return InputFiles.jsonLines(path: path, bytes: bytes, map: map) { fields in
                let entry = entry(from: &fields, effectiveDate: effectiveDate)
                return (entry.agentId, entry)
            }
        }
    }

    static func entry(from fields: inout FieldValues, effectiveDate: String?) -> RosterEntry {
        var entry = RosterEntry()
        entry.agentId = fields.string("agent_id", maximumLength: 64)
        entry.name = fields.string("name")
        entry.teamId = fields.string("team_id")
        entry.teamLeaderId = fields.string("team_leader_id")
        entry.department = fields.string("department")
        entry.site = fields.string("site")
        entry.queue = fields.string("queue", required: false)
        entry.hireDate = fields.date("hire_date")
        entry.status = fields.choice("status", as: AgentStatus.self) ?? .unspecified
        entry.leftOn = fields.date("left_on", required: false)
        entry.effectiveDate = effectiveDate ?? fields.date("effective_date", required: false)
        if entry.status == .left, !fields.isGiven("left_on") {
            fields.fail("left_on", "is required when status is left")
        }
        if entry.status != .left, entry.status != .unspecified, !entry.leftOn.isEmpty {
            fields.fail("left_on", "must be empty unless status is left")
        }
        return entry
    }
}

/// Operational KPIs as CSV: `agent_id,metric_id,period_start,period_end,value`, columns in
/// any order; dates YYYY-MM-DD (inclusive); value a number.
enum KpiCSV {
    static let requiredColumns = ["agent_id", "metric_id", "period_start", "period_end", "value"]

    static func parse(path: String, bytes: [UInt8], format: InputFormat = .csv, map: FieldMap) throws(InputFileError) -> InputFile<KpiSample> {
        switch format {
        case .csv:
            return try InputFiles.csv(path: path, bytes: bytes, map: map, required: requiredColumns, known: requiredColumns) { fields in
                let sample = sample(from: &fields)
                return ("\(sample.agentId)/\(sample.metricId)/\(sample.periodStart)", sample)
            }
        case .jsonl:
            return InputFiles.jsonLines(path: path, bytes: bytes, map: map) { fields in
                let sample = sample(from: &fields)
                return ("\(sample.agentId)/\(sample.metricId)/\(sample.periodStart)", sample)
            }
        }
    }

    static func sample(from fields: inout FieldValues) -> KpiSample {
        var sample = KpiSample()
        sample.agentId = fields.string("agent_id")
        sample.metricId = fields.string("metric_id")
        sample.periodStart = fields.date("period_start")
        sample.periodEnd = fields.date("period_end")
        sample.value = fields.double("value") ?? 0
        if let start = LocalDate(parsing: sample.periodStart), let end = LocalDate(parsing: sample.periodEnd), end < start {
            fields.fail("period_end", "is before period_start")
        }
        return sample
    }
}
