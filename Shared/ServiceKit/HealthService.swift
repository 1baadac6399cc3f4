import NIOCore
import RPCRuntime
import TrainingWire

/// Answers `/training.v1.Health/Check` for one service process.
///
/// Why it answers from memory: a health probe runs every few seconds from every
/// supervisor; it must never queue behind storage work. The database is opened and
/// migrated before the socket exists, so a process that answers has a usable database.
public struct HealthService: Sendable {
    public let protoServiceName: String
    public let schemaVersion: Int
    public let clock: ServiceClock
    private let started: NIODeadline

    public init(protoServiceName: String, schemaVersion: Int, clock: ServiceClock) {
        self.protoServiceName = protoServiceName
        self.schemaVersion = schemaVersion
        self.clock = clock
        self.started = .now()
    }

    public func check(_ request: HealthCheckRequest) -> HealthCheckResponse {
        let known = ["", protoServiceName, HealthMethods.serviceName]
        let uptime = NIODeadline.now() - started
        return HealthCheckResponse(
            status: known.contains(request.service) ? .serving : .serviceUnknown,
            service: protoServiceName,
            version: ServiceVersion.current,
            schemaVersion: UInt32(clamping: schemaVersion),
            uptimeMs: UInt64(max(0, uptime.nanoseconds / 1_000_000)),
            clockUnixMs: Int64(clock.now().timeIntervalSince1970 * 1000))
    }

    /// Adds the Health method to `router`; it runs on the event loop.
    public func register(in router: inout RPCRouter) {
        router.register(HealthMethods.check) { request, context in
            context.eventLoop.makeSucceededFuture(self.check(request))
        }
    }
}
