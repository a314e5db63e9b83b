import Foundation
import Synchronization

/// A TCP proxy on loopback that forwards to an upstream port and can cut every
/// connection through it at once, to test what clients do when connections
/// break mid-flight. Start a broker advertising the proxy's port
/// (`TestBroker.startDedicated(advertisedPort:)`) so all traffic passes here.
public final class CuttingProxy: Sendable {
    /// The port the proxy listens on.
    public let port: Int
    private let upstreamPort: Int
    private let listener: LocalTCPListener
    private let sockets = Mutex<[Int32]>([])
    private let stopped = Atomic<Bool>(false)
    /// Connections accepted so far.
    public var acceptedCount: Int { accepted.load(ordering: .relaxed) }
    private let accepted = Atomic<Int>(0)

    /// Listens on a free loopback port, forwarding to `127.0.0.1:upstreamPort`.
    public init(upstreamPort: Int) throws {
        listener = try LocalTCPListener(backlog: 128)
        port = listener.port
        self.upstreamPort = upstreamPort
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Reserves a port for a proxy by listening on it (so a broker can advertise it
    /// before it starts); pass the upstream later with `init(listener:upstreamPort:)`.
    public init(listener: LocalTCPListener, upstreamPort: Int) {
        self.listener = listener
        port = listener.port
        self.upstreamPort = upstreamPort
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { stop() }

    /// Cuts every open connection (both directions, at once); new ones are still accepted.
    public func cutAll() {
        let open = sockets.withLock { open in
            defer { open = [] }
            return open
        }
        for socket in open { _ = shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// Stops accepting and cuts everything.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        cutAll()
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            guard let client = try? listener.accept(timeout: 0.2) else { continue }
            accepted.add(1, ordering: .relaxed)
            let clientSocket = client.detachDescriptor()
            guard let upstream = Self.connect(port: upstreamPort) else {
                _ = close(clientSocket)
                continue
            }
            sockets.withLock { $0 += [clientSocket, upstream] }
            Thread.detachNewThread { Self.pump(from: clientSocket, to: upstream) }
            Thread.detachNewThread { Self.pump(from: upstream, to: clientSocket) }
        }
    }

    private static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            _ = close(fd)
            return nil
        }
        return fd
    }

    /// Copies bytes one way until either side closes, then shuts both down.
    private static func pump(from source: Int32, to target: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        loop: while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            var offset = 0
            while offset < count {
                let sent = buffer.withUnsafeBytes { send(target, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL)) }
                if sent <= 0 { break loop }
                offset += sent
            }
        }
        _ = shutdown(source, Int32(SHUT_RDWR))
        _ = shutdown(target, Int32(SHUT_RDWR))
    }
}
