import RPCRuntime
import SQLiteStorage
import ServiceKit
import TrainingWire

/// The training scheduling service: courses, sessions, enrolments and notice memos.
///
/// Why a definition and not a server: the host (ServiceKit) starts every service the
/// same way; this type says only what is particular to this one.
public enum TrainingSchedulingService: ServiceDefinition {
    public static let identity = ServiceIdentity(
        executableName: "training-scheduling", protoServiceName: TrainingSchedulingMethods.serviceName, environmentPrefix: "TRAINING_SCHEDULING")

    /// The schema of this service's own database, oldest first. Never edit an applied
    /// migration; add a new one.
    public static let migrations: [Migration] = [
        IdempotentWrites.migration,
        Migration(version: 2, name: "event inbox and the intake's tiers and roster", sql: EventInbox.schema + IntakeReplica.schema),
        Migration(version: 3, name: "catalogue, trainers, rooms, drafts and published plans", sql: SchedulingRepository.schema),
    ]

    /// The intake's closed months and roster changes, kept in this service's own database.
    public static func eventEffects(environment: ServiceEnvironment) -> [String: EventEffect] {
        IntakeReplica.effects
    }

    public static func registerMethods(in router: inout RPCRouter, environment: ServiceEnvironment) async throws {
        SchedulingHandlers(database: environment.database, clock: environment.clock).register(in: &router)
    }
}
