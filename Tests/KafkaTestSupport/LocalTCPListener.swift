import Foundation
import KafkaClient
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A listening TCP socket on a loopback address and an ephemeral port, for
/// testing clients against a scripted peer without a broker.
public final class LocalTCPListener: Sendable {
    /// A failed system call while setting up or serving.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let descriptor: Int32
    /// The loopback address listened on: `127.0.0.1` or `::1`.
    public let host: String
    /// The port the kernel chose.
    public let port: Int

    /// Listens on `127.0.0.1` (or `::1` when `ipv6` is true) with the given accept backlog.
    public init(ipv6: Bool = false, backlog: Int32 = 16) throws {
        let family = ipv6 ? AF_INET6 : AF_INET
        let fd = socket(family, SystemCalls.streamSocket | SystemCalls.closeOnExec, 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var bound: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_addr = in6addr_loopback
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let text = String(cString: strerror(errno))
            _ = SystemCalls.close(fd)
            throw Failure(description: "bind/listen: \(text)")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let networkPort: UInt16 = withUnsafePointer(to: &storage) { pointer in
            ipv6
                ? pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
                : pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
        }
        self.descriptor = fd
        self.host = ipv6 ? "::1" : "127.0.0.1"
        self.port = Int(UInt16(bigEndian: networkPort))
    }

    deinit {
        _ = SystemCalls.close(descriptor)
    }

    /// Accepts one connection, waiting at most `timeout` seconds.
    public func accept(timeout: Double = 10) throws -> AcceptedConnection {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, Int32(timeout * 1000)) == 1 else { throw Failure(description: "no connection to accept") }
        let fd = SystemCalls.accept(descriptor)
        guard fd >= 0 else { throw Failure(description: "accept: \(String(cString: strerror(errno)))") }
        return AcceptedConnection(descriptor: fd)
    }

    /// Accepts one connection on a separate thread and runs `handler` on it;
    /// the connection is closed when `handler` returns. Failures are ignored:
    /// the client side of the test observes them.
    public func serveOnce(_ handler: @escaping @Sendable (AcceptedConnection) throws -> Void) {
        Thread.detachNewThread { [self] in
            guard let connection = try? accept() else { return }
            try? handler(connection)
            connection.close()
        }
    }
}

/// The server side of one accepted connection, with plain blocking I/O.
public final class AcceptedConnection: Sendable {
    let descriptor: Int32
    private let owned = Atomic<Bool>(true)

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit {
        guard owned.load(ordering: .relaxed) else { return }
        _ = shutdown(descriptor, Int32(SHUT_RDWR))
        _ = SystemCalls.close(descriptor)
    }

    /// Hands the descriptor to the caller, who closes it; this object no longer does.
    public func detachDescriptor() -> Int32 {
        owned.store(false, ordering: .relaxed)
        return descriptor
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw LocalTCPListener.Failure(description: "send: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    /// Reads exactly `count` bytes.
    public func read(count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let received = out.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + offset, count - offset, 0) }
            guard received > 0 else { throw LocalTCPListener.Failure(description: "peer closed after \(offset) bytes") }
            offset += received
        }
        return out
    }

    /// Reads one Kafka frame (4-byte big-endian size, then the payload) and returns the payload.
    public func readFrame() throws -> [UInt8] {
        let prefix = try read(count: 4)
        let size = Int(prefix[0]) << 24 | Int(prefix[1]) << 16 | Int(prefix[2]) << 8 | Int(prefix[3])
        return try read(count: size)
    }

    /// Writes one Kafka frame around `payload`.
    public func writeFrame(_ payload: [UInt8]) throws {
        let size = UInt32(payload.count)
        try write([UInt8(size >> 24), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)] + payload)
    }

    /// Closes the connection (idempotent via shutdown; the descriptor is released on deinit).
    public func close() {
        _ = shutdown(descriptor, Int32(SHUT_RDWR))
    }
}
