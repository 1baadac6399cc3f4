import TrainingWire

/// A failed call, as the client will see it: a gRPC status code, a message for a person,
/// the violations that say which fields or subjects are wrong, and a retry hint.
///
/// Why one type: handlers throw domain errors; this is the single place they become
/// wire statuses, so that no layer invents its own mapping and nothing ends up
/// UNKNOWN by accident.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String
    public var violations: [Violation]
    /// For UNAVAILABLE and RESOURCE_EXHAUSTED: how long the client should wait before retrying.
    public var retryAfterMilliseconds: UInt32

    public init(_ code: StatusCode, _ message: String, violations: [Violation] = [], retryAfterMilliseconds: UInt32 = 0) {
        self.code = code
        self.message = message
        self.violations = violations
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }

    public init(status: Status) {
        self.init(status.code, status.message, violations: status.violations, retryAfterMilliseconds: status.retryAfterMs)
    }

    /// INVALID_ARGUMENT naming one field and why it is wrong.
    public static func invalidArgument(_ subject: String, _ description: String) -> RPCError {
        RPCError(.invalidArgument, "\(subject): \(description)", violations: [Violation(subject: subject, description: description)])
    }

    /// FAILED_PRECONDITION naming the subject whose state forbids the call.
    public static func failedPrecondition(_ subject: String, _ description: String) -> RPCError {
        RPCError(.failedPrecondition, "\(subject): \(description)", violations: [Violation(subject: subject, description: description)])
    }

    public var status: Status {
        Status(code: code, message: message, violations: violations, retryAfterMs: retryAfterMilliseconds)
    }

    public var description: String {
        var text = "\(code.protoName): \(message)"
        if retryAfterMilliseconds > 0 { text += " (retry after \(retryAfterMilliseconds) ms)" }
        return text
    }
}

/// Adopted by every error a handler may throw, so that the runtime maps it to a status
/// without the handler doing so by hand (grpc-swift's `RPCErrorConvertible`).
public protocol RPCErrorConvertible: Error {
    var rpcError: RPCError { get }
}

extension RPCError: RPCErrorConvertible {
    public var rpcError: RPCError { self }
}

extension WireError: RPCErrorConvertible {
    /// A request that does not decode is the caller's mistake: INVALID_ARGUMENT naming the field.
    public var rpcError: RPCError {
        let subject = path.isEmpty ? "payload" : path
        return .invalidArgument(subject, explanation)
    }
}

extension RPCError {
    /// What any thrown error becomes on the wire. Errors that do not say what they are
    /// become INTERNAL, never UNKNOWN: an unclassified error is a server bug.
    public static func from(_ error: any Error) -> RPCError {
        if let convertible = error as? any RPCErrorConvertible {
            return convertible.rpcError
        }
        return RPCError(.internal, "internal error: \(String(describing: type(of: error)))")
    }
}
