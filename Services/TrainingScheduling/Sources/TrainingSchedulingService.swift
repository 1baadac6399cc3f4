import Foundation
import RPCRuntime
import SQLiteStorage
import ServiceKit
import ServiceLifecycle
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
        Migration(
            version: 4, name: "queues, shifts, forecasts, enrolments, sign-ups, session changes",
            sql: WorkforceRepository.schema + EnrolmentRepository.schema),
        Migration(version: 5, name: "notices, goals, attendance; the outbox of this service's events", sql: NoticeRepository.schema + EventOutbox.schema),
        Migration(version: 6, name: "coaching work", sql: CoachingRepository.schema),
    ]

    /// SessionCompleted and CoachingDelivered, for the effectiveness review.
    public static var producesEvents: Bool { true }

    /// The intake's closed months and roster changes, kept in this service's own database;
    /// a closed month also confirms next month's enrolment (in the same transaction).
    public static func eventEffects(environment: ServiceEnvironment) -> [String: EventEffect] {
        var effects = IntakeReplica.effects
        let settings = (try? settings(environment)) ?? SchedulingSettings()
        let clock = environment.clock, logger = environment.logger
        effects[MonthClosed.protoName] = { envelope, db in
            try IntakeReplica.applyMonthClosed(envelope, db)
            let now = Int64((clock.now().timeIntervalSince1970 * 1000).rounded(.down))
            try EnrolmentBuilder.confirm(envelope, settings: settings, now: now, logger: logger, db)
        }
        effects[CoachingRequested.protoName] = CoachingRepository.coachingRequestedEffect(settings: settings, clock: clock)
        return effects
    }

    public static func registerMethods(in router: inout RPCRouter, environment: ServiceEnvironment) async throws {
        let settings = try settings(environment)
        let builder = EnrolmentBuilder(database: environment.database, clock: environment.clock, settings: settings)
        SchedulingHandlers(database: environment.database, clock: environment.clock).register(in: &router)
        WorkforceHandlers(database: environment.database, clock: environment.clock).register(in: &router)
        EnrolmentHandlers(database: environment.database, clock: environment.clock, builder: builder).register(in: &router)
        NoticeHandlers(database: environment.database, clock: environment.clock, settings: settings).register(in: &router)
        AttendanceHandlers(database: environment.database, clock: environment.clock, settings: settings, outbox: environment.outbox)
            .register(in: &router)
        CoachingHandlers(database: environment.database, clock: environment.clock, settings: settings, outbox: environment.outbox).register(in: &router)
    }

    /// The provisional placement on the provisional day (see `ProvisionalPlacement`).
    public static func backgroundServices(environment: ServiceEnvironment) throws -> [any Service] {
        let builder = EnrolmentBuilder(database: environment.database, clock: environment.clock, settings: try settings(environment))
        return [ProvisionalPlacement(builder: builder, logger: environment.logger)]
    }

    static func settings(_ environment: ServiceEnvironment) throws(StartupError) -> SchedulingSettings {
        do {
            return try SchedulingSettings.resolve(
                policies: environment.configuration.policies, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw StartupError.configuration(error)
        }
    }
}
