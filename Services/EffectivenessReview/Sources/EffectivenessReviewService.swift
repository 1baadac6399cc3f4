import Foundation
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
        Migration(version: 3, name: "follow-up meetings", sql: FollowUpRepository.schema),
    ]

    /// The intake's closed months and roster changes, kept in this service's own database;
    /// the scheduling service's `SessionCompleted`, which makes each attendee's follow-up
    /// meeting due.
    public static func eventEffects(environment: ServiceEnvironment) -> [String: EventEffect] {
        var effects = IntakeReplica.effects
        // A bad setting stops the start in `registerMethods` (exit 78); here the defaults
        // only stand in so that the signature need not throw.
        let settings = (try? settings(environment)) ?? ReviewSettings()
        effects[SessionCompleted.protoName] = FollowUpRepository.sessionCompletedEffect(policy: settings.policy)
        return effects
    }

    public static func registerMethods(in router: inout RPCRouter, environment: ServiceEnvironment) async throws {
        let settings = try settings(environment)
        FollowUpHandlers(database: environment.database, clock: environment.clock, settings: settings).register(in: &router)
    }

    static func settings(_ environment: ServiceEnvironment) throws(StartupError) -> ReviewSettings {
        do {
            return try ReviewSettings.resolve(policies: environment.configuration.policies, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw StartupError.configuration(error)
        }
    }
}
