import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The umask is one per process: servers binding at the same moment (tests run several)
/// take turns, so that each socket file is created with its own mode and the process's
/// umask is restored to what it was.
private let umaskLock = Mutex(())

/// Why a server could not take its socket path.
public enum SocketClaimError: Error, Sendable, CustomStringConvertible {
    case pathTooLong(path: String, limit: Int)
    case inUse(path: String, detail: String)
    case notASocket(path: String)
    case system(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .pathTooLong(let path, let limit):
            "socket path \(path) is \(path.utf8.count) bytes; Unix sockets allow at most \(limit)"
        case .inUse(let path, let detail):
            "another process serves \(path) (\(detail)); stop it first or choose another --socket"
        case .notASocket(let path):
            "\(path) exists and is not a socket; refusing to remove it"
        case .system(let operation, let path, let code):
            "\(operation) \(path): \(String(cString: strerror(code)))"
        }
    }
}

/// Claims a Unix socket path for one server process: a lock file beside the socket,
/// a stale socket left by a crash removed, a live one never stolen.
///
/// Why not NIO's `cleanupExistingSocketFile`: it unlinks whatever is there, so a second
/// instance would silently take the path from a live server, whose clients then reach
/// the newcomer. Here only a socket that refuses connections (ECONNREFUSED: nobody
/// listens) is treated as stale.
public final class SocketGuard: Sendable {
    public let socketPath: String
    public let lockPath: String
    private let lockDescriptor: Int32

    /// Takes the lock and clears a stale socket. Throws if another process holds either.
    public init(socketPath: String) throws(SocketClaimError) {
        let limit = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1
        guard socketPath.utf8.count <= limit else { throw .pathTooLong(path: socketPath, limit: limit) }
        self.socketPath = socketPath
        self.lockPath = socketPath + ".lock"

        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .system(operation: "open lock file", path: lockPath, errno: errno) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.readPID(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK {
                throw .inUse(path: socketPath, detail: holder.map { "lock held by pid \($0)" } ?? "lock held")
            }
            throw .system(operation: "lock", path: lockPath, errno: code)
        }
        // Record who holds the lock, for the message a second instance prints.
        _ = ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
        self.lockDescriptor = descriptor

        do throws(SocketClaimError) {
            try Self.removeStaleSocket(at: socketPath)
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// Creates the listening socket at the claimed path with exactly `mode`: the umask is
    /// narrowed for the `bind` alone, so the file never exists with wider permissions.
    /// Returns the descriptor, bound and listening, for NIO to adopt.
    public func bindListeningSocket(mode: UInt32, backlog: Int32 = 512) throws(SocketClaimError) -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw .system(operation: "socket", path: socketPath, errno: errno) }
        var address = Self.address(socketPath)
        let bound = umaskLock.withLock { _ in
            let previous = umask(mode_t(~mode & 0o777))
            defer { umask(previous) }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 ? 0 : errno
                }
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw .system(operation: "bind", path: socketPath, errno: bound)
        }
        guard listen(descriptor, backlog) == 0 else {
            let code = errno
            close(descriptor)
            throw .system(operation: "listen on", path: socketPath, errno: code)
        }
        return descriptor
    }

    private static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// Removes the socket file and the lock file, then releases the lock. Called once the
    /// server has stopped listening.
    public func release() {
        unlink(socketPath)
        unlink(lockPath)
        close(lockDescriptor)
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, 31, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer.prefix(count), as: UTF8.self).trimmingNewline)
    }

    private static func removeStaleSocket(at path: String) throws(SocketClaimError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw .system(operation: "stat", path: path, errno: errno)
        }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else { throw .notASocket(path: path) }

        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard probe >= 0 else { throw .system(operation: "socket", path: path, errno: errno) }
        defer { close(probe) }
        var address = Self.address(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result == 0 {
            throw .inUse(path: path, detail: "it accepts connections")
        }
        switch errno {
        case ECONNREFUSED:
            // Nobody listens: left behind by a process that died without cleaning up.
            guard unlink(path) == 0 || errno == ENOENT else { throw .system(operation: "unlink", path: path, errno: errno) }
        case EAGAIN:
            throw .inUse(path: path, detail: "its listen queue is full")
        default:
            throw .system(operation: "connect to", path: path, errno: errno)
        }
    }
}

extension String {
    fileprivate var trimmingNewline: String {
        var text = self
        while text.last == "\n" || text.last == " " { text.removeLast() }
        return text
    }
}
