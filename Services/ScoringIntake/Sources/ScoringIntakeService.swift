import RPCRuntime
import SQLiteStorage
import ServiceKit
import TrainingWire

/// The scoring intake service: scored calls, KPIs and the roster from the QA system; monthly averages and training tiers.
///
/// Why a definition and not a server: the host (ServiceKit) starts every service the
/// same way; this type says only what is particular to this one.
public enum ScoringIntakeService: ServiceDefinition {
    public static let identity = ServiceIdentity(
        executableName: "scoring-intake", protoServiceName: ScoringIntakeMethods.serviceName, environmentPrefix: "TRAINING_INTAKE")

    /// The schema of this service's own database, oldest first. Never edit an applied
    /// migration; add a new one.
    public static let migrations: [Migration] = IntakeSchema.migrations

    public static let producesEvents = true

    public static func registerMethods(in router: inout RPCRouter, environment: ServiceEnvironment) async throws {
        try await IntakeHandlers.load(database: environment.database, clock: environment.clock, outbox: environment.outbox).register(in: &router)
    }
}
