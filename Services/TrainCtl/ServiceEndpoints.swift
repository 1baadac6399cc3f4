import ArgumentParser
import Foundation

/// The three services' sockets: from flags, else the `TRAINING_*_SOCKET` variables, else
/// the paths the run command uses (`var/run/<service>.sock` under the current directory).
struct ServiceEndpoints: ParsableArguments {
    @Option(name: .customLong("intake-socket"), help: "Socket of scoring-intake.")
    var intakeSocket: String?
    @Option(name: .customLong("scheduling-socket"), help: "Socket of training-scheduling.")
    var schedulingSocket: String?
    @Option(name: .customLong("review-socket"), help: "Socket of effectiveness-review.")
    var reviewSocket: String?

    struct Endpoint: Sendable {
        let executableName: String
        let protoServiceName: String
        let socketPath: String
    }

    /// A flag, else a non-empty environment variable, else `var/run/<name>.sock`.
    static func resolve(_ flag: String?, _ variable: String, _ name: String) -> String {
        flag ?? ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? "var/run/\(name).sock"
    }

    var all: [Endpoint] {
        let resolve = ServiceEndpoints.resolve
        return [
            Endpoint(executableName: "scoring-intake", protoServiceName: "training.v1.ScoringIntake",
                     socketPath: resolve(intakeSocket, "TRAINING_INTAKE_SOCKET", "scoring-intake")),
            Endpoint(executableName: "training-scheduling", protoServiceName: "training.v1.TrainingScheduling",
                     socketPath: resolve(schedulingSocket, "TRAINING_SCHEDULING_SOCKET", "training-scheduling")),
            Endpoint(executableName: "effectiveness-review", protoServiceName: "training.v1.EffectivenessReview",
                     socketPath: resolve(reviewSocket, "TRAINING_REVIEW_SOCKET", "effectiveness-review")),
        ]
    }
}
