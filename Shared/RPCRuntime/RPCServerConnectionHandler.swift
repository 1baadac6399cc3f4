import Logging
import NIOCore
import NIOExtras
import TrainingWire

#if canImport(Glibc)
import Glibc
#endif

/// Limits and defaults every connection of a server applies.
public struct CallLimits: Sendable {
    /// Applied when a request carries no timeout.
    public var defaultTimeout: TimeAmount = .seconds(30)
    /// Longer timeouts are cut to this.
    public var maximumTimeout: TimeAmount = .hours(1)
    /// How long calls in flight may still run once shutdown begins.
    public var shutdownGracePeriod: TimeAmount = .seconds(10)
    /// The retry hint sent with UNAVAILABLE while draining.
    public var drainingRetryAfterMilliseconds: UInt32 = 1000

    public init() {}
}

/// Serves the calls of one connection: decodes each request frame, checks it, routes it,
/// enforces its deadline and writes the response when the handler completes, in
/// whatever order calls finish.
///
/// Why on the event loop: the per-call path (decode, route, encode, write) takes a few
/// microseconds; an async hop per call would triple it. Everything here runs on the
/// connection's event loop, so the in-flight table needs no lock. One connection's
/// failure closes that connection only.
final class RPCServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct InFlightCall {
        let context: CallContext
        let started: NIODeadline
        var deadlineTimer: Scheduled<Void>?
    }

    private let router: RPCRouter
    private let limits: CallLimits
    private let authorizer: any CallAuthorizer
    private let auditor: any CallAuditor
    private let logger: Logger
    private var channelContext: ChannelHandlerContext?
    private var peer: PeerCredentials?
    private var inFlight: [UInt64: InFlightCall] = [:]
    private var draining = false
    private var closing = false
    /// The last response written, so that a close waits for it to reach the socket.
    private var lastWrite: EventLoopFuture<Void>?

    init(router: RPCRouter, limits: CallLimits, authorizer: any CallAuthorizer, auditor: any CallAuditor, logger: Logger) {
        self.router = router
        self.limits = limits
        self.authorizer = authorizer
        self.auditor = auditor
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        channelContext = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        channelContext = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        readPeerCredentials(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        for call in inFlight.values {
            call.deadlineTimer?.cancel()
        }
        inFlight.removeAll()
        context.fireChannelInactive()
    }

    private func readPeerCredentials(context: ChannelHandlerContext) {
        guard let provider = context.channel as? any SocketOptionProvider else { return }
        // SO_PEERCRED (17 on Linux): the kernel's record of the connecting process.
        let credentials: EventLoopFuture<PeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(17))
        credentials.hop(to: context.eventLoop)
            .assumeIsolated()
            .whenSuccess { credentials in self.peer = credentials }
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let request: RequestFrame
        do throws(WireError) {
            request = try frame.decodingReadableBytes { bytes throws(WireError) in try RequestFrame(serializedBytes: bytes) }
        } catch {
            let subject = error.path.isEmpty ? "frame" : "frame.\(error.path)"
            answerConnection(.invalidArgument(subject, "the frame is not a RequestFrame: \(error.explanation)"))
            return
        }
        guard request.callId != 0 else {
            answerConnection(.invalidArgument("call_id", "must be non-zero"))
            return
        }
        guard inFlight[request.callId] == nil else {
            answerConnection(.invalidArgument("call_id", "call \(request.callId) is already in flight on this connection"))
            return
        }
        let callContext = makeCallContext(for: request, eventLoop: context.eventLoop)
        let started = NIODeadline.now()
        if draining {
            finish(callContext, started: started, status: RPCError(
                .unavailable, "the server is shutting down", retryAfterMilliseconds: limits.drainingRetryAfterMilliseconds).status)
            return
        }
        if let timeout = request.timeout, timeout.milliseconds == 0 {
            finish(callContext, started: started, status: RPCError(.deadlineExceeded, "the call's timeout is zero").status)
            return
        }
        do throws(RPCError) {
            try authorizer.authorize(callContext)
        } catch {
            finish(callContext, started: started, status: error.status)
            return
        }
        guard let route = router.route(for: request.method) else {
            finish(callContext, started: started, status: RPCError(.unimplemented, "method \(request.method) is not served here").status)
            return
        }
        start(callContext, started: started, route: route, payload: request.payload, context: context)
    }

    private func makeCallContext(for request: RequestFrame, eventLoop: any EventLoop) -> CallContext {
        let requested = request.timeout.map { TimeAmount.milliseconds(Int64(clamping: $0.milliseconds)) } ?? limits.defaultTimeout
        let timeout = min(requested, limits.maximumTimeout)
        return CallContext(
            method: request.method, callID: request.callId, peer: peer,
            caller: request.metadata?.caller ?? "", idempotencyKey: request.metadata?.idempotencyKey ?? "",
            deadline: .now() + timeout, eventLoop: eventLoop, logger: logger)
    }

    private func start(_ call: CallContext, started: NIODeadline, route: RPCRouter.Route, payload: [UInt8], context: ChannelHandlerContext) {
        let callID = call.callID
        let isolatedLoop = context.eventLoop.assumeIsolated()
        let timer = isolatedLoop.scheduleTask(deadline: call.deadline) {
            guard self.inFlight[callID] != nil else { return }
            self.finish(call, started: started, status: RPCError(.deadlineExceeded, "the call did not complete within its timeout").status)
        }
        inFlight[callID] = InFlightCall(context: call, started: started, deadlineTimer: timer)

        var buffer = context.channel.allocator.buffer(capacity: payload.count)
        buffer.writeBytes(payload)
        route(buffer, call)
            .hop(to: context.eventLoop)
            .assumeIsolated()
            .whenComplete { result in
                guard let entry = self.inFlight[callID] else { return }  // answered already (deadline)
                entry.deadlineTimer?.cancel()
                switch result {
                case .success(let response):
                    self.finish(call, started: started, status: Status(code: .ok), payload: response)
                case .failure(let error):
                    let rpcError = RPCError.from(error)
                    if rpcError.code == .internal {
                        call.logger.error("handler failed", metadata: ["method": "\(call.method)", "error": "\(error)"])
                    }
                    self.finish(call, started: started, status: rpcError.status)
                }
            }
    }

    private func finish(_ call: CallContext, started: NIODeadline, status: Status, payload: [UInt8] = []) {
        inFlight[call.callID] = nil
        write(ResponseFrame(callId: call.callID, status: status, payload: payload))
        auditor.record(call, code: status.code, elapsed: .now() - started)
        closeIfDrained()
    }

    /// Answers with call id 0: the problem concerns the connection, not a call.
    private func answerConnection(_ error: RPCError) {
        write(ResponseFrame(callId: 0, status: error.status))
    }

    private func write(_ response: ResponseFrame) {
        guard let context = channelContext else { return }
        let bytes = response.serializedBytes()
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        lastWrite = context.writeAndFlush(wrapOutboundOut(buffer))
    }

    // MARK: Errors and shutdown

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let tooLarge = error as? FrameTooLargeError {
            guard !closing else { return }
            closing = true
            logger.notice("closing a connection that sent an oversize frame",
                          metadata: ["announced_bytes": "\(tooLarge.announcedBytes)", "peer": "\(peer.map(\.description) ?? "unknown")"])
            let status = RPCError(.resourceExhausted,
                                  "frame of \(tooLarge.announcedBytes) bytes exceeds the maximum of \(tooLarge.maximumBytes) bytes").status
            let bytes = ResponseFrame(callId: 0, status: status).serializedBytes()
            var buffer = context.channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            let isolatedContext = context
            context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
                isolatedContext.close(promise: nil)
            }
            return
        }
        logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        draining = true
        if !closeIfDrained() {
            // Calls still in flight get the grace period, then the connection goes regardless.
            context.eventLoop.assumeIsolated().scheduleTask(in: limits.shutdownGracePeriod) {
                if let context = self.channelContext {
                    context.close(promise: nil)
                }
            }
        }
    }

    @discardableResult
    private func closeIfDrained() -> Bool {
        guard draining, inFlight.isEmpty else { return false }
        if let context = channelContext, !closing {
            closing = true
            if let lastWrite {
                lastWrite.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        }
        return true
    }
}
