import ArgumentParser
import TrainingWire

/// Reads a whole-file JSON reference document, or prints every problem and exits 1.
private func loadReference<Value>(_ path: String, _ convert: (JSONValue, String) throws(ReferenceFileErrors) -> Value) throws -> Value {
    let document: JSONValue
    do {
        document = try InputFiles.readJSON(path)
    } catch {
        StandardError.line("error: \(error)")
        throw ExitCode.failure
    }
    do {
        return try convert(document, path)
    } catch {
        StandardError.line("error: \(path) was not imported:")
        for problem in error.errors {
            StandardError.line("  \(problem.field.isEmpty ? "(document)" : problem.field): \(problem.reason)")
        }
        throw ExitCode.failure
    }
}

/// Reference data is imported with a key derived from its content: sending the same file
/// twice is answered from the first call.
private func contentKey(_ command: String, _ path: String) -> String {
    let bytes = (try? InputFiles.read(path)) ?? []
    return "\(command):" + String(SHA256.hex(bytes).prefix(32))
}

/// `trainctl intake import-scorecard FILE`
struct ImportScorecardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-scorecard",
        abstract: "Import a scorecard version (its criteria, maximum scores and weights).",
        discussion: """
            JSON: {"scorecard_id", "version", "name", "total_is_weighted_sum", "criteria": \
            [{"criterion_id", "name", "max_score", "weight", "critical"}]}. A stored version never \
            changes: the same content again is fine, different content is refused.
            """)

    @Argument(help: "The scorecard JSON file.")
    var file: String
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: IntakeEndpoint
    @Flag(name: .customLong("dry-run"), help: ArgumentHelp("Check the file; send nothing.", visibility: .hidden))
    var dryRun = false

    func run() async throws {
        let scorecard = try loadReference(file, ScorecardFile.scorecard)
        var created = false
        if !dryRun {
            let key = contentKey("import-scorecard", file)
            created = try await withService(endpoint) { session in
                try await session.call(ScoringIntakeMethods.putScorecard, PutScorecardRequest(scorecard: scorecard), idempotencyKey: key)
            }.created
        }
        if output.json {
            printJSON(.object([
                "scorecard_id": .string(scorecard.scorecardId), "version": .integer(Int64(scorecard.version)),
                "criteria": .integer(Int64(scorecard.criteria.count)), "dry_run": .bool(dryRun), "created": .bool(created),
            ]))
        } else {
            let what = "scorecard \(scorecard.scorecardId) version \(scorecard.version) (\(scorecard.criteria.count) criteria)"
            print(dryRun ? "\(file): \(what) is well formed (dry run: nothing sent)"
                : created ? "Stored \(what)." : "\(what) was already stored, identical: nothing changed.")
        }
    }
}

/// `trainctl intake import-metrics FILE`
struct ImportMetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-metrics",
        abstract: "Import KPI metric definitions.",
        discussion: """
            JSON list of {"metric_id", "name", "unit", "direction": "higher_is_better|lower_is_better", \
            "aggregation": "mean|sum|rate"}.
            """)

    @Argument(help: "The metrics JSON file.")
    var file: String
    @Flag(name: .long, help: "Exit 2 if the service rejected any metric.")
    var strict = false
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: IntakeEndpoint
    @Flag(name: .customLong("dry-run"), help: ArgumentHelp("Check the file; send nothing.", visibility: .hidden))
    var dryRun = false

    func run() async throws {
        let metrics = try loadReference(file, MetricsFile.metrics)
        guard !dryRun else {
            if output.json {
                printJSON(.object(["file": .string(file), "dry_run": .bool(true), "metrics": .integer(Int64(metrics.count))]))
            } else {
                print("\(file): \(metrics.count) metric definitions, well formed (dry run: nothing sent)")
            }
            return
        }
        let key = contentKey("import-metrics", file)
        let response = try await withService(endpoint) { session in
            try await session.call(ScoringIntakeMethods.putMetricDefinitions, PutMetricDefinitionsRequest(metrics: metrics), idempotencyKey: key)
        }
        if output.json {
            printJSON(response.json)
        } else {
            print(Table(header: ["METRIC", "OUTCOME", "PROBLEMS"], rows: response.results.map { result in
                [result.id, result.outcome.cliName ?? "-",
                 result.violations.map { "\($0.subject): \($0.description)" }.joined(separator: "; ")]
            }).rendered)
        }
        if strict, response.rejected > 0 { throw ExitCode(2) }
    }
}

/// `trainctl intake import-calendar FILE…`
struct ImportCalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-calendar",
        abstract: "Import the center's calendar, one year per file (time zone, holidays, make-up working days).",
        discussion: """
            JSON: {"time_zone": "Asia/Shanghai", "year": 2026, "days": [{"date", "kind": \
            "working_day|rest_day|holiday|makeup_working_day", "name"}]}. Days not listed follow \
            the weekday rule. Importing a year replaces what was stored for it.
            """)

    @Argument(help: "One calendar JSON file per year.")
    var files: [String]
    @OptionGroup var output: JSONOutput
    @OptionGroup var endpoint: IntakeEndpoint
    @Flag(name: .customLong("dry-run"), help: ArgumentHelp("Check the files; send nothing.", visibility: .hidden))
    var dryRun = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one calendar file") }
    }

    func run() async throws {
        let requests = try files.map { try loadReference($0, CalendarFile.request) }
        var workingDays: [UInt32?] = Array(repeating: nil, count: requests.count)
        if !dryRun {
            let files = files
            workingDays = try await withService(endpoint) { session in
                var answers: [UInt32?] = []
                for (file, request) in zip(files, requests) {
                    let key = contentKey("import-calendar", file)
                    answers.append(try await session.call(ScoringIntakeMethods.putCalendar, request, idempotencyKey: key).workingDays)
                }
                return answers
            }
        }
        if output.json {
            printJSON(.object([
                "dry_run": .bool(dryRun),
                "years": .array(zip(requests, workingDays).map { request, days in
                    .object([
                        "year": .integer(Int64(request.year)), "time_zone": .string(request.timeZone),
                        "days_listed": .integer(Int64(request.days.count)),
                        "working_days": days.map { .integer(Int64($0)) } ?? .null,
                    ])
                }),
            ]))
        } else {
            for (request, days) in zip(requests, workingDays) {
                let listed = "\(request.year) (\(request.timeZone)): \(request.days.count) days listed"
                print(days.map { "Stored \(listed), \($0) working days in the year." } ?? "\(listed), well formed (dry run: nothing sent)")
            }
        }
    }
}
