import ArgumentParser
import ScoringIntake
import ServiceKit

/// `scoring-intake`: reads its configuration and runs the service until SIGTERM or SIGINT.
@main
struct ScoringIntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scoring-intake",
        abstract: "The scoring intake service: scored calls, KPIs and the roster from the QA system; monthly averages and training tiers.",
        version: ServiceVersion.current)

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceHost.main(ScoringIntakeService.self, options: options)
    }
}
