import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOPosix
import TrainingWire

/// Per-call options a client may set.
public struct CallOptions: Sendable {
    /// Sent to the server as the call's timeout and enforced locally too. Nil: the server's default.
    public var timeout: TimeAmount?
    public var caller: String
    public var idempotencyKey: String

    public init(timeout: TimeAmount? = .seconds(30), caller: String = "", idempotencyKey: String = "") {
        self.timeout = timeout
        self.caller = caller
        self.idempotencyKey = idempotencyKey
    }
}

/// A connection to one service: many calls in flight, answered by call id in any order.
///
/// Why one connection for many calls: connecting per call costs more than the call. The
/// other services, `trainctl` and the tests all call through this type.
public final class RPCClient: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<RPCClientHandler>
    private let nextCallID = NIOLockedValueBox<UInt64>(1)
    public let socketPath: String
    public let defaultCaller: String

    private init(channel: any Channel, handler: NIOLoopBound<RPCClientHandler>, socketPath: String, caller: String) {
        self.channel = channel
        self.handler = handler
        self.socketPath = socketPath
        self.defaultCaller = caller
    }

    /// Connects to the service listening on `socketPath`.
    public static func connect(
        socketPath: String,
        caller: String = "",
        maximumFrameBytes: Int = defaultMaximumFrameBytes,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RPCClient {
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(BoundedFrameDecoder(maximumFrameBytes: maximumFrameBytes)),
                        LengthFieldPrepender(lengthFieldBitLength: .thirtyTwoBits),
                        RPCClientHandler(),
                    ])
                }
            }
            .connect(unixDomainSocketPath: socketPath).get()
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: RPCClientHandler.self), eventLoop: channel.eventLoop)
        }.get()
        return RPCClient(channel: channel, handler: handler, socketPath: socketPath, caller: caller)
    }

    /// Calls `method`; a non-OK status is thrown as `RPCError`.
    public func call<Request, Response>(
        _ method: RPCMethod<Request, Response>, _ request: Request, options: CallOptions = CallOptions()
    ) async throws -> Response {
        try await callFuture(method, request, options: options).get()
    }

    /// The same as `call`, as a future completed on the connection's event loop (no async hop).
    public func callFuture<Request, Response>(
        _ method: RPCMethod<Request, Response>, _ request: Request, options: CallOptions = CallOptions()
    ) -> EventLoopFuture<Response> {
        rawCall(method: method.path, payload: request.serializedBytes(), options: options).flatMapThrowing { response in
            guard let status = response.status, status.code != .ok else {
                return try Response(serializedBytes: response.payload)
            }
            throw RPCError(status: status)
        }
    }

    /// Sends a request frame with any method and payload bytes and returns the server's
    /// response frame as it is. For tests of the protocol itself and for tools.
    public func rawCall(method: String, payload: [UInt8], options: CallOptions = CallOptions()) -> EventLoopFuture<ResponseFrame> {
        let callID = nextCallID.withLockedValue { id in
            defer { id &+= 1 }
            return id
        }
        let caller = options.caller.isEmpty ? defaultCaller : options.caller
        let metadata = caller.isEmpty && options.idempotencyKey.isEmpty
            ? nil : CallMetadata(caller: caller, idempotencyKey: options.idempotencyKey)
        let frame = RequestFrame(
            callId: callID, method: method,
            timeout: options.timeout.map { Timeout(milliseconds: UInt64(max(0, $0.nanoseconds / 1_000_000))) },
            metadata: metadata, payload: payload)
        let promise = channel.eventLoop.makePromise(of: ResponseFrame.self)
        let handler = self.handler
        let channel = self.channel
        let deadline = options.timeout.map { NIODeadline.now() + $0 }
        channel.eventLoop.execute {
            handler.value.send(frame, promise: promise, deadline: deadline, channel: channel)
        }
        return promise.futureResult
    }

    /// Closes the connection; calls still in flight fail with UNAVAILABLE.
    public func close() async {
        try? await channel.close()
    }
}

/// The client side of one connection: writes requests, matches responses by call id,
/// fails calls whose deadline passes and, when the connection goes, every call left.
final class RPCClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        let promise: EventLoopPromise<ResponseFrame>
        let timer: Scheduled<Void>?
    }

    private var pending: [UInt64: Pending] = [:]
    private var connectionError: RPCError?
    private var closed = false

    func send(_ frame: RequestFrame, promise: EventLoopPromise<ResponseFrame>, deadline: NIODeadline?, channel: any Channel) {
        guard !closed else {
            promise.fail(connectionError ?? RPCError(.unavailable, "the connection is closed", retryAfterMilliseconds: 100))
            return
        }
        let callID = frame.callId
        let timer = deadline.map { deadline in
            channel.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
                // Server-side timeout plus transit: if no answer came, stop waiting.
                guard let entry = self.pending.removeValue(forKey: callID) else { return }
                entry.promise.fail(RPCError(.deadlineExceeded, "no response within the call's timeout"))
            }
        }
        pending[callID] = Pending(promise: promise, timer: timer)
        let bytes = frame.serializedBytes()
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        channel.writeAndFlush(buffer).assumeIsolated().whenFailure { error in
            guard let entry = self.pending.removeValue(forKey: callID) else { return }
            entry.timer?.cancel()
            entry.promise.fail(RPCError(.unavailable, "could not send the call: \(error)", retryAfterMilliseconds: 100))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let response: ResponseFrame
        do throws(WireError) {
            response = try buffer.decodingReadableBytes { bytes throws(WireError) in try ResponseFrame(serializedBytes: bytes) }
        } catch {
            connectionError = RPCError(.internal, "the server sent a frame that is not a ResponseFrame: \(error)")
            context.close(promise: nil)
            return
        }
        guard response.callId != 0 else {
            // About the connection, not a call: remembered for the calls that fail when it closes.
            connectionError = RPCError(status: response.status ?? Status(code: .unknown))
            return
        }
        guard let entry = pending.removeValue(forKey: response.callId) else { return }  // timed out already
        entry.timer?.cancel()
        entry.promise.succeed(response)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        let error = connectionError ?? RPCError(.unavailable, "the connection closed", retryAfterMilliseconds: 100)
        let calls = pending
        pending.removeAll()
        for entry in calls.values {
            entry.timer?.cancel()
            entry.promise.fail(error)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let tooLarge = error as? FrameTooLargeError {
            connectionError = RPCError(.resourceExhausted, "the server sent a frame of \(tooLarge.announcedBytes) bytes")
        }
        context.close(promise: nil)
    }
}
