import Foundation
import NIOCore
import NIOPosix
import RPCRuntime
import Synchronization
import TestSupport
import Testing
import TrainingWire

#if canImport(Glibc)
import Glibc
#endif

/// Test methods: an echo that answers at once and one that answers after `service` milliseconds.
enum TestMethods {
    static let echo = RPCMethod<HealthCheckRequest, HealthCheckRequest>(path: "/test.Test/Echo")
    static let slow = RPCMethod<HealthCheckRequest, HealthCheckRequest>(path: "/test.Test/Slow")
    static let fail = RPCMethod<HealthCheckRequest, HealthCheckRequest>(path: "/test.Test/Fail")
    static let whoAmI = RPCMethod<HealthCheckRequest, HealthCheckResponse>(path: "/test.Test/WhoAmI")
}

struct UnclassifiedError: Error {}

final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}

func testRouter(slowCalls: Counter = Counter()) -> RPCRouter {
    var router = RPCRouter()
    router.register(TestMethods.echo) { request, context in context.eventLoop.makeSucceededFuture(request) }
    router.register(TestMethods.slow) { request, context in
        slowCalls.increment()
        let milliseconds = Int64(request.service) ?? 100
        return context.eventLoop.scheduleTask(in: .milliseconds(milliseconds)) { request }.futureResult
    }
    router.register(TestMethods.fail) { request, context in
        if request.service == "typed" {
            return context.eventLoop.makeFailedFuture(RPCError.failedPrecondition("month 2026-11", "the month has not ended"))
        }
        return context.eventLoop.makeFailedFuture(UnclassifiedError())
    }
    router.register(TestMethods.whoAmI) { _, context in
        context.eventLoop.makeSucceededFuture(HealthCheckResponse(
            service: context.caller, uptimeMs: UInt64(context.peer?.uid ?? 999_999), clockUnixMs: Int64(context.peer?.pid ?? -1)))
    }
    return router
}

func requestFrame(_ callID: UInt64, _ method: String, _ payload: [UInt8] = [], timeoutMs: UInt64? = nil) -> [UInt8] {
    RawSocket.frame(RequestFrame(
        callId: callID, method: method, timeout: timeoutMs.map { Timeout(milliseconds: $0) }, payload: payload
    ).serializedBytes())
}

func readResponse(_ socket: RawSocket) throws -> ResponseFrame {
    guard let body = try socket.readFrame() else { throw RawSocket.Failure(description: "connection closed") }
    return try ResponseFrame(serializedBytes: body)
}

@Suite("RPC server over a Unix socket")
struct RPCServerTests {
    @Test func echoRoundTrip() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            let client = try await RPCClient.connect(socketPath: socket)
            let reply = try await client.call(TestMethods.echo, HealthCheckRequest(service: "座席 ✓"))
            #expect(reply.service == "座席 ✓")
            await client.close()
        }
    }

    @Test func framesSplitByteByByteAndMergedAreAllServed() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            let raw = try RawSocket(path: socket)
            let first = requestFrame(1, TestMethods.echo.path, HealthCheckRequest(service: "one").serializedBytes())
            for byte in first { try raw.send([byte]) }
            #expect(try readResponse(raw).callId == 1)
            // Two frames in one write.
            try raw.send(requestFrame(2, TestMethods.echo.path) + requestFrame(3, TestMethods.echo.path))
            let ids = Set([try readResponse(raw).callId, try readResponse(raw).callId])
            #expect(ids == [2, 3])
        }
    }

    @Test func slowCallThenFastCallOnOneConnectionAnswersFastFirst() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            let raw = try RawSocket(path: socket)
            try raw.send(requestFrame(10, TestMethods.slow.path, HealthCheckRequest(service: "300").serializedBytes())
                + requestFrame(11, TestMethods.echo.path))
            let firstAnswer = try readResponse(raw)
            let secondAnswer = try readResponse(raw)
            #expect(firstAnswer.callId == 11)
            #expect(secondAnswer.callId == 10)
            #expect(secondAnswer.status?.code == .ok)
        }
    }

    @Test func oversizeFrameIsAnsweredAndClosedWhileOtherConnectionsServe() async throws {
        try await withInProcessServer(router: testRouter(), configure: { $0.maximumFrameBytes = 1024 }) { socket, _ in
            let bystander = try await RPCClient.connect(socketPath: socket)
            let raw = try RawSocket(path: socket)
            try raw.send([0, 0, 4, 1])  // announces 1025 bytes
            let answer = try readResponse(raw)
            #expect(answer.callId == 0)
            #expect(answer.status?.code == .resourceExhausted)
            #expect(answer.status?.message.contains("1025") == true)
            #expect(try raw.readsEndOfStream())
            let reply = try await bystander.call(TestMethods.echo, HealthCheckRequest(service: "still here"))
            #expect(reply.service == "still here")
            await bystander.close()
        }
    }

    @Test func frameOfExactlyTheMaximumIsServed() async throws {
        try await withInProcessServer(router: testRouter(), configure: { $0.maximumFrameBytes = 1024 }) { socket, _ in
            let raw = try RawSocket(path: socket)
            var service = ""
            var frame = requestFrame(1, TestMethods.echo.path, HealthCheckRequest(service: service).serializedBytes())
            while frame.count - 4 < 1024 {
                service += "x"
                frame = requestFrame(1, TestMethods.echo.path, HealthCheckRequest(service: service).serializedBytes())
            }
            #expect(frame.count - 4 == 1024)
            try raw.send(frame)
            // The echo's response is larger than the request but the server has no outbound cap of its own.
            #expect(try readResponse(raw).status?.code == .ok)
        }
    }

    @Test func zeroLengthAndGarbageFramesAreAnsweredWithCallIDZeroAndTheConnectionLives() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            let raw = try RawSocket(path: socket)
            try raw.send([0, 0, 0, 0])
            let empty = try readResponse(raw)
            #expect(empty.callId == 0)
            #expect(empty.status?.code == .invalidArgument)
            #expect(empty.status?.violations.first?.subject == "call_id")

            try raw.send(RawSocket.frame([0xFF, 0xFF, 0xFF, 0x07]))
            let garbage = try readResponse(raw)
            #expect(garbage.callId == 0)
            #expect(garbage.status?.code == .invalidArgument)
            #expect(garbage.status?.violations.first?.subject.hasPrefix("frame") == true)

            try raw.send(requestFrame(5, TestMethods.echo.path))
            #expect(try readResponse(raw).callId == 5)
        }
    }

    @Test func unknownMethodIsUnimplemented() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            let raw = try RawSocket(path: socket)
            try raw.send(requestFrame(7, "/training.v1.Nope/Nothing"))
            let answer = try readResponse(raw)
            #expect(answer.callId == 7)
            #expect(answer.status?.code == .unimplemented)
            #expect(answer.status?.message.contains("/training.v1.Nope/Nothing") == true)
        }
    }

    @Test func malformedPayloadNamesTheField() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            let raw = try RawSocket(path: socket)
            try raw.send(requestFrame(1, TestMethods.echo.path, [0xFF, 0xFF, 0xFF]))
            let malformed = try readResponse(raw)
            #expect(malformed.status?.code == .invalidArgument)
            #expect(malformed.status?.violations.first?.subject == "payload")
            // field 1 (service), length 2, invalid UTF-8.
            try raw.send(requestFrame(2, TestMethods.echo.path, [0x0A, 0x02, 0xC3, 0x28]))
            let badUTF8 = try readResponse(raw)
            #expect(badUTF8.status?.code == .invalidArgument)
            #expect(badUTF8.status?.violations == [Violation(subject: "service", description: "is not valid UTF-8")])
            try raw.send(requestFrame(3, TestMethods.echo.path, [0x0A, 0x03, 0x61, 0x00, 0x62]))
            #expect(try readResponse(raw).status?.violations.first?.description == "contains a NUL byte")
        }
    }

    @Test func zeroTimeoutIsDeadlineExceededWithoutRunningTheHandler() async throws {
        let slowCalls = Counter()
        try await withInProcessServer(router: testRouter(slowCalls: slowCalls)) { socket, _ in
            let raw = try RawSocket(path: socket)
            try raw.send(requestFrame(1, TestMethods.slow.path, timeoutMs: 0))
            #expect(try readResponse(raw).status?.code == .deadlineExceeded)
        }
        #expect(slowCalls.count == 0)
    }

    @Test func callPastItsTimeoutIsDeadlineExceeded() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            let raw = try RawSocket(path: socket)
            let started = ContinuousClock.now
            try raw.send(requestFrame(1, TestMethods.slow.path, HealthCheckRequest(service: "3000").serializedBytes(), timeoutMs: 100))
            let answer = try readResponse(raw)
            #expect(answer.status?.code == .deadlineExceeded)
            #expect(ContinuousClock.now - started < .seconds(2))
            // The late completion is dropped; the connection keeps serving.
            try raw.send(requestFrame(2, TestMethods.echo.path))
            #expect(try readResponse(raw).callId == 2)
        }
    }

    @Test func clientEnforcesItsOwnDeadline() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            let client = try await RPCClient.connect(socketPath: socket)
            await #expect(throws: RPCError.self) {
                _ = try await client.call(TestMethods.slow, HealthCheckRequest(service: "2000"), options: CallOptions(timeout: .milliseconds(50)))
            }
            await client.close()
        }
    }

    @Test func handlerErrorsMapToTheirStatusAndUnclassifiedOnesToInternal() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            let client = try await RPCClient.connect(socketPath: socket)
            do {
                _ = try await client.call(TestMethods.fail, HealthCheckRequest(service: "typed"))
                Issue.record("expected an error")
            } catch let error as RPCError {
                #expect(error.code == .failedPrecondition)
                #expect(error.violations == [Violation(subject: "month 2026-11", description: "the month has not ended")])
            }
            do {
                _ = try await client.call(TestMethods.fail, HealthCheckRequest(service: "untyped"))
                Issue.record("expected an error")
            } catch let error as RPCError {
                #expect(error.code == .internal)
            }
            await client.close()
        }
    }

    @Test func peerCredentialsAndCallerReachTheHandler() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            let client = try await RPCClient.connect(socketPath: socket, caller: "qa-export")
            let reply = try await client.call(TestMethods.whoAmI, HealthCheckRequest())
            #expect(reply.service == "qa-export")
            #expect(reply.uptimeMs == UInt64(getuid()))
            #expect(reply.clockUnixMs == Int64(getpid()))
            await client.close()
        }
    }

    struct DenyFail: CallAuthorizer {
        func authorize(_ context: CallContext) throws(RPCError) {
            if context.method == TestMethods.fail.path { throw RPCError(.permissionDenied, "not for you") }
        }
    }

    @Test func authorizerCanDenyAMethod() async throws {
        try await withInProcessServer(router: testRouter(), authorizer: DenyFail()) { socket, _ in
            let client = try await RPCClient.connect(socketPath: socket)
            await #expect(throws: RPCError(.permissionDenied, "not for you")) {
                _ = try await client.call(TestMethods.fail, HealthCheckRequest(service: "typed"))
            }
            _ = try await client.call(TestMethods.echo, HealthCheckRequest())
            await client.close()
        }
    }

    @Test func manyCallsInFlightOnOneConnectionAreAllAnswered() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            let client = try await RPCClient.connect(socketPath: socket)
            let replies = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<500 {
                    group.addTask { try await client.call(TestMethods.echo, HealthCheckRequest(service: "\(index)")).service }
                }
                var replies: Set<String> = []
                for try await reply in group { replies.insert(reply) }
                return replies
            }
            #expect(replies.count == 500)
            await client.close()
        }
    }

    @Test func socketFileHasTheConfiguredMode() async throws {
        try await withInProcessServer(router: testRouter(), configure: { $0.socketMode = 0o600 }) { socket, _ in
            var info = stat()
            #expect(stat(socket, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600)
        }
    }

    @Test func gracefulShutdownFinishesCallsInFlightAndRemovesTheSocket() async throws {
        let slowCalls = Counter()
        let socketPath = try await withInProcessServer(router: testRouter(slowCalls: slowCalls)) { socket, shutdown in
            let client = try await RPCClient.connect(socketPath: socket)
            let slow = client.callFuture(TestMethods.slow, HealthCheckRequest(service: "400"))
            while slowCalls.count == 0 { try await Task.sleep(for: .milliseconds(2)) }  // the call is in the handler
            await shutdown()
            let reply = try await slow.get()
            #expect(reply.service == "400")
            await client.close()
            return socket
        }
        #expect(!FileManager.default.fileExists(atPath: socketPath))
        #expect(!FileManager.default.fileExists(atPath: socketPath + ".lock"))
    }
}
