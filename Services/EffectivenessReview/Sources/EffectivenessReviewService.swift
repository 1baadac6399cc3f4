import RPCRuntime
import SQLiteStorage
import ServiceKit
import TrainingWire

/// The effectiveness review service: targets, follow-up meetings and whether training worked.
///
/// Why a definition and not a server: the host (ServiceKit) starts every service the
/// same way; this type says only what is particular to this one.
public enum EffectivenessReviewService: ServiceDefinition {
    public static let identity = ServiceIdentity(
        executableName: "effectiveness-review", protoServiceName: EffectivenessReviewMethods.serviceName, environmentPrefix: "TRAINING_REVIEW")

    /// The schema of this service's own database, oldest first. Never edit an applied
    /// migration; add a new one.
    public static let migrations: [Migration] = [
        IdempotentWrites.migration,
        Migration(version: 2, name: "event inbox and the intake's tiers and roster", sql: EventInbox.schema + IntakeReplica.schema),
    ]

    /// The intake's closed months and roster changes, kept in this service's own database.
    public static func eventEffects(environment: ServiceEnvironment) -> [String: EventEffect] {
        IntakeReplica.effects
    }

    public static func registerMethods(in router: inout RPCRouter, environment: ServiceEnvironment) async throws {
        // The methods of EffectivenessReviewMethods are registered here as they are built.
    }
}
