import ArgumentParser
import TrainingWire

/// The service takes at most this many records per batch call.
private let largestBatch = 10_000

private func validateBatchSize(_ size: Int) throws {
    guard (1...largestBatch).contains(size) else { throw ValidationError("--batch-size must be from 1 to \(largestBatch)") }
}

/// Parses `--map` arguments, or says what is wrong and exits 1.
private func loadFieldMap(_ arguments: [String], knownNames: [String]) throws -> FieldMap {
    do {
        return try FieldMap(arguments: arguments, knownNames: knownNames)
    } catch {
        StandardError.line("error: \(error)")
        throw ExitCode.failure
    }
}

/// `trainctl intake import-roster FILE`
struct ImportRosterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-roster",
        abstract: "Import the roster (agents, teams, status) from CSV.",
        discussion: """
            Columns, in any order: agent_id, name, team_id, team_leader_id, department, site, \
            hire_date, status (onboarding|in_service|left), left_on; optional queue and \
            effective_date. Dates are YYYY-MM-DD. Rows are sent in file order: list an agent's \
            history oldest first. A .jsonl file of the same fields (such as a rejects file) is \
            read as JSON Lines.
            """)

    @Argument(help: "The roster CSV file.")
    var file: String
    @Option(name: .customLong("effective-date"), help: "YYYY-MM-DD from which every row holds (wins over an effective_date column).")
    var effectiveDate: String?
    @Option(name: .customLong("format"), help: "jsonl or csv (default: from the extension, else csv).")
    var format: InputFormat?
    @Option(name: .customLong("map"), help: "Rename a column: theirs=ours (repeatable).")
    var map: [String] = []
    @Option(name: .customLong("batch-size"), help: "Agents per call.")
    var batchSize = 5_000
    @OptionGroup var importOptions: ImportOptions
    @OptionGroup var endpoint: IntakeEndpoint

    func validate() throws {
        try validateBatchSize(batchSize)
        if let effectiveDate { _ = try validatedDate(effectiveDate, "--effective-date") }
    }

    func run() async throws {
        let format = (try? InputFormat.of(path: file, explicit: format)) ?? .csv
        let effectiveDate = effectiveDate
        let map = map
        let fieldMap = try loadFieldMap(map, knownNames: RosterCSV.knownColumns)
        let input = try loadInput { () throws(InputFileError) in
            try RosterCSV.parse(path: file, bytes: try InputFiles.read(file), format: format, map: fieldMap, effectiveDate: effectiveDate)
        }
        try await BatchImport(
            command: "import-roster", noun: "roster entries", method: ScoringIntakeMethods.upsertRoster, batchSize: batchSize,
            fingerprint: "format=\(format.rawValue);map=\(map.joined(separator: ";"));effective=\(effectiveDate ?? "")",
            makeRequest: { UpsertRosterRequest(agents: $0) }, fieldMap: fieldMap
        ).run(input, endpoint: endpoint, options: importOptions)
    }
}

/// `trainctl intake import-evaluations FILE`
struct ImportEvaluationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-evaluations",
        abstract: "Import scored calls from JSON Lines or CSV.",
        discussion: """
            JSON Lines, one evaluation per line: evaluation_id, revision (default 1), agent_id, \
            call_id, evaluator_id, call_started_at and scored_at (RFC 3339 with a UTC offset), \
            scorecard_id, scorecard_version (default 1 with a scorecard), total_score, channel \
            (voice|chat|email), items [{criterion_id, name, score, max_score, critical}]. CSV: \
            the same columns without items. Lines that cannot be read are not sent; they and the \
            lines the service rejects go to the rejects file, which can be fixed and imported \
            again. Re-running the same import is safe.
            """)

    @Argument(help: "The evaluations file (.jsonl or .csv).")
    var file: String
    @Option(name: .customLong("format"), help: "jsonl or csv (default: from the extension).")
    var format: InputFormat?
    @Option(name: .customLong("map"), help: "Rename another QA system's field or column: theirs=ours (repeatable).")
    var map: [String] = []
    @Option(name: .customLong("batch-size"), help: "Evaluations per call.")
    var batchSize = 1_000
    @OptionGroup var importOptions: ImportOptions
    @OptionGroup var endpoint: IntakeEndpoint

    func validate() throws {
        try validateBatchSize(batchSize)
    }

    func run() async throws {
        let explicitFormat = format
        let map = map
        var chosenFormat = InputFormat.jsonl
        let fieldMap = try loadFieldMap(map, knownNames: EvaluationFile.mappableNames)
        let input = try loadInput { () throws(InputFileError) in
            chosenFormat = try InputFormat.of(path: file, explicit: explicitFormat)
            return try EvaluationFile.parse(path: file, bytes: try InputFiles.read(file), format: chosenFormat, map: fieldMap)
        }
        try await BatchImport(
            command: "import-evaluations", noun: "evaluations", method: ScoringIntakeMethods.submitEvaluations, batchSize: batchSize,
            fingerprint: "format=\(chosenFormat.rawValue);map=\(map.joined(separator: ";"))",
            makeRequest: { SubmitEvaluationsRequest(evaluations: $0) }, fieldMap: fieldMap
        ).run(input, endpoint: endpoint, options: importOptions)
    }
}

/// `trainctl intake import-kpis FILE`
struct ImportKpisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-kpis",
        abstract: "Import operational KPI samples from CSV.",
        discussion: """
            Columns, in any order: agent_id, metric_id (a defined metric), period_start, \
            period_end (YYYY-MM-DD, inclusive), value. A .jsonl file of the same fields is read \
            as JSON Lines.
            """)

    @Argument(help: "The KPI CSV file.")
    var file: String
    @Option(name: .customLong("format"), help: "jsonl or csv (default: from the extension, else csv).")
    var format: InputFormat?
    @Option(name: .customLong("map"), help: "Rename a column: theirs=ours (repeatable).")
    var map: [String] = []
    @Option(name: .customLong("batch-size"), help: "Samples per call.")
    var batchSize = 5_000
    @OptionGroup var importOptions: ImportOptions
    @OptionGroup var endpoint: IntakeEndpoint

    func validate() throws {
        try validateBatchSize(batchSize)
    }

    func run() async throws {
        let format = (try? InputFormat.of(path: file, explicit: format)) ?? .csv
        let map = map
        let fieldMap = try loadFieldMap(map, knownNames: KpiCSV.requiredColumns)
        let input = try loadInput { () throws(InputFileError) in
            try KpiCSV.parse(path: file, bytes: try InputFiles.read(file), format: format, map: fieldMap)
        }
        try await BatchImport(
            command: "import-kpis", noun: "KPI samples", method: ScoringIntakeMethods.submitKpiSamples, batchSize: batchSize,
            fingerprint: "format=\(format.rawValue);map=\(map.joined(separator: ";"))",
            makeRequest: { SubmitKpiSamplesRequest(samples: $0) }, fieldMap: fieldMap
        ).run(input, endpoint: endpoint, options: importOptions)
    }
}
