import ArgumentParser
import Foundation
import Logging
import NIOCore
import RPCRuntime
import SQLiteStorage
import ServiceLifecycle
import TrainingWire

/// What a bounded context hands the host: its identity, its schema and its methods.
///
/// Why a protocol: the three services start, stop, log, migrate and answer health checks
/// the same way; only these three things differ. Tests use the same host, so a test
/// server is started exactly as production starts it.
public protocol ServiceDefinition {
    static var identity: ServiceIdentity { get }
    /// The service's schema, applied in order at start.
    static var migrations: [Migration] { get }
    /// Registers the service's own methods (Health is added by the host).
    static func registerMethods(in router: inout RPCRouter, environment: ServiceEnvironment) async throws
    /// The effects of the events this service consumes, by event type. A service with any
    /// serves `/training.v1.EventInbox/Deliver`; its migrations must include `EventInbox.schema`.
    static func eventEffects(environment: ServiceEnvironment) -> [String: EventEffect]
    /// Whether this service writes events to its outbox. A service that does serves
    /// `/training.v1.EventAdmin/*` (list deliveries, replay an event); its migrations must
    /// include `EventOutbox.schema` and `IdempotentWrites.migration`.
    static var producesEvents: Bool { get }
    /// Work the service does by itself besides answering calls (e.g. a daily job), started
    /// after the server and stopped before it.
    static func backgroundServices(environment: ServiceEnvironment) throws -> [any Service]
}

extension ServiceDefinition {
    public static func eventEffects(environment: ServiceEnvironment) -> [String: EventEffect] { [:] }
    public static var producesEvents: Bool { false }
    public static func backgroundServices(environment: ServiceEnvironment) throws -> [any Service] { [] }
}

/// What handlers of a service may use.
public struct ServiceEnvironment: Sendable {
    public let configuration: ServiceConfiguration
    public let database: SQLiteDatabase
    public let clock: ServiceClock
    public let logger: Logger
    /// Where the service writes the events it produces (its migrations must include
    /// `EventOutbox.schema` if it writes any); delivered to the configured consumers.
    public let outbox: EventOutbox
}

/// Why a service did not start; printed on stderr before the process exits non-zero.
public struct StartupError: Error, CustomStringConvertible {
    public let description: String
    public let exitCode: Int32

    public init(description: String, exitCode: Int32) {
        self.description = description
        self.exitCode = exitCode
    }

    /// A setting the service cannot use: exit 78 (EX_CONFIG), as for the host's own settings.
    public static func configuration(_ error: ConfigurationError) -> StartupError {
        StartupError(description: "configuration error: \(error)", exitCode: 78)
    }
}

/// Starts a service: configuration, logging, database, socket, signals.
public enum ServiceHost {
    /// The body of every service executable's `main`. Exits 78 on bad configuration,
    /// 1 when the database or the socket cannot be had, 0 after a graceful shutdown.
    public static func main<Definition: ServiceDefinition>(_ definition: Definition.Type, options: ServiceOptions) async throws {
        let identity = Definition.identity
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.resolve(
                identity: identity, options: options, environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("\(identity.executableName): configuration error: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        do {
            try await run(definition, configuration: configuration)
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("\(identity.executableName): \(error.description)\n".utf8))
            throw ExitCode(error.exitCode)
        }
    }

    /// Runs the service until SIGTERM or SIGINT, then shuts it down gracefully.
    /// `onListening` is called once the socket accepts connections.
    public static func run<Definition: ServiceDefinition>(
        _ definition: Definition.Type,
        configuration: ServiceConfiguration,
        onListening: @escaping @Sendable () -> Void = {}
    ) async throws {
        let identity = Definition.identity
        let logger = Logger(label: identity.executableName)
        let database = try openDatabase(identity: identity, migrations: Definition.migrations, configuration: configuration, logger: logger)
        defer { database.close() }

        let clock = configuration.clockStart.map { ServiceClock(startingAt: $0) } ?? .system
        let outbox = EventOutbox(producer: identity.protoServiceName, consumers: configuration.eventConsumers)
        let environment = ServiceEnvironment(configuration: configuration, database: database, clock: clock, logger: logger, outbox: outbox)
        var router = RPCRouter()
        HealthService(protoServiceName: identity.protoServiceName, schemaVersion: database.schemaVersion, clock: clock)
            .register(in: &router)
        try await Definition.registerMethods(in: &router, environment: environment)
        let effects = Definition.eventEffects(environment: environment)
        if !effects.isEmpty {
            EventInbox(effects: effects).register(in: &router, database: database, clock: clock)
        }
        if Definition.producesEvents {
            EventAdmin(producer: outbox.producer).register(in: &router, database: database, clock: clock)
        }

        var serverConfiguration = RPCServerConfiguration(socketPath: configuration.socketPath)
        serverConfiguration.socketMode = configuration.socketMode
        serverConfiguration.maximumFrameBytes = configuration.maximumFrameBytes
        serverConfiguration.limits.defaultTimeout = .milliseconds(Int64(configuration.defaultTimeoutMilliseconds))
        serverConfiguration.limits.maximumTimeout = .milliseconds(Int64(configuration.maximumTimeoutMilliseconds))
        serverConfiguration.limits.shutdownGracePeriod = .milliseconds(Int64(configuration.shutdownGraceMilliseconds))
        let server = RPCServer(configuration: serverConfiguration, router: router, logger: logger) {
            logger.info("ready", metadata: [
                "service": "\(identity.protoServiceName)", "socket": "\(configuration.socketPath)",
                "database": "\(configuration.databasePath)", "schema_version": "\(database.schemaVersion)",
            ])
            onListening()
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: server, successTerminationBehavior: .gracefullyShutdownGroup)
        ]
        if !outbox.consumers.isEmpty {
            // Started after the server and so stopped before it.
            var settings = EventDelivery.Settings()
            settings.maximumRejections = configuration.eventMaximumRejections
            services.append(.init(service: EventDelivery(outbox: outbox, database: database, clock: clock, settings: settings, logger: logger)))
        }
        for service in try Definition.backgroundServices(environment: environment) {
            services.append(.init(service: service))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await group.run()
        } catch let error as SocketClaimError {
            throw StartupError(description: "cannot listen: \(error)", exitCode: 1)
        } catch let error as ServiceGroupError {
            // The group wraps a failing service's error; unwrap the socket claim case.
            throw StartupError(description: "stopped: \(error)", exitCode: 1)
        }
    }

    private static func openDatabase(
        identity: ServiceIdentity, migrations: [Migration], configuration: ServiceConfiguration, logger: Logger
    ) throws -> SQLiteDatabase {
        do {
            try DatabaseOwnership.claim(path: configuration.databasePath, service: identity.protoServiceName)
            var storage = SQLiteDatabase.Configuration()
            storage.synchronous = configuration.synchronousFull ? .full : .normal
            return try SQLiteDatabase(path: configuration.databasePath, migrations: migrations, configuration: storage, logger: logger)
        } catch let error as StartupError {
            throw error
        } catch {
            throw StartupError(description: "cannot open database \(configuration.databasePath): \(error)", exitCode: 1)
        }
    }
}

/// Marks a database file as one service's own.
///
/// Why: every service has its own file, and a mistyped `--database` pointing one service
/// at another's file would apply the wrong migrations to it. The first service to open a
/// file writes its name into it; any other service refuses the file.
enum DatabaseOwnership {
    static func claim(path: String, service: String) throws {
        let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeoutMilliseconds: 5000, synchronous: .full)
        defer { try? connection.close() }
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS service_identity (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                service TEXT NOT NULL
            );
            INSERT OR IGNORE INTO service_identity (singleton, service) VALUES (1, '\(service)');
            """)
        let owners = try connection.query("SELECT service FROM service_identity WHERE singleton = 1", []) { $0.text(at: 0) }
        if let owner = owners.first, owner != service {
            throw StartupError(description: "database \(path) belongs to \(owner), not \(service); give each service its own --database", exitCode: 1)
        }
    }
}
