import CalendarDates
import TrainingWire

/// A whole-file JSON document that is either right or not imported at all: the errors
/// of every field, named by their path in the document.
struct ReferenceFileErrors: Error, Sendable {
    var path: String
    var errors: [FieldError]
}

/// A scorecard: `{"scorecard_id","version","name","total_is_weighted_sum",
/// "criteria":[{"criterion_id","name","max_score","weight","critical"}]}`.
enum ScorecardFile {
    static func scorecard(from document: JSONValue, path: String) throws(ReferenceFileErrors) -> Scorecard {
        guard case .object(let members) = document else {
            throw ReferenceFileErrors(path: path, errors: [FieldError(field: "", reason: "must be a JSON object")])
        }
        var fields = FieldValues(members: members, map: FieldMap())
        var scorecard = Scorecard()
        scorecard.scorecardId = fields.string("scorecard_id")
        scorecard.version = fields.uint32("version", default: nil, range: 1...UInt32.max)
        scorecard.name = fields.string("name", required: false)
        scorecard.totalIsWeightedSum = fields.bool("total_is_weighted_sum", default: false)
        switch fields.value("criteria") {
        case .array(let elements)?:
            for (index, element) in elements.enumerated() {
                guard case .object(let criterionMembers) = element else {
                    fields.append([FieldError(field: "criteria[\(index)]", reason: "must be an object")])
                    continue
                }
                var criterionFields = FieldValues(members: criterionMembers, map: FieldMap(), prefix: "criteria[\(index)].")
                var criterion = Criterion()
                criterion.criterionId = criterionFields.string("criterion_id")
                criterion.name = criterionFields.string("name", required: false)
                criterion.maxScore = criterionFields.double("max_score") ?? 0
                criterion.weight = criterionFields.double("weight", required: false) ?? 0
                criterion.critical = criterionFields.bool("critical", default: false)
                scorecard.criteria.append(criterion)
                fields.append(criterionFields.errors)
            }
        case nil: fields.fail("criteria", "is required")
        case .some: fields.fail("criteria", "must be a list of criteria")
        }
        guard fields.errors.isEmpty else { throw ReferenceFileErrors(path: path, errors: fields.errors) }
        return scorecard
    }
}

/// Metric definitions: a JSON list (or `{"metrics": [...]}`) of `{"metric_id","name",
/// "unit","direction":"higher_is_better|lower_is_better","aggregation":"mean|sum|rate"}`.
enum MetricsFile {
    static func metrics(from document: JSONValue, path: String) throws(ReferenceFileErrors) -> [MetricDefinition] {
        let list: [JSONValue]
        switch document {
        case .array(let elements): list = elements
        case .object where document["metrics"] != nil:
            guard case .array(let elements)? = document["metrics"] else {
                throw ReferenceFileErrors(path: path, errors: [FieldError(field: "metrics", reason: "must be a list")])
            }
            list = elements
        default:
            throw ReferenceFileErrors(path: path, errors: [FieldError(field: "", reason: "must be a JSON list of metric definitions")])
        }
        var errors: [FieldError] = []
        var metrics: [MetricDefinition] = []
        for (index, element) in list.enumerated() {
            guard case .object(let members) = element else {
                errors.append(FieldError(field: "[\(index)]", reason: "must be an object"))
                continue
            }
            var fields = FieldValues(members: members, map: FieldMap(), prefix: "[\(index)].")
            var metric = MetricDefinition()
            metric.metricId = fields.string("metric_id")
            metric.name = fields.string("name", required: false)
            metric.unit = fields.string("unit", required: false)
            metric.direction = fields.choice("direction", as: MetricDirection.self) ?? .unspecified
            metric.aggregation = fields.choice("aggregation", as: MetricAggregation.self) ?? .unspecified
            metrics.append(metric)
            errors += fields.errors
        }
        if list.isEmpty { errors.append(FieldError(field: "", reason: "the list is empty")) }
        guard errors.isEmpty else { throw ReferenceFileErrors(path: path, errors: errors) }
        return metrics
    }
}

/// One year of the center's calendar: `{"time_zone","year","days":[{"date","kind":
/// "working_day|rest_day|holiday|makeup_working_day","name"}]}`. Days not listed follow
/// the weekday rule.
enum CalendarFile {
    static func request(from document: JSONValue, path: String) throws(ReferenceFileErrors) -> PutCalendarRequest {
        guard case .object(let members) = document else {
            throw ReferenceFileErrors(path: path, errors: [FieldError(field: "", reason: "must be a JSON object")])
        }
        var fields = FieldValues(members: members, map: FieldMap())
        var request = PutCalendarRequest()
        request.timeZone = fields.string("time_zone")
        request.year = fields.uint32("year", default: nil, range: 1...9999)
        switch fields.value("days") {
        case .array(let elements)?:
            for (index, element) in elements.enumerated() {
                guard case .object(let dayMembers) = element else {
                    fields.append([FieldError(field: "days[\(index)]", reason: "must be an object")])
                    continue
                }
                var dayFields = FieldValues(members: dayMembers, map: FieldMap(), prefix: "days[\(index)].")
                var day = CalendarDay()
                day.date = dayFields.date("date")
                day.kind = dayFields.choice("kind", as: DayKind.self) ?? .unspecified
                day.name = dayFields.string("name", required: false)
                if let date = LocalDate(parsing: day.date), request.year != 0, date.year != Int(request.year) {
                    dayFields.fail("date", "is not in \(request.year)")
                }
                request.days.append(day)
                fields.append(dayFields.errors)
            }
        case nil: break
        case .some: fields.fail("days", "must be a list of days")
        }
        guard fields.errors.isEmpty else { throw ReferenceFileErrors(path: path, errors: fields.errors) }
        return request
    }
}
