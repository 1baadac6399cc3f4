import TrainingWire

/// Scored calls from a QA system, as JSON Lines or CSV.
///
/// JSON Lines, one evaluation per line:
/// `{"evaluation_id","revision","agent_id","call_id","evaluator_id","call_started_at",
/// "scored_at","scorecard_id","scorecard_version","total_score","channel",
/// "items":[{"criterion_id","name","score","max_score","critical"}]}`. Times are RFC 3339
/// with a UTC offset; channel is voice, chat or email; `revision` defaults to 1;
/// `scorecard_version` defaults to 1 when `scorecard_id` is set. CSV has the same columns
/// without items (totals-only exports).
enum EvaluationFile {
    static let fieldNames = [
        "evaluation_id", "revision", "agent_id", "call_id", "evaluator_id", "call_started_at", "scored_at",
        "scorecard_id", "scorecard_version", "total_score", "channel", "items",
    ]
    static let itemFieldNames = ["criterion_id", "name", "score", "max_score", "critical"]
    static let requiredCSVColumns = ["evaluation_id", "agent_id", "call_started_at", "scored_at", "total_score", "channel"]

    /// What --map may rename to: fields of an evaluation and of its items.
    static var mappableNames: [String] { fieldNames + itemFieldNames.filter { !fieldNames.contains($0) } }

    static func parse(path: String, bytes: [UInt8], format: InputFormat, map: FieldMap) throws(InputFileError) -> InputFile<Evaluation> {
        switch format {
        case .jsonl:
            return InputFiles.jsonLines(path: path, bytes: bytes, map: map.restricted(to: fieldNames)) { fields in
                let evaluation = evaluation(from: &fields, map: map)
                return (evaluation.evaluationId, evaluation)
            }
        case .csv:
            return try InputFiles.csv(
                path: path, bytes: bytes, map: map, required: requiredCSVColumns, known: fieldNames.filter { $0 != "items" }
            ) { fields in
                let evaluation = evaluation(from: &fields, map: map)
                return (evaluation.evaluationId, evaluation)
            }
        }
    }

    /// The evaluation a record describes; problems are collected in `fields.errors`.
    static func evaluation(from fields: inout FieldValues, map: FieldMap) -> Evaluation {
        var evaluation = Evaluation()
        evaluation.evaluationId = fields.string("evaluation_id", maximumLength: 128)
        evaluation.revision = fields.uint32("revision", default: 1, range: 1...UInt32.max)
        evaluation.agentId = fields.string("agent_id", maximumLength: 64)
        evaluation.callId = fields.string("call_id", required: false)
        evaluation.evaluatorId = fields.string("evaluator_id", required: false)
        evaluation.callStartedAtUnixMs = fields.instant("call_started_at")
        evaluation.scoredAtUnixMs = fields.instant("scored_at")
        evaluation.scorecardId = fields.string("scorecard_id", required: false)
        evaluation.scorecardVersion = fields.uint32(
            "scorecard_version", default: evaluation.scorecardId.isEmpty ? 0 : 1, range: evaluation.scorecardId.isEmpty ? 0...UInt32.max : 1...UInt32.max)
        evaluation.totalScore = fields.double("total_score") ?? 0
        evaluation.channel = fields.choice("channel", as: ContactChannel.self) ?? .unspecified

        switch fields.value("items") {
        case nil: break
        case .array(let elements)?:
            for (index, element) in elements.enumerated() {
                guard case .object(let members) = element else {
                    fields.append([FieldError(field: fields.displayName("items") + "[\(index)]", reason: "must be an object")])
                    continue
                }
                var itemFields = FieldValues(
                    members: members, map: map.restricted(to: itemFieldNames), prefix: fields.displayName("items") + "[\(index)].")
                evaluation.items.append(item(from: &itemFields))
                fields.append(itemFields.errors)
            }
        case .some:
            fields.fail("items", "must be a list of item scores")
        }
        return evaluation
    }

    static func item(from fields: inout FieldValues) -> ItemScore {
        var item = ItemScore()
        item.criterionId = fields.string("criterion_id")
        item.name = fields.string("name", required: false)
        item.score = fields.double("score") ?? 0
        item.maxScore = fields.double("max_score") ?? 0
        item.critical = fields.bool("critical", default: false)
        return item
    }
}
