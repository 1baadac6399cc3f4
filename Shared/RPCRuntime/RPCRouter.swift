import NIOCore
import TrainingWire

/// The methods a server answers, each bound to a typed handler.
///
/// Why typed registration: a route is built from an `RPCMethod<Request, Response>`
/// generated from proto/, so the payload is decoded as the method's request and the
/// handler's result encoded as its response; a mismatch does not compile.
public struct RPCRouter: Sendable {
    /// A route decodes the payload, runs the handler and encodes the response. It runs
    /// on the connection's event loop and must not block: blocking work goes to storage threads.
    typealias Route = @Sendable (_ payload: ByteBuffer, _ context: CallContext) -> EventLoopFuture<[UInt8]>

    private(set) var routes: [String: Route] = [:]

    public init() {}

    /// The method paths served, sorted.
    public var methodPaths: [String] { routes.keys.sorted() }

    /// Registers a handler that returns a future. The fast path: a handler that answers
    /// from memory returns `context.eventLoop.makeSucceededFuture(...)` and never leaves the loop.
    public mutating func register<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        handler: @escaping @Sendable (Request, CallContext) -> EventLoopFuture<Response>
    ) {
        routes[method.path] = { payload, context in
            let request: Request
            do throws(WireError) {
                request = try payload.decodingReadableBytes { bytes throws(WireError) in
                    try Request(serializedBytes: bytes)
                }
            } catch {
                return context.eventLoop.makeFailedFuture(error)
            }
            return handler(request, context).map { $0.serializedBytes() }
        }
    }

    /// Registers a handler written with async/await. Costs a hop off the event loop per
    /// call (tens of microseconds); use it where the work is slow anyway.
    public mutating func registerAsync<Request, Response>(
        _ method: RPCMethod<Request, Response>,
        handler: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) {
        register(method) { request, context in
            let promise = context.eventLoop.makePromise(of: Response.self)
            promise.completeWithTask { try await handler(request, context) }
            return promise.futureResult
        }
    }

    func route(for method: String) -> Route? {
        routes[method]
    }
}

extension ByteBuffer {
    /// Runs `body` over the readable bytes with a typed error (ByteBuffer's own is untyped).
    func decodingReadableBytes<T>(_ body: (UnsafeRawBufferPointer) throws(WireError) -> T) throws(WireError) -> T {
        var result: Result<T, WireError>!
        self.withUnsafeReadableBytes { bytes in
            do throws(WireError) {
                result = .success(try body(bytes))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }
}
