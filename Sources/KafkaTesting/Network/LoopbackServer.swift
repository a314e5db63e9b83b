import Foundation
import KafkaClient
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A TCP listener on 127.0.0.1 that serves each accepted connection on a thread
/// of its own with blocking I/O: one request at a time per connection, as a
/// Kafka broker processes them. Closing it closes every connection it accepted.
final class LoopbackServer: Sendable {
    let port: Int
    private let listenDescriptor: Int32
    private let open = VisibleLock<Set<Int32>>([])
    private let stopped = Atomic<Bool>(false)

    /// Listens on `port` (0 for one the kernel picks), reusing the address so a
    /// stopped broker can listen on its old port again.
    init(port: Int, serve: @escaping @Sendable (FrameConnection) -> Void) throws(FakeClusterError) {
        let fd = socket(AF_INET, SystemCalls.streamSocket | SystemCalls.closeOnExec, 0)
        guard fd >= 0 else { throw FakeClusterError.system("socket", errno) }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let code = errno
            _ = SystemCalls.close(fd)
            throw FakeClusterError.system("bind/listen on port \(port)", code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listenDescriptor = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop(serve) }
    }

    deinit { close() }

    /// Stops accepting and cuts every open connection.
    func close() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        _ = shutdown(listenDescriptor, Int32(SHUT_RDWR))
        cutConnections()
    }

    /// Cuts every open connection; the listener keeps accepting new ones.
    func cutConnections() {
        let descriptors = open.withLock { $0 }
        for descriptor in descriptors { _ = shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop(_ serve: @escaping @Sendable (FrameConnection) -> Void) {
        defer { _ = SystemCalls.close(listenDescriptor) }
        while !stopped.load(ordering: .relaxed) {
            var entry = pollfd(fd: listenDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) == 1, !stopped.load(ordering: .relaxed) else { continue }
            let client = accept(listenDescriptor, nil, nil)
            guard client >= 0 else { continue }
            var yes: Int32 = 1
            _ = setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            open.withLock { _ = $0.insert(client) }
            Thread.detachNewThread { [self] in
                serve(FrameConnection(descriptor: client))
                open.withLock { _ = $0.remove(client) }
                _ = SystemCalls.close(client)
            }
        }
    }
}

/// The server side of one connection: whole Kafka frames in and out.
struct FrameConnection: Sendable {
    let descriptor: Int32
    /// Frames larger than this end the connection, as a broker's socket.request.max.bytes does.
    static let maximumFrameSize = 100 * 1024 * 1024

    /// The next frame's payload, or nil when the peer closed or sent an impossible size.
    func readFrame() -> [UInt8]? {
        guard let prefix = read(count: 4) else { return nil }
        let size = Int(Int32(bigEndian: prefix.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
        guard size >= 0, size <= Self.maximumFrameSize else { return nil }
        return read(count: size)
    }

    /// Writes a frame around `payload`; false when the connection is gone.
    @discardableResult
    func writeFrame(_ payload: [UInt8]) -> Bool {
        var frame = [UInt8]()
        frame.reserveCapacity(payload.count + 4)
        withUnsafeBytes(of: UInt32(payload.count).bigEndian) { frame.append(contentsOf: $0) }
        frame.append(contentsOf: payload)
        var offset = 0
        while offset < frame.count {
            let sent = frame.withUnsafeBytes { send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Ends the connection at once (both directions).
    func cut() { _ = shutdown(descriptor, Int32(SHUT_RDWR)) }

    private func read(count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let received = bytes.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + offset, count - offset, 0) }
            guard received > 0 else { return nil }
            offset += received
        }
        return bytes
    }
}
