import ArgumentParser
import TrainingScheduling
import ServiceKit

/// `training-scheduling`: reads its configuration and runs the service until SIGTERM or SIGINT.
@main
struct TrainingSchedulingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training-scheduling",
        abstract: "The training scheduling service: courses, sessions, enrolments and notice memos.",
        version: ServiceVersion.current)

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceHost.main(TrainingSchedulingService.self, options: options)
    }
}
