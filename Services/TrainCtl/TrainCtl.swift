import ArgumentParser

/// `trainctl`: the command line of the training product, for people (tables) and
/// scripts (`--json`, exit codes).
@main
struct TrainCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainctl",
        abstract: "Operate the call-center training services.",
        version: "0.1.0",
        subcommands: [HealthCommand.self, IntakeCommand.self, ScheduleCommand.self, AdminCommand.self, DemoCommand.self])
}
