import RPCRuntime
import SQLiteStorage

/// Storage failures as the caller sees them: the one place they become statuses.
extension StorageError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .deadlineExceeded:
            RPCError(.deadlineExceeded, "the call's deadline passed before its storage work started; nothing was changed")
        case .closed:
            RPCError(.unavailable, "the service is shutting down", retryAfterMilliseconds: 1000)
        default:
            RPCError(.internal, "storage failed: \(self)")
        }
    }
}

extension SQLiteError: RPCErrorConvertible {
    public var rpcError: RPCError {
        if isBusy {
            return RPCError(.unavailable, "the database is busy", retryAfterMilliseconds: 100)
        }
        return RPCError(.internal, "storage failed: \(self)")
    }
}
