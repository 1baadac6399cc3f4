import Logging
import NIOCore
import TrainingWire

/// The peer process of a Unix-socket connection, as the kernel reports it (SO_PEERCRED).
///
/// Why it matters: on a Unix socket the kernel vouches for the caller's uid, gid and pid,
/// which is stronger than anything the caller declares. Authorization policies and the
/// audit trail use it. The layout matches Linux's `struct ucred`, which Swift's Glibc
/// module does not expose.
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    public var description: String { "pid \(pid) uid \(uid) gid \(gid)" }
}

/// Everything a handler may know about the call it serves besides the request.
///
/// Why a value: handlers run on event loops and storage threads; a `Sendable` value
/// can travel between them without locks.
public struct CallContext: Sendable {
    /// The method path, `/training.v1.Health/Check`.
    public let method: String
    public let callID: UInt64
    /// The kernel's word on who is calling; nil only if the socket could not tell.
    public let peer: PeerCredentials?
    /// What the caller says it is (`metadata.caller`); empty when not declared.
    public let caller: String
    /// The caller's idempotency key; empty when none.
    public let idempotencyKey: String
    /// When the caller stops waiting. Work still queued past it is not started.
    public let deadline: NIODeadline
    /// The event loop of the connection: futures returned by handlers complete on it.
    public let eventLoop: any EventLoop
    public let logger: Logger

    public init(
        method: String, callID: UInt64, peer: PeerCredentials?, caller: String, idempotencyKey: String,
        deadline: NIODeadline, eventLoop: any EventLoop, logger: Logger
    ) {
        self.method = method
        self.callID = callID
        self.peer = peer
        self.caller = caller
        self.idempotencyKey = idempotencyKey
        self.deadline = deadline
        self.eventLoop = eventLoop
        self.logger = logger
    }

    /// The time left before the deadline, to pass on to calls this call makes.
    public var remainingTime: TimeAmount {
        deadline - .now()
    }
}

/// Decides whether a call may run. Called on the event loop before the handler, with
/// the request not yet decoded; a thrown error (normally PERMISSION_DENIED) is the answer.
///
/// Why a hook: who may call what is policy, set per deployment; the runtime only
/// guarantees the check happens for every call, including unknown methods.
public protocol CallAuthorizer: Sendable {
    func authorize(_ context: CallContext) throws(RPCError)
}

/// Sees every call once it is answered: who, what, the status and how long it took.
public protocol CallAuditor: Sendable {
    func record(_ context: CallContext, code: StatusCode, elapsed: TimeAmount)
}

/// The default policy until deployment policies exist: every local peer may call.
public struct AllowAllAuthorizer: CallAuthorizer {
    public init() {}
    public func authorize(_ context: CallContext) throws(RPCError) {}
}

/// Audits to the log at debug level (notice for failures other than client mistakes).
public struct LoggingAuditor: CallAuditor {
    public init() {}
    public func record(_ context: CallContext, code: StatusCode, elapsed: TimeAmount) {
        let level: Logger.Level = code == .ok ? .debug : (code == .internal || code == .unknown || code == .dataLoss ? .error : .info)
        context.logger.log(
            level: level, "call",
            metadata: [
                "method": "\(context.method)", "status": "\(code.protoName)",
                "elapsed_us": "\(elapsed.nanoseconds / 1000)",
                "peer": "\(context.peer.map(\.description) ?? "unknown")", "caller": "\(context.caller)",
            ])
    }
}
