import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Where and how a server listens.
public struct RPCServerConfiguration: Sendable {
    public var socketPath: String
    /// The socket file's permission bits; group members may connect, others may not.
    public var socketMode: UInt32 = 0o660
    public var maximumFrameBytes: Int = defaultMaximumFrameBytes
    public var limits = CallLimits()

    public init(socketPath: String) {
        self.socketPath = socketPath
    }
}

/// A gRPC-style server on one Unix domain socket, run as a `Service` of a `ServiceGroup`.
///
/// Why a service: swift-service-lifecycle delivers SIGTERM and SIGINT as a graceful
/// shutdown. The server then closes its listener, lets calls in flight finish within the
/// grace period while answering new ones UNAVAILABLE (NIOExtras' `ServerQuiescingHelper`),
/// removes its socket file and returns, so the process exits 0.
public final class RPCServer: Service, Sendable {
    public let configuration: RPCServerConfiguration
    private let router: RPCRouter
    private let authorizer: any CallAuthorizer
    private let auditor: any CallAuditor
    private let logger: Logger
    private let group: any EventLoopGroup
    private let onListening: @Sendable () -> Void

    public init(
        configuration: RPCServerConfiguration,
        router: RPCRouter,
        authorizer: any CallAuthorizer = AllowAllAuthorizer(),
        auditor: any CallAuditor = LoggingAuditor(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger,
        onListening: @escaping @Sendable () -> Void = {}
    ) {
        self.configuration = configuration
        self.router = router
        self.authorizer = authorizer
        self.auditor = auditor
        self.group = group
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let claim = try SocketGuard(socketPath: configuration.socketPath)
        defer { claim.release() }

        let quiescing = ServerQuiescingHelper(group: group)
        let channel = try await bind(claim.bindListeningSocket(mode: configuration.socketMode), quiescing: quiescing)
        logger.info("listening", metadata: ["socket": "\(configuration.socketPath)", "methods": "\(router.methodPaths.count)"])
        onListening()

        let drained = group.next().makePromise(of: Void.self)
        let shuttingDown = Mutex(false)
        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            shuttingDown.withLock { $0 = true }
            self.logger.info("shutting down: no new connections, finishing calls in flight")
            quiescing.initiateShutdown(promise: drained)
        }
        if shuttingDown.withLock({ $0 }) {
            try await drained.futureResult.get()
        } else {
            drained.succeed()
        }
        logger.info("stopped", metadata: ["socket": "\(configuration.socketPath)"])
    }

    private func bind(_ descriptor: Int32, quiescing: ServerQuiescingHelper) async throws -> any Channel {
        let router = self.router
        let limits = configuration.limits
        let maximumFrameBytes = configuration.maximumFrameBytes
        let authorizer = self.authorizer
        let auditor = self.auditor
        let logger = self.logger
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(BoundedFrameDecoder(maximumFrameBytes: maximumFrameBytes)),
                        LengthFieldPrepender(lengthFieldBitLength: .thirtyTwoBits),
                        RPCServerConnectionHandler(
                            router: router, limits: limits, authorizer: authorizer, auditor: auditor, logger: logger),
                    ])
                }
            }
        return try await bootstrap.withBoundSocket(descriptor).get()
    }
}
