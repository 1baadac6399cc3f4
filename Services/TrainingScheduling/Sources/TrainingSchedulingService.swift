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
    public static let migrations: [Migration] = []

    public static func registerMethods(in router: inout RPCRouter, environment: ServiceEnvironment) throws {
        // The methods of TrainingSchedulingMethods are registered here as they are built.
    }
}
