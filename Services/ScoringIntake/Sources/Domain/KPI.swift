import CalendarDates
/// Which way a metric should move.
public enum MetricDirection: Int, Sendable, Hashable {
    case higherIsBetter = 1, lowerIsBetter = 2
}

/// How a metric aggregates over a period.
public enum MetricAggregation: Int, Sendable, Hashable {
    case mean = 1, sum = 2, rate = 3
}

/// An operational KPI the center tracks (运营指标): handle time, CSAT, resolution, complaints.
public struct MetricDefinition: Sendable, Hashable {
    public var metricID: String
    public var name: String
    public var unit: String
    public var direction: MetricDirection?
    public var aggregation: MetricAggregation?

    public init(metricID: String, name: String, unit: String, direction: MetricDirection?, aggregation: MetricAggregation?) {
        self.metricID = metricID
        self.name = name
        self.unit = unit
        self.direction = direction
        self.aggregation = aggregation
    }

    public var violations: [DomainViolation] {
        var found = FieldRules.identifier(metricID, "metric_id", maximum: 64)
        found += FieldRules.identifier(name, "name", maximum: 200)
        found += FieldRules.optionalText(unit, "unit", maximum: 64)
        if direction == nil { found.append(DomainViolation("direction", "must be higher_is_better or lower_is_better")) }
        if aggregation == nil { found.append(DomainViolation("aggregation", "must be mean, sum or rate")) }
        return found
    }
}

/// One agent's value of one metric over one period.
public struct KpiSample: Sendable, Hashable {
    public var agentID: String
    public var metricID: String
    public var periodStart: String
    public var periodEnd: String
    public var value: Double

    public init(agentID: String, metricID: String, periodStart: String, periodEnd: String, value: Double) {
        self.agentID = agentID
        self.metricID = metricID
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.value = value
    }

    /// Every violation, given whether the agent is on the roster and the metric's definition.
    public func violations(agentKnown: Bool, metric: MetricDefinition?) -> [DomainViolation] {
        var found = FieldRules.identifier(agentID, "agent_id", maximum: 64)
        if !agentID.isEmpty && !agentKnown { found.append(DomainViolation("agent_id", "\"\(agentID)\" is not on the roster")) }
        found += FieldRules.identifier(metricID, "metric_id", maximum: 64)
        if !metricID.isEmpty && metric == nil { found.append(DomainViolation("metric_id", "\"\(metricID)\" is not a defined metric")) }
        let start = LocalDate(periodStart)
        let end = LocalDate(periodEnd)
        if start == nil { found.append(DomainViolation("period_start", "must be a date YYYY-MM-DD")) }
        if end == nil { found.append(DomainViolation("period_end", "must be a date YYYY-MM-DD")) }
        if let start, let end, end < start { found.append(DomainViolation("period_end", "is before period_start")) }
        if !value.isFinite {
            found.append(DomainViolation("value", "must be a finite number"))
        } else if metric?.aggregation == .rate && !(0...1).contains(value) {
            found.append(DomainViolation("value", "must be between 0 and 1 for a rate"))
        } else if metric?.aggregation == .sum && value < 0 {
            found.append(DomainViolation("value", "must not be negative for a sum"))
        }
        return found
    }
}
