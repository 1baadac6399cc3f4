import Foundation
import RPCRuntime
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Claiming a socket path")
struct SocketGuardTests {
    @Test func aLiveSocketIsNeverStolen() async throws {
        try await withInProcessServer(router: testRouter()) { socket, _ in
            #expect {
                _ = try SocketGuard(socketPath: socket)
            } throws: { error in
                "\(error)".contains("another process serves")
            }
            // The first server still answers.
            let client = try await RPCClient.connect(socketPath: socket)
            _ = try await client.call(TestMethods.echo, .init())
            await client.close()
        }
    }

    @Test func aSocketLeftByACrashIsRemoved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("stale.sock")
        // Bind and close without unlinking: what a killed process leaves behind.
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        close(descriptor)
        #expect(FileManager.default.fileExists(atPath: path))

        let claim = try SocketGuard(socketPath: path)
        #expect(!FileManager.default.fileExists(atPath: path))
        claim.release()
    }

    @Test func aFileThatIsNotASocketIsLeftAlone() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("precious.txt")
        _ = FileManager.default.createFile(atPath: path, contents: Data("keep me".utf8))
        #expect {
            _ = try SocketGuard(socketPath: path)
        } throws: { error in
            "\(error)".contains("not a socket")
        }
        #expect(FileManager.default.contents(atPath: path) == Data("keep me".utf8))
    }

    @Test func aSecondClaimWhileTheLockIsHeldFails() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try SocketGuard(socketPath: directory.file("a.sock"))
        #expect {
            _ = try SocketGuard(socketPath: directory.file("a.sock"))
        } throws: { error in
            "\(error)".contains("lock held by pid \(getpid())")
        }
        first.release()
        let again = try SocketGuard(socketPath: directory.file("a.sock"))
        again.release()
    }

    @Test func aPathLongerThanTheKernelAllowsIsRejected() {
        let path = "/tmp/" + String(repeating: "x", count: 120)
        #expect(throws: SocketClaimError.self) { _ = try SocketGuard(socketPath: path) }
    }
}
