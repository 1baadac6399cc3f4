import NIOCore
import RPCRuntime
import SQLiteStorage
import TrainingWire

/// Makes a mutating call safe to repeat: the first answer to an idempotency key is
/// stored in the same transaction as the call's effect, and a repeat of the key from the
/// same caller gets that answer back without running anything.
///
/// Why in the transaction: a client that timed out does not know whether its call took
/// effect. Storing the answer with the effect means a crash between the two is impossible,
/// so "retry with the same key" is always safe.
public enum IdempotentWrites {
    /// Add to every service that has mutating calls.
    public static let migration = Migration(
        version: 1, name: "idempotency keys",
        sql: """
            CREATE TABLE idempotency_keys (
                scope TEXT NOT NULL,
                key TEXT NOT NULL,
                method TEXT NOT NULL,
                response BLOB NOT NULL,
                created_ms INTEGER NOT NULL,
                PRIMARY KEY (scope, key)
            ) WITHOUT ROWID;
            """)

    /// Who a key belongs to: the kernel's uid of the peer and the declared caller.
    static func scope(of context: CallContext) -> String {
        "\(context.peer.map { String($0.uid) } ?? "?"):\(context.caller)"
    }
}

/// The first answer to a key, or the stored bytes of an earlier one.
private enum IdempotentAnswer<Response: WireMessage>: Sendable {
    case first(Response)
    case repeated([UInt8])
}

extension SQLiteDatabase {
    /// Runs `body` in the writer's next group commit, unless `context` carries an
    /// idempotency key already answered: then the stored answer is returned. Work whose
    /// deadline passed while queued is not started.
    public func idempotentWrite<Response: WireMessage>(
        _ context: CallContext, now: Int64, _ body: @escaping @Sendable (SQLiteConnection) throws -> Response
    ) async throws -> Response {
        let key = context.idempotencyKey
        guard !key.isEmpty else {
            return try await write(deadline: context.deadline.uptimeNanoseconds, body)
        }
        let method = context.method
        let scope = IdempotentWrites.scope(of: context)
        let answer: IdempotentAnswer<Response> = try await write(deadline: context.deadline.uptimeNanoseconds) { connection in
            let lookup = try connection.statement("SELECT method, response FROM idempotency_keys WHERE scope = ? AND key = ?")
            try lookup.bind([.text(scope), .text(key)])
            if try lookup.step() {
                let storedMethod = lookup.text(at: 0)
                let response = lookup.blob(at: 1)
                try lookup.reset()
                guard storedMethod == method else {
                    throw RPCError.invalidArgument("metadata.idempotency_key", "was already used for \(storedMethod)")
                }
                return .repeated(response)
            }
            try lookup.reset()
            let response = try body(connection)
            try connection.statement("INSERT INTO idempotency_keys (scope, key, method, response, created_ms) VALUES (?, ?, ?, ?, ?)")
                .run([.text(scope), .text(key), .text(method), .blob(response.serializedBytes()), .integer(now)])
            return .first(response)
        }
        switch answer {
        case .first(let response): return response
        case .repeated(let bytes): return try Response(serializedBytes: bytes)
        }
    }

    /// A read on a reader thread, not started past the call's deadline.
    public func read<T: Sendable>(_ context: CallContext, _ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await read(deadline: context.deadline.uptimeNanoseconds, body)
    }
}
