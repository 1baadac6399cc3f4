import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking Unix-socket client that sends whatever bytes a test gives it.
///
/// Why not `RPCClient`: protocol tests need frames no well-behaved client would send
/// (oversize, zero-length, split byte by byte, garbage) and to read replies raw.
public final class RawSocket {
    private let descriptor: Int32
    private var pending: [UInt8] = []

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public init(path: String, receiveTimeoutSeconds: Int = 5) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(description: "connect \(path): \(String(cString: strerror(code)))")
        }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
    }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    /// A 4-byte big-endian length followed by `body`.
    public static func frame(_ body: [UInt8]) -> [UInt8] {
        let length = UInt32(body.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + body
    }

    /// Reads one frame's body; nil at end of stream. Throws on timeout.
    public func readFrame() throws -> [UInt8]? {
        guard let header = try read(4) else { return nil }
        let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        return try read(length)
    }

    /// True when the server has closed the connection (end of stream, nothing pending).
    public func readsEndOfStream() throws -> Bool {
        try read(1) == nil
    }

    private func read(_ count: Int) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while pending.count < count {
            let received = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if received == 0 { return pending.isEmpty || count == 0 ? (count == 0 ? [] : nil) : nil }
            guard received > 0 else { throw Failure(description: "recv: \(String(cString: strerror(errno)))") }
            pending += buffer[0..<received]
        }
        let result = Array(pending[0..<count])
        pending.removeFirst(count)
        return result
    }
}
