import ArgumentParser

/// `trainctl intake …`: the scoring intake service, for people (tables) and scripts
/// (`--json`, `--csv`, exit codes).
///
/// Exit codes of every subcommand: 0 done; 1 the service could not be reached, answered
/// an error, or a file could not be read; 2 `--strict` and some record was rejected;
/// 64 a usage error.
struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "Import QA scores, KPIs and reference data; close months and read tiers.",
        subcommands: [
            ImportRosterCommand.self, ImportEvaluationsCommand.self, ImportKpisCommand.self,
            ImportScorecardCommand.self, ImportMetricsCommand.self, ImportCalendarCommand.self,
            VoidCommand.self, CloseMonthCommand.self, TiersCommand.self, WatchListCommand.self,
            ScoresCommand.self, AveragesCommand.self, PolicyCommand.self, SetPolicyCommand.self,
        ])
}

/// Where scoring-intake listens and how long to wait for it.
struct IntakeEndpoint: ParsableArguments, ServiceTarget {
    @Option(name: .customLong("intake-socket"),
            help: "Socket of scoring-intake (default: $TRAINING_INTAKE_SOCKET, else var/run/scoring-intake.sock).")
    var intakeSocket: String?
    @Option(name: .customLong("timeout-ms"), help: "How long to wait for each call, in milliseconds.")
    var timeoutMs: Int64 = 60_000

    var socketPath: String { ServiceEndpoints.resolve(intakeSocket, "TRAINING_INTAKE_SOCKET", "scoring-intake") }
    var serviceName: String { "scoring-intake" }
    var socketHint: String { "--intake-socket or TRAINING_INTAKE_SOCKET" }

    func validate() throws {
        guard timeoutMs > 0 else { throw ValidationError("--timeout-ms must be positive") }
    }
}
