import Logging
import NIOCore
import RPCRuntime
import ServiceLifecycle

/// Runs an `RPCServer` with `router` on a temporary socket for the duration of `body`,
/// then shuts it down gracefully and waits until it has stopped.
///
/// Why in-process: handler-level tests (deadlines, pipelining, shutdown) need handlers
/// the real services do not have, such as one that is slow on purpose.
public func withInProcessServer<T: Sendable>(
    router: RPCRouter,
    authorizer: any CallAuthorizer = AllowAllAuthorizer(),
    configure: (inout RPCServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (_ socketPath: String, _ shutdown: @Sendable () async -> Void) async throws -> T
) async throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    var configuration = RPCServerConfiguration(socketPath: directory.file("s.sock"))
    configure(&configuration)
    var logger = Logger(label: "test-server")
    logger.logLevel = .warning
    let (listening, listeningContinuation) = AsyncStream<Void>.makeStream()
    let server = RPCServer(configuration: configuration, router: router, authorizer: authorizer, logger: logger) {
        listeningContinuation.yield()
    }
    let group = ServiceGroup(configuration: .init(
        services: [.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup)], logger: logger))
    let socketPath = configuration.socketPath
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        for await _ in listening { break }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(socketPath) { await group.triggerGracefulShutdown() })
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return try result.get()
    }
}
