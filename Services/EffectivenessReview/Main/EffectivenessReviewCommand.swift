import ArgumentParser
import EffectivenessReview
import ServiceKit

/// `effectiveness-review`: reads its configuration and runs the service until SIGTERM or SIGINT.
@main
struct EffectivenessReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "effectiveness-review",
        abstract: "The effectiveness review service: targets, follow-up meetings and whether training worked.",
        version: ServiceVersion.current)

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceHost.main(EffectivenessReviewService.self, options: options)
    }
}
